/**
 * Export: read what exists in the target folder, plan the new files (shared/export), then replace them
 * atomically with backups. The same call serves the CLI, the app and serve mode.
 */
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { SetupError, type Warning } from '../../shared/errors.js';
import type { KeyChange } from '../../shared/export/key-changes.js';
import { planExport, type ExportInput, type ExportPlan } from '../../shared/export/plan-export.js';
import { SECRET_FILES, secretFilePath, SECRETS_FOLDER, type SecretFileVariable } from '../../shared/export/secret-files.js';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import { deriveN8nSettings } from '../../shared/n8n/derive-n8n-settings.js';
import { replaceFiles, type FileOutcome } from '../files/replace-files.js';
import { readTextFile } from '../input/read-text-input.js';
import type { WriteFaults } from '../files/write-file-atomic.js';
import { machineTimezone, resolveProfilePath, type LoadedProfile } from '../profile/read-profile-file.js';
import { findComposeFiles } from './find-compose-file.js';

export interface ExportRequest {
  loaded: LoadedProfile;
  outDir: string;
  secrets: Partial<Record<SecretFileVariable, string>>;
  dryRun?: boolean;
  faults?: WriteFaults;
  now?: Date;
}

export interface ExportReport {
  ok: true;
  dryRun: boolean;
  files: Array<{ path: string; action: FileOutcome['action'] | 'would-create' | 'would-update'; backup?: string; mode?: string; tightenedFrom?: string }>;
  changed: string[];
  changes: KeyChange[];
  warnings: Warning[];
  secrets: ExportPlan['secrets'];
  /** Set only when deploy.encryptionKey is "generate": shown once, never logged or put in --json output. */
  generatedEncryptionKey?: string;
}

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

export async function exportSetup(request: ExportRequest): Promise<ExportReport> {
  const { loaded, outDir } = request;
  const profile = loaded.resolved;
  const existing = await readExisting(outDir);
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
    secretFileMode: runningAsRoot() ? 0o600 : 0o644,
    ...(zone && { machineTimezone: zone }),
  });

  const changed = [...new Set(plan.changes.map((c) => c.key))];
  const base = { changed, changes: plan.changes, warnings: plan.warnings, secrets: plan.secrets };
  const keyNotice = secrets.N8N_ENCRYPTION_KEY && profile.deploy.encryptionKey === 'generate' ? { generatedEncryptionKey: secrets.N8N_ENCRYPTION_KEY } : {};

  if (request.dryRun) {
    const files = await Promise.all(plan.files.map(async (file) => ({ path: file.path, action: await dryRunAction(outDir, file.path, file.content) })));
    return { ok: true, dryRun: true, files, ...base };
  }

  // A new instance starts from nothing: create the folder (its parent must exist).
  await mkdir(outDir, { recursive: true, mode: 0o755 });
  const warnings = [...plan.warnings];
  if (plan.files.some((f) => f.kind === 'secret')) warnings.push(...(await tightenSecretsFolder(join(outDir, SECRETS_FOLDER))));
  const outcomes = await replaceFiles(
    outDir,
    plan.files.map((f) => ({ path: f.path, content: f.content, mode: f.mode, holdsSecret: f.holdsSecret, ...(f.previousHeldSecret && { previousHeldSecret: true }) })),
    { dirModes: { [SECRETS_FOLDER]: 0o700 }, ...(request.faults && { faults: request.faults }), ...(request.now && { now: request.now }) },
  );
  if (runningAsRoot()) {
    for (const file of plan.files.filter((f) => f.kind === 'secret')) await chown(join(outDir, file.path), CONTAINER.uid, CONTAINER.uid);
  }
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
      ...(o.backup && { backup: relative(outDir, o.backup) }),
      ...(o.tightenedFrom !== undefined && { tightenedFrom: octal(o.tightenedFrom) }),
    })),
    ...base,
    warnings,
    ...keyNotice,
  };
}

async function readExisting(outDir: string): Promise<ExportInput['existing']> {
  const env = await readText(join(outDir, '.env'));
  const { compose, override } = await findComposeFiles(outDir, readText);
  const caddyfile = await readText(join(outDir, 'Caddyfile'));
  const secretFiles: Partial<Record<SecretFileVariable, string>> = {};
  for (const variable of Object.keys(SECRET_FILES) as SecretFileVariable[]) {
    const content = await readOptional(join(outDir, secretFilePath(variable)));
    if (content !== undefined) secretFiles[variable] = content;
  }
  return {
    ...(env !== undefined && { env }),
    ...(compose && { compose }),
    ...(override && { composeOverride: override }),
    ...(caddyfile !== undefined && { caddyfile }),
    secretFiles,
  };
}

/**
 * Files export merges into must be UTF-8: decoding anything else would silently replace bytes the
 * admin wrote (a Latin-1 comment, say), breaking the promise that untouched lines stay byte for byte.
 */
async function readText(path: string): Promise<string | undefined> {
  const fix = `Convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8 ${basename(path)}), then export again.`;
  return readTextFile(path, { name: path, field: basename(path), holds: 'the lines you wrote', showLine: true, fix });
}

/** A secrets folder someone else created may be readable by every local user: close it before writing. */
async function tightenSecretsFolder(folder: string): Promise<Warning[]> {
  try {
    const mode = (await stat(folder)).mode & 0o777;
    if ((mode & 0o077) === 0) return [];
    await chmod(folder, 0o700);
    return [{ code: 'WARN_MODE_TIGHTENED', message: `${SECRETS_FOLDER}/ was readable by others (${octal(mode)}); it now is 0700, so only you can enter it.` }];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SetupError({ code: 'WRITE_PERMISSION_DENIED', message: `Cannot restrict ${folder} to its owner: ${(error as Error).message}`, fix: `Run: chmod 700 ${folder}` }, { cause: error });
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

/** Secret files already there, templates and the CA bundle: strict UTF-8 and the size limit, like every file read. */
async function readOptional(path: string): Promise<string | undefined> {
  return readTextFile(path, { name: path, field: basename(path), holds: 'its contents' });
}

async function dryRunAction(outDir: string, path: string, content: string): Promise<'would-create' | 'would-update' | 'unchanged'> {
  const current = await readText(join(outDir, path)).catch(() => undefined);
  if (current === undefined) return 'would-create';
  return current === content ? 'unchanged' : 'would-update';
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
