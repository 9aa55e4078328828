/**
 * Export into a folder on a server, over SSH: the same plan as a local export (export-setup.ts), made from the
 * files as they are on the server, and written there with the same rules — merge in place, temp file, sync and
 * rename, backups, modes and owners, the folder's lock, the link policy, the export's record
 * (services/remote/remote-folder.ts).
 */
import { posix } from 'node:path';
import type { Warning } from '../../shared/errors.js';
import { COMPOSE_FILE_NAMES, OVERRIDE_FILE_NAMES } from '../../shared/deployment/compose-files.js';
import { PLATFORM_MARKER_FILES } from '../../shared/deployment/deployment-platform.js';
import { SECRET_FILES, secretFilePath, SECRETS_FOLDER, type SecretFileVariable } from '../../shared/export/secret-files.js';
import { TOOL_FILE } from '../../shared/export/tool-file.js';
import { decodeTextFile, MAX_TEXT_FILE_BYTES, textFileTooLarge } from '../input/read-text-input.js';
import { RemoteFolder, writeRemoteFiles, type RemoteFolderRef, type RemoteStep } from '../remote/remote-folder.js';
import type { SshOptions } from '../remote/ssh-connection.js';
import { dryRunReport, EXPORT_DIR_MODES, exportChanges, planFor, writtenReport, type ExportReport, type ExportRequest, type ReadText } from './export-setup.js';
import { isRecordName, MANIFEST_DIR_MODES, MANIFEST_FOLDER, manifestFiles, newManifestId } from './export-manifest.js';

export interface ServerExportRequest extends Omit<ExportRequest, 'outDir' | 'faults'> {
  folder: RemoteFolderRef;
  ssh: SshOptions;
  onStep?: (step: RemoteStep) => void;
  /** Tests: a pause after the new contents are on the server, before anything is replaced. */
  pauseAfterStagingMs?: number;
}

/** What the first round trip reads besides the folder's names; the second reads the other files beside them. */
const FIRST_READ = ['.env', ...COMPOSE_FILE_NAMES, ...OVERRIDE_FILE_NAMES, ...(Object.keys(SECRET_FILES) as SecretFileVariable[]).map(secretFilePath), TOOL_FILE, ...PLATFORM_MARKER_FILES, 'Caddyfile'];

export async function exportToServer(request: ServerExportRequest): Promise<ExportReport> {
  const folder = new RemoteFolder(request.folder, request.ssh);
  const facts = await folder.open(FIRST_READ);
  const others = facts.names.filter((name) => /\.(ya?ml|env)$/i.test(name) && !FIRST_READ.includes(name));
  if (others.length > 0) await folder.open(others.slice(0, 64));
  const read = serverReadText(folder);
  const asRoot = facts.loginUid === 0;
  const planned = await planFor({ ...request, outDir: request.folder.path }, read, asRoot);
  // Every file the export would write, read in one round trip: the review compares with them, the write checks them.
  await folder.ensureRead([...planned.plan.files.map((file) => file.path), ...(planned.tool ? [TOOL_FILE] : [])]);
  if (request.dryRun) return dryRunReport(planned, read, request.diffs);

  const now = request.now ?? new Date();
  // After the records already there, so that newest-first stays the order the exports wrote in.
  const exportId = newManifestId(now, (await folder.list(MANIFEST_FOLDER)).filter(isRecordName).map((name) => name.slice(0, -5)));
  let recorded = false;
  const { outcomes, tightenedFolders } = await writeRemoteFiles(folder, exportChanges(planned, asRoot), {
    dirModes: { ...EXPORT_DIR_MODES, ...MANIFEST_DIR_MODES },
    now,
    what: 'export',
    tightenFolders: planned.plan.files.some((f) => f.kind === 'secret') ? [SECRETS_FOLDER] : [],
    // The record goes in the same write, so the export and its record land together.
    withOutcomes: (written) => {
      if (written.every((o) => o.action === 'unchanged')) return [];
      recorded = true;
      const manifest = { version: 1, id: exportId, kind: 'export', at: now.toISOString(), files: manifestFiles(written) };
      return [{ path: `${MANIFEST_FOLDER}/${exportId}.json`, content: `${JSON.stringify(manifest, null, 2)}\n`, mode: 0o600, holdsSecret: true }];
    },
    ...(request.onStep && { onStep: request.onStep }),
    ...(request.pauseAfterStagingMs && { pauseAfterStagingMs: request.pauseAfterStagingMs }),
  });
  const warnings: Warning[] = [...planned.plan.warnings];
  if (folder.facts?.throughSudo) {
    warnings.push({ code: 'WARN_THROUGH_SUDO', message: `${request.folder.shown} is root's and the login may not write it: its files were read and written as root through sudo -n (secret files belong to n8n's uid 1000, as when logged in as root).` });
  }
  for (const folderTightened of tightenedFolders) {
    warnings.push({ code: 'WARN_MODE_TIGHTENED', message: `${folderTightened.path}/ was readable by others (0${folderTightened.from.toString(8)}); it now is 0700, so only its owner can enter it.` });
  }
  return writtenReport(planned, outcomes, warnings, recorded ? exportId : undefined);
}

/** The server's files as export reads local ones: strict UTF-8, the same size limit, links by the same rule. */
function serverReadText(folder: RemoteFolder): ReadText {
  const decode = (bytes: Buffer, name: string) => {
    const source = { name, field: posix.basename(name), holds: 'the lines you wrote', showLine: true, fix: `Convert it to UTF-8 on the server (iconv -f latin1 -t utf-8), then export again.` };
    if (bytes.length > MAX_TEXT_FILE_BYTES) throw textFileTooLarge(source, bytes.length);
    return decodeTextFile(bytes, source);
  };
  const shown = (rel: string) => `${folder.ref.shown.replace(/\/$/, '')}/${rel}`;
  const read: ReadText = async (rel) => {
    const file = await folder.read(rel);
    return file && decode(file.bytes, shown(rel));
  };
  read.names = async () => folder.facts?.names ?? [];
  read.bytes = async (rel) => (await folder.read(rel))?.bytes;
  read.outside = async (path) => {
    const file = await folder.readOutside(path);
    return file && decode(file.bytes, path);
  };
  // Compose on the server reads its own environment, not this machine's.
  read.composeEnv = { pathSeparator: ':' };
  return read;
}
