/**
 * The export records and backups of a folder on a server, and putting them back, over SSH: the same choice of
 * files and the same checks as a local restore (export-backups.ts) — only a backup a record lists, still a
 * regular file with one link, its recorded SHA-256 and the owner of the file it replaces — written with the
 * remote folder's guarantees (remote-folder.ts), and recorded so that it can be undone too.
 */
import type { FileOutcome } from '../files/replace-files.js';
import { RemoteFolder, writeRemoteFiles, type RemoteFolderRef } from '../remote/remote-folder.js';
import type { SshOptions } from '../remote/ssh-connection.js';
import { backupRows, recordedBackup, recordedExport, restoreChangedError, restoreChanges, restoreFingerprint, type BackupRow, type RestoreReport, type RestoreSource } from './export-backups.js';
import { isRecordName, manifestFiles, MANIFEST_DIR_MODES, MANIFEST_FOLDER, newManifestId, parseManifest, type ExportManifest, type ManifestFile } from './export-manifest.js';

export type RestoreWhat = { exportId: string } | { backup: string };

export async function listExportsOnServer(ref: RemoteFolderRef, ssh: SshOptions): Promise<ExportManifest[]> {
  return readRecords(new RemoteFolder(ref, ssh));
}

export async function listBackupsOnServer(ref: RemoteFolderRef, ssh: SshOptions): Promise<BackupRow[]> {
  return backupRows(await listExportsOnServer(ref, ssh));
}

/** `expect`: a dry run's fingerprint; the restore is refused if the files or the backups changed since. */
export async function restoreOnServer(ref: RemoteFolderRef, ssh: SshOptions, what: RestoreWhat, options: { dryRun?: boolean; now?: Date; expect?: string } = {}): Promise<RestoreReport> {
  const folder = new RemoteFolder(ref, ssh);
  const manifests = await readRecords(folder);
  const [files, source]: [ManifestFile[], string] =
    'exportId' in what ? [recordedExport(manifests, what.exportId, ref.shown), what.exportId] : (({ entry, source: s }) => [[entry], s] as [ManifestFile[], string])(recordedBackup(manifests, what.backup, ref.shown));
  await folder.open(files.flatMap((file) => [file.path, ...(file.backup ? [file.backup.path] : [])]));
  const reader: RestoreSource = { ownerUid: folder.facts!.owner.uid, read: async (rel) => folder.read(rel) };
  const { changes, changedSince } = await restoreChanges(reader, files);
  if (options.dryRun) {
    const restored = await Promise.all(changes.map(async (change) => ({ path: change.path, action: dryRunAction(await folder.read(change.path), change.content) })));
    return { restored, changedSince, dryRun: true, fingerprint: await restoreFingerprint(reader, changes) };
  }
  // What the dry run saw, or nothing; from here on the write checks each file under the lock (SHA-256).
  if (options.expect !== undefined && options.expect !== (await restoreFingerprint(reader, changes))) throw restoreChangedError();
  const now = options.now ?? new Date();
  const restoreId = newManifestId(now, manifests.map((m) => m.id));
  let recorded = false;
  const { outcomes } = await writeRemoteFiles(folder, changes, {
    now,
    what: 'restore',
    dirModes: MANIFEST_DIR_MODES,
    withOutcomes: (written) => {
      if (written.every((o) => o.action === 'unchanged')) return [];
      recorded = true;
      const record: ExportManifest = { version: 1, id: restoreId, kind: 'restore', at: now.toISOString(), restored: source, files: manifestFiles(written) };
      return [{ path: `${MANIFEST_FOLDER}/${restoreId}.json`, content: `${JSON.stringify(record, null, 2)}\n`, mode: 0o600, holdsSecret: true }];
    },
  });
  return { restored: outcomes.map((o) => ({ path: o.path, action: o.action, ...(o.backup && { backup: o.backup }) })), changedSince, ...((recorded as boolean) ? { restoreId } : {}) };
}

/** Every record in the folder, newest first; files that are not records are skipped. */
async function readRecords(folder: RemoteFolder): Promise<ExportManifest[]> {
  const names = (await folder.list(MANIFEST_FOLDER)).filter(isRecordName).sort().reverse();
  await folder.open(names.map((name) => `${MANIFEST_FOLDER}/${name}`));
  const manifests: ExportManifest[] = [];
  for (const name of names) {
    const file = await folder.read(`${MANIFEST_FOLDER}/${name}`).catch(() => undefined);
    const manifest = file && file.bytes.length <= 1024 * 1024 ? parseManifest(file.bytes.toString('utf8'), name.slice(0, -5)) : undefined;
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}

function dryRunAction(current: { bytes: Buffer } | undefined, content: string | Uint8Array | null): FileOutcome['action'] {
  if (content === null) return current ? 'removed' : 'unchanged';
  if (!current) return 'created';
  return current.bytes.equals(Buffer.from(content)) ? 'unchanged' : 'updated';
}
