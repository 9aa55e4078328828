/**
 * The one error type. It carries a stable `code`, a message for people, the field it concerns (a profile
 * path such as `email.port`) and the fix, and crosses IPC, HTTP and the CLI unchanged as plain JSON.
 */
export interface SetupErrorData {
  code: string;
  message: string;
  field?: string;
  fix?: string;
}

export class SetupError extends Error implements SetupErrorData {
  readonly code: string;
  readonly field?: string;
  readonly fix?: string;

  constructor(data: SetupErrorData, options?: { cause?: unknown }) {
    super(data.message, options);
    this.name = 'SetupError';
    this.code = data.code;
    if (data.field !== undefined) this.field = data.field;
    if (data.fix !== undefined) this.fix = data.fix;
  }

  toJSON(): SetupErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.field !== undefined && { field: this.field }),
      ...(this.fix !== undefined && { fix: this.fix }),
    };
  }
}

/** Input that cannot be used as given: the CLI exits 2 for these. */
export const INVALID_INPUT_CODES = new Set([
  'INVALID_PROFILE',
  'INVALID_ARGUMENT',
  'INVALID_VALUE',
  'MISSING_SECRET',
  'SECRET_ENDPOINT_CHANGED',
  'ENCRYPTION_KEY_EXISTS',
  'BACKUP_NOT_FOUND',
  'BACKUP_NOT_RECOGNISED',
  'FILE_NOT_UTF8',
  'INPUT_NOT_UTF8',
  'INPUT_HAS_NUL',
  'FILE_TOO_LARGE',
  'COMPOSE_TOO_MANY_ALIASES',
  'COMPOSE_PROJECT_INVALID',
  'NOT_AN_UNUSED_SECRET',
]);

export function isInvalidInput(error: SetupErrorData): boolean {
  return INVALID_INPUT_CODES.has(error.code);
}

export interface Warning {
  code: string;
  message: string;
  field?: string;
}
