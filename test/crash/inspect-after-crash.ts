import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseBackupName } from '../../services/files/backup-names.js';
import { DEAD_GUARD_PREFIX, DRAFT_MARKER, LOCK_FILE, TAKEOVER_GUARD } from '../../services/files/folder-lock.js';
import { tempFileTarget } from '../../services/files/write-file-atomic.js';

export interface CrashInspection {
  /** Each target's bytes (relative path → bytes), undefined when it does not exist. */
  files: Map<string, Buffer | undefined>;
  backups: number;
  /** Recognisable temp files an interrupted write left (relative paths). Allowed; the next run removes them. */
  tempFiles: string[];
  /** Everything that breaks the promise: a torn target or backup, or a stray file that could be mistaken for one. */
  problems: string[];
  /** The folder lock of the run that died, which the next run takes over as stale. */
  lockLeft: boolean;
}

/** Setup's own bookkeeping in the folder: the lock (its drafts, and the guard of a takeover under way) and the export records. */
function isBookkeeping(name: string): boolean {
  return name === LOCK_FILE || name === TAKEOVER_GUARD || name.startsWith(DEAD_GUARD_PREFIX) || name.startsWith(`${LOCK_FILE}${DRAFT_MARKER}`) || name === '.n8n-setup';
}

/**
 * Looks at a folder the way an admin (or the next run) would after a crash. `check` says what is wrong with a
 * target's or backup's bytes, or returns undefined when they are one complete version of that target.
 */
export async function inspectAfterCrash(
  dir: string,
  targets: readonly string[],
  check: (target: string, bytes: Buffer) => string | undefined,
): Promise<CrashInspection> {
  const inspection: CrashInspection = { files: new Map(), backups: 0, tempFiles: [], problems: [], lockLeft: false };
  const folders = new Set(targets.map((target) => dirname(join(dir, target))));
  const targetFolders = new Set([...folders].map((folder) => relative(dir, folder)).filter((folder) => folder !== ''));

  for (const target of targets) {
    const bytes = await readFile(join(dir, target)).catch(() => undefined);
    inspection.files.set(target, bytes);
    const problem = bytes && check(target, bytes);
    if (problem) inspection.problems.push(`${target}: ${problem}`);
  }

  for (const folder of folders) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const path = relative(dir, join(folder, name));
      if (targets.includes(path) || targetFolders.has(path)) continue;
      if (folder === dir && isBookkeeping(name)) {
        if (name === LOCK_FILE) inspection.lockLeft = true;
        continue;
      }

      const backupOf = parseBackupName(name)?.target;
      if (backupOf !== undefined && targets.includes(relative(dir, join(folder, backupOf)))) {
        inspection.backups++;
        const problem = check(relative(dir, join(folder, backupOf)), await readFile(join(folder, name)));
        if (problem) inspection.problems.push(`backup ${path}: ${problem}`);
        continue;
      }

      const becoming = tempFileTarget(name);
      const original = becoming === undefined ? undefined : (parseBackupName(becoming)?.target ?? becoming);
      if (original !== undefined && targets.includes(relative(dir, join(folder, original))) && (await stat(join(folder, name))).isFile()) {
        inspection.tempFiles.push(path);
        continue;
      }
      inspection.problems.push(`${path}: unexpected file that is neither a target, a backup nor a recognisable temp file`);
    }
  }
  return inspection;
}
