import { readTextFile } from '../input/read-text-input.js';
import { SetupError } from '../../shared/errors.js';
import { resolveProfilePath, type LoadedProfile } from '../profile/read-profile-file.js';

/** The private CA a profile trusts for its SMTP server (`email.caFile`, relative to the profile), if any. */
export async function readProfileCa(loaded: LoadedProfile): Promise<string | undefined> {
  const email = loaded.resolved.email;
  if (email.mode !== 'smtp' || !email.caFile) return undefined;
  const path = resolveProfilePath(loaded.baseDir, email.caFile);
  let text: string | undefined;
  try {
    text = readTextFile(path, { name: `The CA file ${path}`, field: 'email.caFile', holds: 'the certificates' });
  } catch (error) {
    // Too large or not UTF-8: said as such, with its own fix.
    if (error instanceof SetupError && (error.code === 'FILE_TOO_LARGE' || error.code === 'FILE_NOT_UTF8')) throw error;
    throw new SetupError(
      { code: 'INVALID_PROFILE', field: 'email.caFile', message: `Cannot read the CA file ${path}: ${(error as Error).message}`, fix: "Check email.caFile (relative paths start at the profile's folder)." },
      { cause: error },
    );
  }
  if (text === undefined) {
    throw new SetupError({ code: 'INVALID_PROFILE', field: 'email.caFile', message: `Cannot read the CA file ${path}: it does not exist.`, fix: "Check email.caFile (relative paths start at the profile's folder)." });
  }
  return text;
}
