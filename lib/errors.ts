import * as path from 'path';

/**
 * What an `IdentityValidationError` is made of.
 */
export interface IdentityValidationErrorProps {
  /**
   * The input field at fault, as a path (`serviceAccounts[0].namespace`, `props.namespace`).
   */
  readonly field: string;

  /**
   * The offending value, rendered as text.
   */
  readonly value: string;

  /**
   * The rule that was broken, in a few lower-case words.
   */
  readonly rule: string;

  /**
   * What to do about it.
   */
  readonly fix: string;

  /**
   * The stable code of the rule that was broken (`k8s-namespace`, `irsa-token-expiration`...).
   * Every code is listed with what it checks, why and its source in `docs/rules.md`.
   */
  readonly code: string;

  /**
   * The file the input was read from (a spec file), named first in the message.
   *
   * @default - none: the input did not come from a file
   */
  readonly file?: string;
}

/**
 * Thrown at construction time when a literal input breaks an EKS, IAM or Kubernetes rule.
 *
 * aws-cdk-lib's own `ValidationError` is internal to it, so cdk-eks-identity exports this one.
 * The message names the field, the value, the rule and the fix, in lower case, and ends with the
 * rule's stable `code` in brackets (`docs/rules.md` lists every code). At runtime it is
 * a real `Error` (`instanceof Error`); jsii cannot declare `extends Error`, so the prototype chain
 * is set up below the class.
 *
 * Its stack is the message and the one frame where your code called into this library: an app
 * that lets it propagate (`cdk synth`) shows the message and the line of your app, not the
 * library's internals.
 */
export class IdentityValidationError {
  /**
   * True when `x` is an IdentityValidationError (works across copies of this library).
   */
  public static isIdentityValidationError(x: any): x is IdentityValidationError {
    return x !== null && typeof x === 'object' && x[ERROR_SYMBOL] === true;
  }

  /** Always 'IdentityValidationError'. */
  public readonly name: string;
  /** `<field>: <value> <rule>; fix: <fix> [<code>]` */
  public readonly message: string;
  /** The stack trace. */
  public readonly stack?: string;
  /** The input field at fault. */
  public readonly field: string;
  /** The offending value. */
  public readonly value: string;
  /** The rule that was broken. */
  public readonly rule: string;
  /** What to do about it. */
  public readonly fix: string;
  /** The stable code of the rule (listed in `docs/rules.md`). */
  public readonly code: string;
  /** The file the input was read from, when it came from one. */
  public readonly file?: string;

  constructor(props: IdentityValidationErrorProps) {
    this.name = 'IdentityValidationError';
    this.message = formatMessage(props);
    this.field = props.field;
    this.value = props.value;
    this.rule = props.rule;
    this.fix = props.fix;
    this.code = props.code;
    this.file = props.file;
    Object.defineProperty(this, ERROR_SYMBOL, { value: true });
    Error.captureStackTrace?.(this, IdentityValidationError);
    this.stack = callerStack(this.name, this.message, this.stack);
    // the fields stay readable, but Node's report of an uncaught error prints only the stack
    for (const k of ['name', 'message', 'field', 'value', 'rule', 'fix', 'code', 'file']) {
      Object.defineProperty(this, k, { enumerable: false });
    }
  }

  /** `IdentityValidationError: <message>` */
  public toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

// A real Error at runtime: instanceof Error, stack traces, jest's toThrow and Node's reporting.
Object.setPrototypeOf(IdentityValidationError.prototype, Error.prototype);

const ERROR_SYMBOL = Symbol.for('cdk-eks-identity.IdentityValidationError');

/**
 * `<field>: <value> <rule>; fix: <fix> [<code>]` — one line, lower case, no trailing period.
 * @internal
 */
export function formatMessage(p: IdentityValidationErrorProps): string {
  const value = p.value === '' ? '(empty)' : p.value;
  return `${p.file !== undefined ? `${p.file}: ` : ''}${p.field}: ${value} ${p.rule}; fix: ${p.fix} [${p.code}]`;
}

/** This library's sources (lib/), whose frames a user has no use for. */
const LIB_DIR = path.resolve(__dirname);

/**
 * `<name>: <message>` and the first frame outside this library (the caller's line), from the
 * stack V8 captured.
 * @internal
 */
export function callerStack(name: string, message: string, captured: string | undefined): string {
  const frames = (captured ?? '').split('\n').filter(l => /^\s+at /.test(l));
  const caller = frames.find(l => !l.includes(LIB_DIR) && !/\(node:|at node:/.test(l));
  return `${name}: ${message}${caller ? `\n${caller}` : ''}`;
}
