import type * as z from 'zod/mini';
import { SetupError, type SetupErrorData } from '../errors.js';
import { ProfileSchema, type Profile } from './profile-schema.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: SetupErrorData[] };

/** Validates untrusted profile JSON; every error names the field path and the fix. */
export function parseProfile(input: unknown): ParseResult<Profile> {
  const result = ProfileSchema.safeParse(input, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => issueToError(issue)) };
}

/** Like parseProfile, for callers that want a thrown SetupError (the first problem; the rest in its message). */
export function requireProfile(input: unknown): Profile {
  const result = parseProfile(input);
  if (result.ok) return result.value;
  const [first, ...rest] = result.errors;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.map((e) => e.field).join(', ')})` : '';
  throw new SetupError({ ...(first as SetupErrorData), message: `${first?.message}${more}` });
}

/**
 * One zod issue in words: the field path, what is wrong and the fix. The IPC contract words its other inputs
 * the same way (code INVALID_ARGUMENT, the whole request as `root`).
 */
export function issueToError(issue: z.core.$ZodIssue, options: { code?: string; root?: string } = {}): SetupErrorData {
  const code = options.code ?? 'INVALID_PROFILE';
  const field = issue.path.map(String).join('.') || (options.root ?? '(profile)');
  const fix = (issue as { params?: { fix?: string } }).params?.fix ?? defaultFix(issue, code);
  return { code, field, message: `${field} ${describe(issue)}`, ...(fix && { fix }) };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `has unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
    case 'invalid_type':
      return issue.input === undefined ? 'is required.' : `must be ${article(issue.expected)}.`;
    case 'invalid_value':
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}.`;
    case 'invalid_union':
      return 'does not match any allowed form.';
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty.' : `must be at least ${String(issue.minimum)}.`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}.`;
    case 'custom':
      return issue.message;
    default:
      return issue.message.endsWith('.') ? issue.message : `${issue.message}.`;
  }
}

function defaultFix(issue: z.core.$ZodIssue, code: string): string | undefined {
  if (issue.code === 'unrecognized_keys') return code === 'INVALID_PROFILE' ? 'Check the spelling against docs/profile.schema.json, or remove the key.' : 'Remove the key.';
  if (issue.code === 'invalid_value') return `Use one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'Add the field.';
  if (issue.code === 'too_small' && issue.origin === 'number') return `Use a number from ${String(issue.minimum)} up.`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `Use a number up to ${String(issue.maximum)}.`;
  return undefined;
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number (integer)';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
