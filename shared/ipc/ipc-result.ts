/**
 * What every channel returns, over IPC and HTTP alike. Errors travel as data: a thrown Error loses all but
 * its message across IPC, so the one error type (SetupError) crosses as its plain JSON.
 */
import * as z from 'zod/mini';
import { SetupError, type SetupErrorData } from '../errors.js';

export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: SetupErrorData };

export type IpcFailure = Extract<IpcResult<never>, { ok: false }>;

export const ErrorDataSchema = z.object({
  code: z.string(),
  message: z.string(),
  field: z.optional(z.string()),
  fix: z.optional(z.string()),
});

export function succeed<T>(data: T): IpcResult<T> {
  return { ok: true, data };
}

export function fail(error: SetupErrorData): IpcFailure {
  return { ok: false, error };
}

/** A SetupError as it is; anything else is a bug or an unforeseen failure, said as such. */
export function errorDataOf(error: unknown): SetupErrorData {
  if (error instanceof SetupError) return error.toJSON();
  return {
    code: 'UNEXPECTED',
    message: `Something failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'Try again. If it keeps failing, report it with the steps that led here.',
  };
}

/** The shape check a client runs on whatever came back, so a broken transport is a typed failure too. */
export function isIpcResult(value: unknown): value is IpcResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const result = value as { ok?: unknown; data?: unknown; error?: unknown };
  if (result.ok === true) return 'data' in result;
  return result.ok === false && ErrorDataSchema.safeParse(result.error).success;
}
