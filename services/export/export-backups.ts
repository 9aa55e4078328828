/**
 * Backups export made in a compose project folder, named relative to it (the page never handles other
 * paths), and restoring one of them: a backup outside that folder is refused before anything is read.
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { SECRETS_FOLDER } from '../../shared/export/secret-files.js';
import { listBackups, restoreBackup, type BackupEntry } from '../files/backups.js';

/** Folders export writes into, besides the project folder itself. */
export const EXPORT_SUBFOLDERS = ['', SECRETS_FOLDER, 'templates', 'certs', 'proxy'];

export interface BackupRow {
  backup: string;
  target: string;
  takenAt: string;
  size: number;
}

export async function listExportBackups(outDir: string): Promise<BackupRow[]> {
  const backups: BackupEntry[] = [];
  for (const sub of EXPORT_SUBFOLDERS) backups.push(...(await listBackups(join(outDir, sub))));
  backups.sort((a, b) => b.takenAt.localeCompare(a.takenAt));
  return backups.map((b) => ({ backup: relative(outDir, b.file), target: relative(outDir, b.target), takenAt: b.takenAt, size: b.size }));
}

export async function restoreExportBackup(outDir: string, backup: string): Promise<{ restored: string; backup?: string }> {
  const root = resolve(outDir);
  const path = resolve(root, backup);
  const inside = relative(root, path);
  // Relative names are inside the folder (as --list prints them); absolute ones must point into it.
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'backup', message: `${backup} is not a backup inside ${outDir}.`, fix: 'Pick one of the listed backups.' });
  }
  const result = await restoreBackup(path);
  return { restored: relative(root, result.target), ...(result.backup && { backup: relative(root, result.backup) }) };
}
