/**
 * Records what would have ended the process: an 'error' event nobody listened to, a rejection nobody
 * handled. Vitest reports these too, but after the fact and without the test they belong to; a test that
 * calls `expect(uncaught.errors).toEqual([])` fails on the spot, naming the error.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';

export interface UncaughtErrors {
  readonly errors: unknown[];
}

export function recordUncaughtErrors(): UncaughtErrors {
  const errors: unknown[] = [];
  const record = (error: unknown) => void errors.push(error);
  beforeAll(() => {
    process.on('uncaughtException', record);
    process.on('unhandledRejection', record);
  });
  // Each test answers for its own errors.
  beforeEach(() => void errors.splice(0));
  afterAll(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  return { errors };
}
