import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBackupName } from './backup-names.js';
import { isErrnoError } from './file-errors.js';
import { tempFileTarget } from './write-file-atomic.js';

/**
 * A write killed mid-way (power cut, SIGKILL) leaves its hidden temp file behind; the target itself is intact.
 * Removes those leftovers for `names` in `folder` — temps of the files themselves and of their backups — so a
 * rerun tidies up after a crash. Nothing that is not a temp file of one of those names is touched.
 */
export async function removeLeftoverTempFiles(folder: string, names: readonly string[]): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const becoming = tempFileTarget(entry);
    if (becoming === undefined) continue;
    const original = parseBackupName(becoming)?.target ?? becoming;
    if (!names.includes(original)) continue;
    await rm(join(folder, entry), { force: true });
    removed.push(join(folder, entry));
  }
  return removed;
}
