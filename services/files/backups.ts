import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { backupFileName, parseBackupName, stampToIso } from './backup-names.js';
import { isErrnoError, throwFileError } from './file-errors.js';
import { removeLeftoverTempFiles } from './leftover-temp-files.js';
import type { WriteFaults } from './write-file-atomic.js';
import { writeFileAtomic } from './write-file-atomic.js';

const MAX_SAME_MOMENT = 1000;

export interface BackupOptions {
  faults?: WriteFaults;
  now?: Date;
  /** The file holds secrets: the copy is at most 0600 even if the original was readable by others. */
  tighten?: boolean;
}

export interface BackupEntry {
  /** Full path of the backup. */
  file: string;
  /** Full path of the file it is a copy of. */
  target: string;
  /** When it was taken, ISO 8601 UTC. */
  takenAt: string;
  size: number;
}

export interface RestoreResult {
  target: string;
  /** Backup of what the target held before the restore, so the restore can itself be undone. */
  backup?: string;
}

/**
 * Copies `path` to a new timestamped backup beside it, atomically, and returns the backup's path; returns
 * undefined when there is no file to back up. The copy is never more readable than the original.
 */
export async function backupFile(path: string, options: BackupOptions = {}): Promise<string | undefined> {
  const original = await readOriginal(path);
  if (!original) return undefined;

  const mode = original.stats.mode & 0o777 & (options.tighten ? 0o600 : 0o777);
  const now = options.now ?? new Date();
  const { faults } = options;
  // The copy is itself a writeFileAtomic; its half-written moment is the `during-backup` crash point.
  const backupFaults: WriteFaults | undefined = faults && ((step, file) => (step === 'after-temp-write' ? faults('during-backup', file) : undefined));

  for (let attempt = 1; attempt <= MAX_SAME_MOMENT; attempt++) {
    const backup = join(dirname(path), backupFileName(basename(path), now, attempt));
    try {
      await writeFileAtomic(backup, original.bytes, { mode, failIfExists: true, ...(backupFaults && { faults: backupFaults }) });
      return backup;
    } catch (error) {
      if (!(error instanceof SetupError && error.code === 'WRITE_EXISTS')) throw error;
    }
  }
  throw new SetupError({
    code: 'WRITE_FAILED',
    message: `Could not back up ${path}: ${MAX_SAME_MOMENT} backups already carry the time ${now.toISOString()}.`,
    fix: 'Check the computer clock, delete the surplus .bak files, then run setup again.',
  });
}

/** Every backup in `dir`, newest first. Temp files of interrupted writes never match. */
export async function listBackups(dir: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return [];
    throwFileError(error, { path: dir, action: 'read' });
  }

  const found: Array<BackupEntry & { order: string }> = [];
  for (const name of names) {
    const parsed = parseBackupName(name);
    if (!parsed) continue;
    const file = join(dir, name);
    let stats: Stats;
    try {
      stats = await stat(file);
    } catch (error) {
      if (isErrnoError(error) && error.code === 'ENOENT') continue; // deleted while we looked
      throw error;
    }
    if (!stats.isFile()) continue;
    found.push({
      file,
      target: join(dir, parsed.target),
      takenAt: stampToIso(parsed.stamp),
      size: stats.size,
      order: `${parsed.stamp}-${String(parsed.attempt).padStart(6, '0')}`,
    });
  }
  found.sort((a, b) => (a.order < b.order ? 1 : a.order > b.order ? -1 : 0));
  return found.map(({ order: _order, ...entry }) => entry);
}

/**
 * Puts a backup's bytes back in place of the file it copies, atomically. What the target held first is
 * backed up too, so a restore can be undone. The restored file is never more readable than either the
 * backup or the current file: restoring old content must not expose a secret the current file protects.
 */
export async function restoreBackup(backupPath: string, options: { faults?: WriteFaults; now?: Date } = {}): Promise<RestoreResult> {
  const parsed = parseBackupName(basename(backupPath));
  if (!parsed) {
    throw new SetupError({
      code: 'BACKUP_NOT_RECOGNISED',
      message: `${backupPath} is not a backup made by setup (expected a name like .env.20250101T120000000Z.bak).`,
      fix: 'Pick one of the files listed as backups.',
    });
  }
  const saved = await readOriginal(backupPath);
  if (!saved) {
    throw new SetupError({
      code: 'BACKUP_NOT_FOUND',
      message: `The backup ${backupPath} does not exist (it may have been deleted or moved).`,
      fix: 'Pick one of the files listed as backups.',
    });
  }

  const target = join(dirname(backupPath), parsed.target);
  await removeLeftoverTempFiles(dirname(target), [parsed.target]);
  const current = await statIfExists(target);
  const backup = current ? await backupFile(target, options) : undefined;
  const mode = saved.stats.mode & 0o777 & (current ? current.mode & 0o777 : 0o777);
  await writeFileAtomic(target, saved.bytes, { mode, ...(options.faults && { faults: options.faults }) });
  return { target, ...(backup && { backup }) };
}

async function readOriginal(path: string): Promise<{ bytes: Buffer; stats: Stats } | undefined> {
  try {
    // One handle for both, so mode and bytes describe the same file even if it is replaced meanwhile.
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      return { stats, bytes: await handle.readFile() };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throwFileError(error, { path, action: 'read' });
  }
}

async function statIfExists(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throwFileError(error, { path, action: 'read' });
  }
}
