import type * as z from 'zod/mini';
import type { SetupErrorData } from '../errors.js';
import { issueToError } from '../profile/parse-profile.js';

/**
 * A request that failed its channel's input schema, as one typed error. Problems inside a `profile` are
 * worded exactly as a profile file's (INVALID_PROFILE, field relative to the profile) so the wizard marks
 * the same form field; anything else is INVALID_ARGUMENT with the request path as the field.
 */
export function inputError(issues: readonly z.core.$ZodIssue[]): SetupErrorData {
  const errors = issues.map(describeInputIssue);
  const [first, ...rest] = errors;
  if (!first) return { code: 'INVALID_ARGUMENT', field: '(request)', message: 'The request is not valid.' };
  const more = rest.length ? ` (and ${rest.length} more: ${rest.map((e) => e.field).join(', ')})` : '';
  return { ...first, message: `${first.message}${more}` };
}

function describeInputIssue(issue: z.core.$ZodIssue): SetupErrorData {
  // A missing or non-object profile is a problem with the request; anything inside it, with the profile.
  const inProfile = issue.path[0] === 'profile' && (issue.path.length > 1 || issue.code !== 'invalid_type');
  if (inProfile) return issueToError({ ...issue, path: issue.path.slice(1) });
  return issueToError(issue, { code: 'INVALID_ARGUMENT', root: '(request)' });
}
