/**
 * The one way a compose project that Compose itself would refuse, or that setup will not read (a cycle, a
 * missing or unreadable file, too many files), is reported: COMPOSE_PROJECT_INVALID with the fix.
 */
import { SetupError } from '../errors.js';

export function projectError(message: string, fix: string): SetupError {
  return new SetupError({ code: 'COMPOSE_PROJECT_INVALID', field: 'compose', message: `${message} Nothing was read further, and nothing was changed.`, fix });
}
