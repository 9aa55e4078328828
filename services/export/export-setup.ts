/**
 * Export: read what exists in the target folder, plan the new files (shared/export), then replace them
 * atomically with backups. The same call serves the CLI, the app and serve mode.
 */
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { SetupError, type Warning } from '../../shared/errors.js';
import type { KeyChange } from '../../shared/export/key-changes.js';
import type { FileDiff } from '../../shared/export/file-diffs.js';
import { planExport, type ExportInput, type ExportPlan } from '../../shared/export/plan-export.js';
import { SECRET_FILES, secretFilePath, SECRETS_FOLDER, type SecretFileVariable } from '../../shared/export/secret-files.js';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import { TOOL_FILE, TOOL_FILE_MODE } from '../../shared/export/tool-file.js';
import { deriveN8nSettings } from '../../shared/n8n/derive-n8n-settings.js';
import { envFilePaths, readDeployment } from '../../shared/deployment/read-deployment.js';
import type { Deployment } from '../../shared/deployment/deployment.js';
import { selectComposeFiles, type ComposeEnv } from '../../shared/deployment/compose-files.js';
import { lastValues, parseEnvFile } from '../../shared/env-file/parse-env-file.js';
import { PLATFORM_MARKER_FILES } from '../../shared/deployment/deployment-platform.js';
import { lockFolder } from '../files/folder-lock.js';
import { readFileAt } from '../files/read-file-at.js';
import { replaceFiles, type FileChange, type FileOutcome } from '../files/replace-files.js';
import { withTargetFolder, type TargetFolder } from '../files/target-folder.js';
import { decodeTextFile, MAX_TEXT_FILE_BYTES, readTextFile, textFileTooLarge } from '../input/read-text-input.js';
import type { WriteFaults } from '../files/write-file-atomic.js';
import { machineTimezone, resolveProfilePath, type LoadedProfile } from '../profile/read-profile-file.js';
import { MANIFEST_FOLDER, manifestFiles, newManifestId, recordIds, writeManifest } from './export-manifest.js';
import { findOtherComposeFiles, processComposeEnv, readProjectFiles } from './read-project-files.js';

export interface ExportRequest {
  loaded: LoadedProfile;
  outDir: string;
  secrets: Partial<Record<SecretFileVariable, string>>;
  /** Secrets left in .env that nothing reads, to remove (each must be one the plan lists). */
  removeUnusedSecrets?: readonly string[];
  dryRun?: boolean;
  /** With dryRun: a unified diff of each file, secrets masked (the wizard's review). */
  diffs?: boolean;
  /** Where this installation's single-file CLI is, to write into the folder as tools/n8n-setup.cjs. */
  cliBundle?: string;
  faults?: WriteFaults;
  now?: Date;
}

export interface ExportReport {
  ok: true;
  dryRun: boolean;
  files: Array<{ path: string; action: FileOutcome['action'] | 'would-create' | 'would-update'; backup?: string; mode?: string; tightenedFrom?: string }>;
  /** The record of this export (restore --export ID); absent when nothing changed. */
  exportId?: string;
  changed: string[];
  changes: KeyChange[];
  warnings: Warning[];
  secrets: ExportPlan['secrets'];
  /** An existing deployment changed in place: what each service gets (the review groups the changes by it). */
  services?: ExportPlan['services'];
  /** Secrets in .env that nothing reads after this export: name, file and lines, never the value. */
  unusedSecrets: ExportPlan['unusedSecrets'];
  /** The compose file and n8n service the commands after the export name. */
  project: ExportPlan['project'];
  /** A dry run asked for diffs: each file line by line, secrets masked. */
  diffs?: FileDiff[];
  /** Set only when deploy.encryptionKey is "generate": shown once, never logged or put in --json output. */
  generatedEncryptionKey?: string;
}

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function exportSetup(request: ExportRequest): Promise<ExportReport> {
  const { outDir } = request;
  // A new instance: plan on nothing first, so that bad input fails before the folder is made (its parent must exist).
  const planned = (await isFolder(outDir)) ? undefined : await planFor(request, async () => undefined);
  if (planned && request.dryRun) return dryRunReport(planned, async () => undefined, request.diffs);
  if (planned) await mkdir(outDir, { recursive: true, mode: 0o755 });
  return withTargetFolder(outDir, async (folder) => {
    const read: ReadText = (rel) => readTextAt(folder, rel);
    read.names = () => fileNames(folder);
    read.bytes = (rel) => readBytesAt(folder, rel);
    if (request.dryRun) return dryRunReport(await planFor(request, read), read, request.diffs);
    // Reading, planning and writing happen under the lock, so no other run changes the files in between.
    const lock = await lockFolder(folder, 'export');
    try {
      const reread = planned && (await isUntouched(read, outDir)) ? planned : await planFor(request, read);
      return await writePlanned(request, folder, reread);
    } finally {
      await lock.release();
    }
  });
}

/**
 * Reads a file of the folder; `names`: the names in the folder itself (none for a folder not made yet); `bytes`: a file
 * undecoded; `outside`: a file outside the folder the compose files name; `composeEnv`: COMPOSE_FILE where Compose runs.
 */
export type ReadText = ((rel: string) => Promise<string | undefined>) & {
  names?: () => Promise<string[]>;
  bytes?: (rel: string) => Promise<Uint8Array | undefined>;
  outside?: (path: string) => Promise<string | undefined>;
  composeEnv?: ComposeEnv;
};

export interface Planned {
  plan: ExportPlan;
  /** The bytes of this installation's CLI bundle, for tools/n8n-setup.cjs. */
  tool?: Uint8Array;
  base: Pick<ExportReport, 'changed' | 'changes' | 'warnings' | 'secrets' | 'services' | 'unusedSecrets' | 'project'>;
  keyNotice: Pick<ExportReport, 'generatedEncryptionKey'>;
}

/** The plan for the folder `read` reads; `asRoot`: the writer may hand secret files to n8n's uid (0600) rather than 0644 in a 0700 folder. */
export async function planFor(request: Omit<ExportRequest, 'outDir'> & { outDir: string }, read: ReadText, asRoot = runningAsRoot()): Promise<Planned> {
  const { loaded } = request;
  const profile = loaded.resolved;
  const existing = await readExisting(read, request.outDir);
  const secrets = { ...request.secrets };
  if (profile.deploy.encryptionKey === 'generate' && !secrets.N8N_ENCRYPTION_KEY) secrets.N8N_ENCRYPTION_KEY = (await import('node:crypto')).randomBytes(32).toString('base64url');

  const zone = profile.deploy.timezone ? undefined : machineTimezone();
  const plan = planExport({
    profile,
    existing,
    secrets,
    sources: await readSources(loaded),
    // n8n runs as uid 1000 and reads bind-mounted secrets with the host's owner and mode: as root we hand
    // the file to that uid with 0600; otherwise 0644 inside a 0700 folder only the admin can enter.
    secretFileMode: asRoot ? 0o600 : 0o644,
    ...(zone && { machineTimezone: zone }),
    ...(request.removeUnusedSecrets && { removeUnusedSecrets: request.removeUnusedSecrets }),
  });
  const tool = await readCliBundle(request.cliBundle);
  if (tool && !(tool instanceof Uint8Array)) plan.warnings.push(tool);

  const changed = [...new Set(plan.changes.map((c) => c.key))];
  const base = { changed, changes: plan.changes, warnings: plan.warnings, secrets: plan.secrets, ...(plan.services && { services: plan.services }), unusedSecrets: plan.unusedSecrets, project: plan.project };
  const keyNotice = secrets.N8N_ENCRYPTION_KEY && profile.deploy.encryptionKey === 'generate' ? { generatedEncryptionKey: secrets.N8N_ENCRYPTION_KEY } : {};
  return { plan, base, keyNotice, ...(tool instanceof Uint8Array && { tool }) };
}

/** A folder made for this run is still without any file export reads: the plan made on nothing holds. */
async function isUntouched(read: ReadText, outDir: string): Promise<boolean> {
  const existing = await readExisting(read, outDir);
  return Object.keys(existing).every((key) => key === 'secretFiles' || key === 'envFiles' || key === 'composeEnv' || key === 'otherComposeFiles') && Object.keys(existing.secretFiles ?? {}).length === 0 && existing.otherComposeFiles?.length === 0;
}

export async function dryRunReport({ plan, base, tool }: Planned, read: ReadText, withDiffs = false): Promise<ExportReport> {
  const current = await Promise.all(plan.files.map(async (file) => (await read(file.path).catch(unlessLinkRefused)) as string | undefined));
  const toolNow = tool && (await read.bytes?.(TOOL_FILE).catch(unlessLinkRefused));
  const toolAction: ReturnType<typeof dryRunAction> | undefined = tool && (toolNow === undefined ? 'would-create' : Buffer.from(toolNow).equals(tool) ? 'unchanged' : 'would-update');
  const files = [...plan.files.map((file, i) => ({ path: file.path, action: dryRunAction(current[i], file.content) })), ...(toolAction ? [{ path: TOOL_FILE, action: toolAction }] : [])];
  if (!withDiffs) return { ok: true, dryRun: true, files, ...base };
  const masking = plan.masking();
  const { fileDiffs } = await import('../../shared/export/file-diffs.js');
  const diffs = fileDiffs(
    plan.files.map((file, i) => ({ path: file.path, kind: file.kind, before: current[i], after: file.content })),
    masking.values,
    new Set(masking.carriers),
  );
  if (tool && toolAction) {
    const status = toolAction === 'would-create' ? 'new' : toolAction === 'unchanged' ? 'unchanged' : 'changed';
    diffs.push({ path: TOOL_FILE, status, note: `this tool as one file (${Math.round(tool.length / 1024)} KB): not shown line by line`, added: 0, removed: 0 });
  }
  return { ok: true, dryRun: true, files, ...base, diffs };
}

async function writePlanned(request: ExportRequest, folder: TargetFolder, planned: Planned): Promise<ExportReport> {
  // Where the record will go is checked before any file is written: a link there refuses the whole export.
  await folder.existingFolder(MANIFEST_FOLDER);
  const warnings = [...planned.plan.warnings];
  if (planned.plan.files.some((f) => f.kind === 'secret')) warnings.push(...(await tightenSecretsFolder(folder)));
  const now = request.now ?? new Date();
  const outcomes = await replaceFiles(folder, exportChanges(planned, runningAsRoot()), { dirModes: EXPORT_DIR_MODES, now, ...(request.faults && { faults: request.faults }) });
  const exportId = await recordExport(folder, outcomes, now, warnings);
  return writtenReport(planned, outcomes, warnings, exportId);
}

export const EXPORT_DIR_MODES = { [SECRETS_FOLDER]: 0o700 };

/** The files an export writes: the plan's, and this tool as one file. As root, secret files become n8n's (uid 1000). */
export function exportChanges({ plan, tool }: Planned, asRoot: boolean): FileChange[] {
  const containerOwner = asRoot ? { owner: { uid: CONTAINER.uid, gid: CONTAINER.uid } } : {};
  return plan.files
    .map((f): FileChange => ({
      path: f.path,
      content: f.content,
      mode: f.mode,
      holdsSecret: f.holdsSecret,
      ...(f.previousHeldSecret && { previousHeldSecret: true }),
      ...(f.kind === 'secret' && containerOwner),
    }))
    .concat(tool ? [{ path: TOOL_FILE, content: tool, mode: TOOL_FILE_MODE, holdsSecret: false }] : []);
}

/** The report of a written export; `warnings` the plan's and the write's. */
export function writtenReport({ base, keyNotice }: Planned, outcomes: readonly FileOutcome[], warnings: Warning[], exportId: string | undefined): ExportReport {
  for (const outcome of outcomes.filter((o) => o.tightenedFrom !== undefined)) {
    warnings.push({ code: 'WARN_MODE_TIGHTENED', message: `${outcome.path} now holds a password, so its permissions were tightened from ${octal(outcome.tightenedFrom ?? 0)} to ${octal(outcome.mode)}.` });
  }
  return {
    ok: true,
    dryRun: false,
    files: outcomes.map((o) => ({
      path: o.path,
      action: o.action,
      mode: octal(o.mode),
      ...(o.backup && { backup: o.backup }),
      ...(o.tightenedFrom !== undefined && { tightenedFrom: octal(o.tightenedFrom) }),
    })),
    ...base,
    warnings,
    ...(exportId && { exportId }),
    ...keyNotice,
  };
}

/** The export's record, for restoring it whole; a failure to write it is a warning, not a failed export. */
async function recordExport(folder: TargetFolder, outcomes: FileOutcome[], now: Date, warnings: Warning[]): Promise<string | undefined> {
  if (outcomes.every((o) => o.action === 'unchanged')) return undefined;
  try {
    const id = newManifestId(now, await recordIds(folder));
    await writeManifest(folder, { version: 1, id, kind: 'export', at: now.toISOString(), files: manifestFiles(outcomes) });
    return id;
  } catch (error) {
    warnings.push({ code: 'WARN_NO_EXPORT_RECORD', message: `The files were written, but the record of this export could not be saved (${(error as Error).message}); restore its backups one by one.` });
    return undefined;
  }
}

function caddyfileLocation(configFile: string | undefined, outDir: string): { path?: string; outside?: string } {
  if (configFile === undefined) return { path: 'Caddyfile' };
  const absolute = isAbsolute(configFile) ? configFile : join(outDir, configFile);
  const inside = relative(resolve(outDir), absolute);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return { outside: absolute };
  return { path: inside.split(sep).join('/') };
}

async function readExisting(read: ReadText, outDir: string): Promise<ExportInput['existing']> {
  const composeEnv = read.composeEnv ?? processComposeEnv();
  const texts = await readProjectFiles(read, outDir, composeEnv, read.outside);
  const env = texts.get('.env');
  // A marker that is there counts, whatever it holds.
  const siblings = (await Promise.all(PLATFORM_MARKER_FILES.map((name) => read(name).then((text) => text !== undefined, () => true)))).flatMap((there, i) => (there ? [PLATFORM_MARKER_FILES[i]!] : []));
  const deployment = deploymentOrNothing(texts, composeEnv, siblings);
  // A project that cannot be read still has its compose file, for the plan to say what is wrong with it.
  const loaded = deployment?.files ?? selectComposeFiles((path) => texts.get(path) !== undefined, lastValues(parseEnvFile(env ?? '')), composeEnv).files;
  const [compose, ...others] = loaded.flatMap((file) => (texts.get(file.path) === undefined ? [] : [{ ...file, text: texts.get(file.path)! }]));
  const override = others.find((file) => file.role === 'override');
  // The Caddyfile the caddy service mounts (n8n-hosting's ${DATA_FOLDER}/caddy_config/Caddyfile), when it is in this folder.
  const caddyConfig = caddyfileLocation(deployment?.proxy.configFile, outDir);
  const caddyfile = caddyConfig.path !== undefined ? await read(caddyConfig.path) : undefined;
  const secretFiles: Partial<Record<SecretFileVariable, string>> = {};
  for (const variable of Object.keys(SECRET_FILES) as SecretFileVariable[]) {
    const content = await read(secretFilePath(variable));
    if (content !== undefined) secretFiles[variable] = content;
  }
  const envFiles: Record<string, string> = {};
  for (const path of deployment ? envFilePaths(deployment) : []) {
    const text = texts.get(path);
    if (text !== undefined) envFiles[path] = text;
  }
  const otherComposeFiles = await findOtherComposeFiles((await read.names?.()) ?? [], [...texts.keys()], read);
  return {
    ...(env !== undefined && { env }),
    ...(compose && { compose: { name: compose.path, text: compose.text } }),
    envFiles,
    ...(siblings.length > 0 && { siblings }),
    ...(override && { composeOverride: { name: override.path, text: override.text } }),
    ...(others.length > 0 && { composeFiles: Object.fromEntries(others.map((file) => [file.path, file.text])) }),
    // The plan reads the project again and says what is wrong with it: it gets every file read so far.
    ...(!deployment && { composeFiles: Object.fromEntries([...texts].filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== '.env' && entry[0] !== compose?.path)) }),
    composeEnv,
    ...(caddyfile !== undefined && { caddyfile }),
    ...(caddyConfig.path !== undefined && caddyConfig.path !== 'Caddyfile' && { caddyfilePath: caddyConfig.path }),
    ...(caddyConfig.outside !== undefined && { caddyfileOutside: caddyConfig.outside }),
    otherComposeFiles,
    secretFiles,
  };
}

/** What the folder runs, for finding its files; a project that cannot be read is reported by the plan. */
function deploymentOrNothing(texts: ReadonlyMap<string, string | undefined>, composeEnv: ComposeEnv, siblings: readonly string[]): Deployment | undefined {
  const env = texts.get('.env');
  try {
    return readDeployment({ ...(env !== undefined && { env }), readFile: (path) => texts.get(path), composeEnv, siblings });
  } catch {
    return undefined;
  }
}

/**
 * Files export merges into must be UTF-8: decoding anything else would silently replace bytes the
 * admin wrote (a Latin-1 comment, say), breaking the promise that untouched lines stay byte for byte.
 * They are read without following a link out of the folder (target-folder.ts).
 */
async function readTextAt(folder: TargetFolder, rel: string): Promise<string | undefined> {
  const path = join(folder.root, rel);
  const source = { name: path, field: basename(path), holds: 'the lines you wrote', showLine: true, fix: `Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8 ${basename(path)}), then export again.` };
  const at = await folder.findFile(rel);
  const found = at && (await readFileAt(at, { maxBytes: MAX_TEXT_FILE_BYTES, tooLarge: (size) => textFileTooLarge(source, size) }));
  return found && decodeTextFile(found.bytes, source);
}

/** A file's bytes as they are (the tool bundle), without following a link out of the folder; bounded all the same. */
async function readBytesAt(folder: TargetFolder, rel: string): Promise<Uint8Array | undefined> {
  const at = await folder.findFile(rel);
  const limit = 64 * 1024 * 1024;
  const found = at && (await readFileAt(at, { maxBytes: limit, tooLarge: (size) => textFileTooLarge({ name: join(folder.root, rel), field: basename(rel), holds: 'this tool' }, size) }));
  return found?.bytes;
}

/** The names of the files in the folder itself (not below it), through the opened folder. */
async function fileNames(folder: TargetFolder): Promise<string[]> {
  const entries = await readdir((await folder.existingFolder(''))!.path, { withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
}

/** A secrets folder someone else created may be readable by every local user: close it before writing. */
async function tightenSecretsFolder(folder: TargetFolder): Promise<Warning[]> {
  const secrets = await folder.existingFolder(SECRETS_FOLDER);
  if (!secrets) return [];
  try {
    const mode = (await stat(secrets.path)).mode & 0o777;
    if ((mode & 0o077) === 0) return [];
    // Through the opened folder itself (/proc/self/fd/N on Linux): never a link swapped in meanwhile.
    await chmod(secrets.path, 0o700);
    return [{ code: 'WARN_MODE_TIGHTENED', message: `${SECRETS_FOLDER}/ was readable by others (${octal(mode)}); it now is 0700, so only you can enter it.` }];
  } catch (error) {
    throw new SetupError({ code: 'WRITE_PERMISSION_DENIED', message: `Cannot restrict ${secrets.shown} to its owner: ${(error as Error).message}`, fix: `Run: chmod 700 ${secrets.shown}` }, { cause: error });
  }
}

async function readSources(loaded: LoadedProfile): Promise<Record<string, string>> {
  const sources: Record<string, string> = {};
  for (const mount of deriveN8nSettings(loaded.resolved).mounts) {
    const content = await readOptional(resolveProfilePath(loaded.baseDir, mount.source));
    if (content !== undefined) sources[mount.source] = content;
  }
  return sources;
}

/** The single-file CLI of this installation, as bytes; a build without it is said, not hidden (the Done step's commands need it). */
async function readCliBundle(path: string | undefined): Promise<Uint8Array | Warning | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    return { code: 'WARN_NO_CLI_BUNDLE', message: `${TOOL_FILE} was not written: this installation's single-file CLI (${path}) cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). The Done step's commands need it; reinstall n8n Setup, or run npm run build in a source checkout.` };
  }
}

/** Secret files already there, templates and the CA bundle: strict UTF-8 and the size limit, like every file read. */
async function readOptional(path: string): Promise<string | undefined> {
  return readTextFile(path, { name: path, field: basename(path), holds: 'its contents' });
}

/** A file the preview cannot read counts as new, unless a link made it unreadable: that is said. */
function unlessLinkRefused(error: unknown): undefined {
  if (error instanceof SetupError && error.code === 'LINK_REFUSED') throw error;
  return undefined;
}

function dryRunAction(current: string | undefined, content: string): 'would-create' | 'would-update' | 'unchanged' {
  if (current === undefined) return 'would-create';
  return current === content ? 'unchanged' : 'would-update';
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
