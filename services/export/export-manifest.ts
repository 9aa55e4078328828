/**
 * Each export (and each restore) that changes anything records what it did in
 * `.n8n-setup/exports/<id>.json` inside the folder: every file with its action, mode and SHA-256, and the
 * backup it made with the backup's SHA-256. Restore trusts only backups listed here, and a whole export can be
 * undone from its record. The folder and the records are 0700/0600: the hashes of secret files stay private.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { backupStamp, stampToIso } from '../files/backup-names.js';
import { readFileAt } from '../files/read-file-at.js';
import { replaceFiles, type FileOutcome } from '../files/replace-files.js';
import type { TargetFolder } from '../files/target-folder.js';

export const MANIFEST_FOLDER = '.n8n-setup/exports';
export const MANIFEST_DIR_MODES = { '.n8n-setup': 0o700, '.n8n-setup/exports': 0o700 };

export interface ManifestFile {
  path: string;
  action: FileOutcome['action'];
  mode: string;
  sha256?: string;
  backup?: { path: string; sha256: string; size: number };
}

export interface ExportManifest {
  version: 1;
  id: string;
  kind: 'export' | 'restore';
  at: string;
  /** For a restore: the export or backup it put back. */
  restored?: string;
  files: ManifestFile[];
}

const ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A new record's id, sorting after every record already there: records are listed newest first by name, and two
 * runs in the same millisecond (or a clock set back a little) must still list in the order they wrote. A record
 * stamped more than a day ahead (a clock that was wrong) is not followed.
 */
export function newManifestId(now: Date, existing: Iterable<string> = []): string {
  let at = now.getTime();
  for (const id of existing) {
    if (!isManifestId(id)) continue;
    const stamped = Date.parse(stampToIso(id.slice(0, 19)));
    if (stamped >= at && stamped - now.getTime() < DAY_MS) at = stamped + 1;
  }
  return `${backupStamp(new Date(at))}-${randomBytes(4).toString('hex')}`;
}

/** The ids of the records in the folder (read under its lock, for `newManifestId`). */
export async function recordIds(folder: TargetFolder): Promise<string[]> {
  const dir = await folder.existingFolder(MANIFEST_FOLDER);
  if (!dir) return [];
  return (await readdir(dir.path)).filter(isRecordName).map((name) => name.slice(0, -5));
}

export function isManifestId(id: string): boolean {
  return ID.test(id);
}

export function manifestFiles(outcomes: readonly FileOutcome[]): ManifestFile[] {
  return outcomes.map((o) => ({
    path: o.path,
    action: o.action,
    mode: `0${o.mode.toString(8)}`,
    ...(o.sha256 && { sha256: o.sha256 }),
    ...(o.backup && o.backupSha256 && { backup: { path: o.backup, sha256: o.backupSha256, size: o.backupSize ?? 0 } }),
  }));
}

/** Records a run that changed something; a run that changed nothing leaves no record. */
export async function writeManifest(folder: TargetFolder, manifest: ExportManifest): Promise<void> {
  if (manifest.files.every((file) => file.action === 'unchanged')) return;
  await replaceFiles(folder, [{ path: `${MANIFEST_FOLDER}/${manifest.id}.json`, content: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o600, holdsSecret: true }], { dirModes: MANIFEST_DIR_MODES });
}

/** Every record in the folder, newest first. Files that are not records (or not ours) are skipped. */
export async function readManifests(folder: TargetFolder): Promise<ExportManifest[]> {
  const dir = await folder.existingFolder(MANIFEST_FOLDER);
  if (!dir) return [];
  const manifests: ExportManifest[] = [];
  for (const name of (await readdir(dir.path)).sort().reverse()) {
    if (!isRecordName(name)) continue;
    // A record this size is not one of ours (they are a few KB): skipped, like any other file that is not a record.
    const found = await readFileAt({ dir: dir.path, name, shown: join(dir.shown, name), rel: `${MANIFEST_FOLDER}/${name}` }, { maxBytes: 1024 * 1024, tooLarge: () => new NotARecord() }).catch((error: unknown) => {
      if (error instanceof NotARecord) return undefined;
      throw error;
    });
    const manifest = found && parseManifest(found.bytes.toString('utf8'), name.slice(0, -5));
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}

class NotARecord extends Error {}

/** `<id>.json` in the records folder. */
export function isRecordName(name: string): boolean {
  return name.endsWith('.json') && isManifestId(name.slice(0, -5));
}

export function parseManifest(text: string, id: string): ExportManifest | undefined {
  try {
    const value = JSON.parse(text) as ExportManifest;
    if (value.version !== 1 || value.id !== id || !Array.isArray(value.files)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}
