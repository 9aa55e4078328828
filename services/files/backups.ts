import { randomBytes } from 'node:crypto';
import { SetupError } from '../../shared/errors.js';
import { backupFileName } from './backup-names.js';
import { readFileAt } from './read-file-at.js';
import type { FileAt } from './target-folder.js';
import type { WriteFaults } from './write-file-atomic.js';
import { writeFileAt } from './write-file-atomic.js';

const ATTEMPTS = 5;

export interface BackupOptions {
  faults?: WriteFaults;
  now?: Date;
  /** The file holds secrets: the copy is at most 0600 even if the original was readable by others. */
  tighten?: boolean;
}

export interface Backup {
  /** The backup's name, beside the original. */
  name: string;
  bytes: Buffer;
}

/**
 * Copies the file at `at` to a new backup beside it and returns it; undefined when there is no file. The
 * copy is created exclusively under a name nobody can guess, written atomically, never more readable than
 * the original, and owned like it.
 */
export async function backupFile(at: FileAt, options: BackupOptions = {}): Promise<Backup | undefined> {
  const original = await readFileAt(at);
  if (!original) return undefined;

  const mode = original.stats.mode & 0o777 & (options.tighten ? 0o600 : 0o777);
  const now = options.now ?? new Date();
  const { faults } = options;
  // The copy is itself an atomic write; its half-written moment is the `during-backup` crash point.
  const backupFaults: WriteFaults | undefined = faults && ((step, file) => (step === 'after-temp-write' ? faults('during-backup', file) : undefined));

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const name = backupFileName(at.name, now, randomBytes(4).toString('hex'));
    try {
      await writeFileAt({ ...at, name, shown: `${at.shown.slice(0, -at.name.length)}${name}` }, original.bytes, {
        mode,
        failIfExists: true,
        owner: { uid: original.stats.uid, gid: original.stats.gid },
        ...(backupFaults && { faults: backupFaults }),
      });
      return { name, bytes: original.bytes };
    } catch (error) {
      if (!(error instanceof SetupError && error.code === 'WRITE_EXISTS')) throw error;
    }
  }
  throw new SetupError({
    code: 'WRITE_FAILED',
    message: `Could not back up ${at.shown}: ${ATTEMPTS} random backup names were all taken already, which only happens when someone plants files under them.`,
    fix: `Look at the .bak files beside ${at.shown}: remove any you did not make, then run setup again.`,
  });
}
