import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { toError } from '../private/enforce';
import { checkLockVersion, LOCK_VERSION, lockInvalid } from '../rules/lock';

/** What the lock remembers of one role. */
export interface RoleLock {
  /** The physical name (none: CloudFormation generated it). */
  readonly name?: string;
  /** True when the spec fixed the name (`role.name`, `fargate.podExecutionRole.name`). */
  readonly given: boolean;
  /** The default name the generated one came from (`<prefix><cluster>-<namespace>-<sa>`). */
  readonly base?: string;
  /** The IAM path (create-only). */
  readonly path: string;
}

/** What the lock remembers of one Fargate profile: its create-only properties. */
export interface FargateProfileLock {
  readonly selectors: unknown;
  readonly subnets: unknown;
  readonly podExecutionRole: string;
}

/** What the lock remembers of one stack. */
export interface StackLock {
  /** The cluster name. */
  readonly cluster: string;
  /** The layout the roles were placed with. */
  readonly layout: string;
  /** The OIDC provider the stack created: its URL and client ids. */
  readonly oidcProvider?: { readonly url: string; readonly clientIds: string[] };
  /** The nested stack of each service account (`layout: nested`), by `<namespace>/<service account>`. */
  readonly placement?: Record<string, string>;
  /** Roles by key: `<namespace>/<service account>`, `fargate.podExecutionRole`. */
  readonly roles: Record<string, RoleLock>;
  /** Fargate profiles by name. */
  readonly fargateProfiles: Record<string, FargateProfileLock>;
  /** Access entry types by principal ARN. */
  readonly accessEntries: Record<string, { readonly type: string }>;
}

/** The lock file. */
export interface LockFile {
  readonly version: number;
  /** By stack path (the construct path of the stack). */
  readonly stacks: Record<string, StackLock>;
}

const COMMENT = 'written by cdk-eks-identity at synth; commit it beside the spec (docs/update-safety.md)';

const str = { type: 'string' };
const SCHEMA = {
  type: 'object',
  required: ['version', 'stacks'],
  additionalProperties: false,
  properties: {
    $comment: str,
    version: { type: 'integer' },
    stacks: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['cluster', 'layout', 'roles', 'fargateProfiles', 'accessEntries'],
        additionalProperties: false,
        properties: {
          cluster: str,
          layout: { enum: ['single', 'nested'] },
          oidcProvider: {
            type: 'object',
            required: ['url', 'clientIds'],
            additionalProperties: false,
            properties: { url: str, clientIds: { type: 'array', items: str } },
          },
          placement: { type: 'object', additionalProperties: str },
          roles: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['given', 'path'],
              additionalProperties: false,
              properties: { name: str, given: { type: 'boolean' }, base: str, path: str },
            },
          },
          fargateProfiles: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['selectors', 'subnets', 'podExecutionRole'],
              additionalProperties: false,
              properties: { selectors: {}, subnets: {}, podExecutionRole: str },
            },
          },
          accessEntries: {
            type: 'object',
            additionalProperties: { type: 'object', required: ['type'], additionalProperties: false, properties: { type: str } },
          },
        },
      },
    },
  },
};

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  return validator ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(SCHEMA);
}

/** The lock file of a spec file: `identity.yaml` -> `identity.lock.json`, beside it. */
export function lockFileOf(specFile: string): string {
  const ext = path.extname(specFile);
  return path.join(path.dirname(specFile), `${path.basename(specFile, ext)}.lock.json`);
}

/** Parses lock text; a bad lock throws our error naming the file and the JSON path. */
export function parseLock(text: string, file: string): LockFile {
  const name = path.basename(file);
  let data: any;
  try {
    data = JSON.parse(text);
  } catch (e: any) {
    throw toError(lockInvalid('(file)', `not JSON: ${String(e.message).split('\n')[0]}`), name);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw toError(lockInvalid('(file)', 'not a JSON object'), name);
  // the version first: a lock from a newer release may have keys this one does not know
  const version = checkLockVersion(data.version);
  if (version.length > 0) throw toError(version[0], name);
  const v = validate();
  if (!v(data)) {
    const e = v.errors![0];
    const where = e.instancePath.replace(/^\//, '').split('/').filter(s => s !== '').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as any).additionalProperty}'` : '';
    throw toError(lockInvalid(where === '' ? '(file)' : where, `${e.message}${extra}`), name);
  }
  return data as LockFile;
}

/** Reads a lock file; undefined when there is none. */
export function readLock(file: string): LockFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e.code === 'ENOENT') return undefined;
    throw toError(lockInvalid('(file)', `unreadable: ${e.code ?? e.message}`), path.basename(file));
  }
  return parseLock(text, file);
}

/** JSON with every object's keys sorted (arrays keep their order): the same facts, the same bytes. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), undefined, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** The bytes of a lock file. */
export function serializeLock(stacks: Record<string, StackLock>): string {
  return `${stableJson({ $comment: COMMENT, version: LOCK_VERSION, stacks })}\n`;
}
