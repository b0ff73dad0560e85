import { App } from 'aws-cdk-lib';
import { IdentityValidationError } from '../../lib';

/** Runs `fn`, expects an IdentityValidationError naming `field`, and returns it. */
export function expectIdentityError(fn: () => unknown, field: string, messagePart?: string | RegExp): IdentityValidationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) throw new Error(`expected an IdentityValidationError for ${field}, but nothing was thrown`);
  if (!IdentityValidationError.isIdentityValidationError(caught)) throw caught;
  const err = caught as IdentityValidationError;
  expect(err.field).toBe(field);
  // a spec file's name comes first when the input came from one
  expect(err.message.startsWith(`${err.file !== undefined ? `${err.file}: ` : ''}${field}: `)).toBe(true);
  expect(err.message).toContain('fix: ');
  // lower-case, actionable, no trailing period (aws-cdk DESIGN_GUIDELINES)
  expect(err.message.endsWith('.')).toBe(false);
  if (messagePart !== undefined) expect(err.message).toMatch(messagePart);
  return err;
}

/** Synth fails through the app-wide validation, naming the construct path, the field and the code. */
export function expectSynthError(app: App, path: string, field: string, msg: RegExp, code?: string): string {
  let message = '';
  try {
    app.synth();
  } catch (e: any) {
    message = e.message;
  }
  expect(message).toContain(`[${path}] ${field}: `);
  expect(message).toMatch(msg);
  if (code) expect(message).toContain(`[${code}]`);
  return message;
}
