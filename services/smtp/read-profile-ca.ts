import { readFile } from 'node:fs/promises';
import { SetupError } from '../../shared/errors.js';
import { resolveProfilePath, type LoadedProfile } from '../profile/read-profile-file.js';

/** The private CA a profile trusts for its SMTP server (`email.caFile`, relative to the profile), if any. */
export async function readProfileCa(loaded: LoadedProfile): Promise<string | undefined> {
  const email = loaded.resolved.email;
  if (email.mode !== 'smtp' || !email.caFile) return undefined;
  const path = resolveProfilePath(loaded.baseDir, email.caFile);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SetupError(
      { code: 'INVALID_PROFILE', field: 'email.caFile', message: `Cannot read the CA file ${path}: ${(error as Error).message}`, fix: "Check email.caFile (relative paths start at the profile's folder)." },
      { cause: error },
    );
  }
}
