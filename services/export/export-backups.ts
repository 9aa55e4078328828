/**
 * The backups export made in a compose project folder, as its records list them (export-manifest.ts), and
 * putting them back: one file, or a whole export at once. Only a backup a record lists is restored, and only
 * when it is still what was recorded: a regular file with one link, its recorded SHA-256, and the owner of the
 * file it replaces. Every restore backs up what it replaces and is itself recorded, so it can be undone.
 */
import { posix } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { lockFolder } from '../files/folder-lock.js';
import { readFileAt } from '../files/read-file-at.js';
import { hash, replaceFiles, type FileChange, type FileOutcome } from '../files/replace-files.js';
import { withTargetFolder, type TargetFolder } from '../files/target-folder.js';
import type { WriteFaults } from '../files/write-file-atomic.js';
import { isManifestId, manifestFiles, newManifestId, readManifests, recordIds, writeManifest, type ExportManifest, type ManifestFile } from './export-manifest.js';

export interface BackupRow {
  backup: string;
  target: string;
  takenAt: string;
  size: number;
  /** The export that made it. */
  exportId: string;
}

export interface RestoreReport {
  /** The files put back (or removed, for files the export had created). */
  restored: Array<{ path: string; action: FileOutcome['action']; backup?: string }>;
  /** Files that changed after that export: their content then is saved in the listed backup. */
  changedSince: string[];
  /** The record of this restore, to undo it with restore --export. */
  restoreId?: string;
  /** Nothing was written: what a restore would do. */
  dryRun?: boolean;
  /** Of a dry run: what the folder held and what would replace it, for a restore that must do exactly that. */
  fingerprint?: string;
}

export async function listExportBackups(outDir: string): Promise<BackupRow[]> {
  return backupRows(await listExports(outDir));
}

/** The recorded exports and restores, newest first; none for a folder that does not exist (yet). */
export async function listExports(outDir: string): Promise<ExportManifest[]> {
  return withTargetFolder(outDir, readManifests).catch((error: unknown) => {
    if (error instanceof SetupError && error.code === 'WRITE_FOLDER_MISSING') return [];
    throw error;
  });
}

/** Crash points and a fixed clock, for tests; `dryRun`: check every backup and say what would change, write nothing. */
export interface RestoreOptions {
  faults?: WriteFaults;
  now?: Date;
  dryRun?: boolean;
  /** The fingerprint a dry run gave: the restore is refused if the folder or the backups changed since. */
  expect?: string;
}

/** Puts one recorded backup back in place of the file it copies. */
export async function restoreExportBackup(outDir: string, backup: string, options: RestoreOptions = {}): Promise<{ restored: string; backup?: string; restoreId?: string }> {
  return lockedRestore(outDir, options, async (folder, manifests) => {
    const { entry, source } = recordedBackup(manifests, backup, outDir);
    return { ...(await restoreChanges(folder, [entry])), source };
  }).then((report) => ({ restored: report.restored[0]?.path ?? '', ...(report.restored[0]?.backup && { backup: report.restored[0].backup }), ...(report.restoreId && { restoreId: report.restoreId }) }));
}

/** Undoes a whole export: every file it changed gets its backup back, every file it created is removed. */
export async function restoreExport(outDir: string, id: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  return lockedRestore(outDir, options, async (folder, manifests) => ({ ...(await restoreChanges(folder, recordedExport(manifests, id, outDir))), source: id }));
}

/** The record's entry for `backup`; refused when no recorded export made it. */
export function recordedBackup(manifests: readonly ExportManifest[], backup: string, shown: string): { entry: ManifestFile; source: string } {
  const wanted = posix.normalize(backup.split('\\').join('/'));
  const entry = manifests.flatMap((m) => m.files).find((file) => file.backup?.path === wanted);
  if (!entry) {
    throw new SetupError({
      code: 'BACKUP_NOT_RECOGNISED',
      field: 'backup',
      message: `${backup} is not a backup that a recorded export made in ${shown}.`,
      fix: 'Pick one of the backups `n8n-setup restore --list` shows (older .bak files can be copied back by hand).',
    });
  }
  return { entry, source: wanted };
}

/** The files export `id` changed or created. */
export function recordedExport(manifests: readonly ExportManifest[], id: string, shown: string): ManifestFile[] {
  const manifest = isManifestId(id) ? manifests.find((m) => m.id === id) : undefined;
  if (!manifest) {
    throw new SetupError({ code: 'BACKUP_NOT_FOUND', field: 'export', message: `No recorded export ${id} in ${shown}.`, fix: 'Pick one of the exports `n8n-setup restore --out DIR --list` shows.' });
  }
  return manifest.files.filter((file) => file.action !== 'unchanged');
}

/** The backups the records list, newest first. */
export function backupRows(manifests: readonly ExportManifest[]): BackupRow[] {
  return manifests.flatMap((manifest) => manifest.files.flatMap((file) => (file.backup ? [{ backup: file.backup.path, target: file.path, takenAt: manifest.at, size: file.backup.size, exportId: manifest.id }] : [])));
}

async function lockedRestore(
  outDir: string,
  options: RestoreOptions,
  /** `source`: the export id or backup being put back, for the record. */
  plan: (folder: TargetFolder, manifests: ExportManifest[]) => Promise<{ changes: FileChange[]; changedSince: string[]; source: string }>,
): Promise<RestoreReport> {
  return withTargetFolder(outDir, async (folder) => {
    if (options.dryRun) {
      // What the restore would do, each backup verified as the restore itself would: shown before asking.
      const { changes, changedSince } = await plan(folder, await readManifests(folder));
      return { restored: await Promise.all(changes.map(async (change) => ({ path: change.path, action: await dryRunAction(folder, change) }))), changedSince, dryRun: true, fingerprint: await fingerprintOf(folder, changes) };
    }
    const lock = await lockFolder(folder, 'restore');
    try {
      const { changes, changedSince, source } = await plan(folder, await readManifests(folder));
      if (options.expect !== undefined && options.expect !== (await fingerprintOf(folder, changes))) throw restoreChangedError();
      const now = options.now ?? new Date();
      const outcomes = await replaceFiles(folder, changes, { now, ...(options.faults && { faults: options.faults }) });
      const restoreId = newManifestId(now, await recordIds(folder));
      await writeManifest(folder, { version: 1, id: restoreId, kind: 'restore', at: now.toISOString(), restored: source, files: manifestFiles(outcomes) });
      const changedAny = outcomes.some((o) => o.action !== 'unchanged');
      return { restored: outcomes.map((o) => ({ path: o.path, action: o.action, ...(o.backup && { backup: o.backup }) })), changedSince, ...(changedAny && { restoreId }) };
    } finally {
      await lock.release();
    }
  });
}

/** Each file's current bytes and mode and what would replace them: equal fingerprints, the same restore. */
async function fingerprintOf(folder: TargetFolder, changes: readonly FileChange[]): Promise<string> {
  return restoreFingerprint(localSource(folder), changes);
}

/** The fingerprint of a restore from any source (a server's files too). */
export async function restoreFingerprint(source: RestoreSource, changes: readonly FileChange[]): Promise<string> {
  const parts: string[] = [];
  for (const change of changes) {
    const current = await source.read(change.path);
    const next = change.content === null ? 'remove' : hash(typeof change.content === 'string' ? Buffer.from(change.content) : change.content);
    parts.push(`${change.path}\0${current ? `${hash(current.bytes)}:${current.mode & 0o7777}` : 'none'}\0${next}:${change.mode}`);
  }
  return hash(Buffer.from(parts.join('\n')));
}

/** A restore confirmed for what a dry run showed, when the folder is no longer that. */
export function restoreChangedError(): SetupError {
  return new SetupError({ code: 'RESTORE_CHANGED', message: 'The folder changed after the restore was shown (a file or a backup is not what it was then). Nothing was changed.', fix: 'Look at what the restore would do again, then confirm.' });
}

async function dryRunAction(folder: TargetFolder, change: FileChange): Promise<FileOutcome['action']> {
  const at = await folder.findFile(change.path);
  const current = at && (await readFileAt(at));
  if (change.content === null) return current ? 'removed' : 'unchanged';
  if (!current) return 'created';
  return hash(current.bytes) === hash(typeof change.content === 'string' ? Buffer.from(change.content) : change.content) ? 'unchanged' : 'updated';
}

/** A file as restore sees it: its bytes, mode and owner (read without following a link out of the folder). */
export interface RestoreFile {
  bytes: Buffer;
  mode: number;
  uid: number;
}

/** Where restore reads: the folder's owner and its files, locally (target-folder.ts) or on a server (remote-folder.ts). */
export interface RestoreSource {
  ownerUid: number;
  read(rel: string): Promise<RestoreFile | undefined>;
}

function localSource(folder: TargetFolder): RestoreSource {
  return {
    ownerUid: folder.owner.uid,
    read: async (rel) => {
      const at = await folder.findFile(rel);
      const found = at && (await readFileAt(at));
      return found && { bytes: found.bytes, mode: found.stats.mode, uid: found.stats.uid };
    },
  };
}

/** The changes that put `files` back as they were before their export, each backup checked first. */
export async function restoreChanges(source: RestoreSource | TargetFolder, files: readonly ManifestFile[]): Promise<{ changes: FileChange[]; changedSince: string[] }> {
  const from = 'read' in source ? source : localSource(source);
  const changes: FileChange[] = [];
  const changedSince: string[] = [];
  for (const file of files) {
    const current = await from.read(file.path);
    if (current && file.sha256 && hash(current.bytes) !== file.sha256) changedSince.push(file.path);
    if (!file.backup) {
      // The export created this file: undoing it removes the file (after a backup of what it holds).
      changes.push({ path: file.path, content: null, mode: 0o600, holdsSecret: false });
      continue;
    }
    const saved = await verifiedBackup(from, file.backup, current);
    changes.push({ path: file.path, content: saved.bytes, mode: saved.mode & 0o777, holdsSecret: false, tightenExisting: true });
  }
  return { changes, changedSince };
}

async function verifiedBackup(from: RestoreSource, backup: NonNullable<ManifestFile['backup']>, current: RestoreFile | undefined): Promise<RestoreFile> {
  const saved = await from.read(backup.path);
  const refuse = (why: string, fix: string) => new SetupError({ code: 'BACKUP_NOT_RECOGNISED', field: 'backup', message: `Refusing to restore ${backup.path}: ${why}. No file was changed.`, fix });
  if (!saved) throw new SetupError({ code: 'BACKUP_NOT_FOUND', field: 'backup', message: `The backup ${backup.path} is gone (deleted or moved). No file was changed.`, fix: 'Pick another backup from `n8n-setup restore --list`.' });
  const owner = current?.uid ?? from.ownerUid;
  if (saved.uid !== owner) throw refuse(`it belongs to uid ${saved.uid}, not to the owner of the file it would replace (uid ${owner})`, 'Check who changed the backup; copy it back by hand if it is yours.');
  if (hash(saved.bytes) !== backup.sha256) throw refuse('its content is no longer what export saved (its SHA-256 differs from the record)', 'Check who changed the backup; copy it back by hand if you trust it.');
  return saved;
}
