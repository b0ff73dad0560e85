/** A bad invocation: unknown option, missing file, not an assembly. Exit code 2, with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be read (broken JSON or YAML, not the expected document): exit code 2, the file and the line, no usage text. */
export class InputError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
