import { chmod, mkdir, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { backupFile } from './backups.js';
import { checkCanWrite } from './check-can-write.js';
import { isErrnoError, throwFileError } from './file-errors.js';
import { removeLeftoverTempFiles } from './leftover-temp-files.js';
import type { WriteFaults } from './write-file-atomic.js';
import { writeFileAtomic } from './write-file-atomic.js';

export interface FileChange {
  /** Relative to the folder given to replaceFiles; may name subfolders (`secrets/smtp_password`). */
  path: string;
  content: string | Uint8Array;
  /**
   * A new file gets exactly this mode. An existing file keeps the mode its owner gave it, except that a file
   * holding a secret is tightened to at most this mode (never loosened).
   */
  mode: number;
  holdsSecret: boolean;
  /**
   * The file being replaced holds a secret (the caller read it): its backup is then tightened to 0600 even
   * when the new content holds none, e.g. once the password moved from `.env` to a Docker secret.
   */
  previousHeldSecret?: boolean;
}

export interface ReplaceFilesOptions {
  faults?: WriteFaults;
  now?: Date;
  /** Modes for folders that must be created, keyed by relative path (`{ secrets: 0o700 }`). Otherwise 0700
   * for a folder that will hold a secret, 0755 for any other. */
  dirModes?: Record<string, number>;
}

export interface FileOutcome {
  path: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Where the previous content was copied, when there was any. */
  backup?: string;
  /** The file's mode now. */
  mode: number;
  /** Set when the file's mode was tightened because it holds a secret: what it was before. */
  tightenedFrom?: number;
}

interface Plan {
  change: FileChange;
  file: string;
  bytes: Buffer;
  existing?: { bytes: Buffer; mode: number };
}

/**
 * Writes a set of files into `dir` so that each one ends up either as it was or completely new, with a backup
 * of anything it replaces. Checks first that the folder is writable and has room, so those failures change
 * nothing; if a write still fails part-way, the files already written in this run are put back.
 */
export async function replaceFiles(dir: string, changes: readonly FileChange[], options: ReplaceFilesOptions = {}): Promise<FileOutcome[]> {
  const root = resolve(dir);
  const plans: Plan[] = [];
  for (const change of changes) plans.push(await planChange(root, change, plans));

  const writes = plans.filter((plan) => !sameBytes(plan));
  await checkCanWrite(root, writes.map((plan) => ({ file: plan.file, size: plan.bytes.length })));
  for (const plan of writes) await removeLeftoverTempFiles(dirname(plan.file), [basename(plan.file)]);

  const createdFolders: string[] = [];
  const started: Plan[] = [];
  const outcomes: FileOutcome[] = [];
  try {
    for (const plan of plans) {
      started.push(plan);
      outcomes.push(await applyChange(root, plan, options, createdFolders));
    }
  } catch (error) {
    throw await putBack(started, createdFolders, error);
  }
  return outcomes;
}

async function planChange(root: string, change: FileChange, earlier: readonly Plan[]): Promise<Plan> {
  const file = resolve(root, normalize(change.path));
  const inside = relative(root, file);
  if (isAbsolute(change.path) || inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new SetupError({
      code: 'WRITE_OUTSIDE_FOLDER',
      message: `Refusing to write ${change.path}: it is not a file inside ${root}.`,
      fix: 'Give file paths relative to the setup folder, without `..`.',
    });
  }
  if (earlier.some((plan) => plan.file === file)) {
    throw new SetupError({
      code: 'INVALID_ARGUMENT',
      message: `${change.path} is listed twice in one set of changes.`,
      fix: 'Merge the two changes into one.',
    });
  }
  const bytes = typeof change.content === 'string' ? Buffer.from(change.content, 'utf8') : Buffer.from(change.content);
  const existing = await readExisting(file);
  return { change, file, bytes, ...(existing && { existing }) };
}

async function readExisting(file: string): Promise<Plan['existing']> {
  try {
    const [bytes, stats] = await Promise.all([readFile(file), stat(file)]);
    return { bytes, mode: stats.mode & 0o777 };
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throwFileError(error, { path: file, action: 'read', outcome: 'No file was changed.' });
  }
}

function sameBytes(plan: Plan): boolean {
  return plan.existing !== undefined && plan.existing.bytes.equals(plan.bytes);
}

async function applyChange(root: string, plan: Plan, options: ReplaceFilesOptions, createdFolders: string[]): Promise<FileOutcome> {
  const { change, file, existing } = plan;
  const allowed = change.mode & 0o777;
  // Never loosen what the admin set; tighten only what now holds a secret.
  const mode = existing ? (change.holdsSecret ? existing.mode & allowed : existing.mode) : allowed;
  const tightened = existing && mode !== existing.mode ? { tightenedFrom: existing.mode } : {};

  if (existing && sameBytes(plan)) {
    if (mode !== existing.mode) await chmod(file, mode).catch((error: unknown) => throwFileError(error, { path: file, action: 'write' }));
    return { path: change.path, action: 'unchanged', mode, ...tightened };
  }

  await createFolders(root, dirname(file), change.holdsSecret, options.dirModes ?? {}, createdFolders);
  const backup = existing
    ? await backupFile(file, { tighten: change.holdsSecret || change.previousHeldSecret === true, ...(options.faults && { faults: options.faults }), ...(options.now && { now: options.now }) })
    : undefined;
  await writeFileAtomic(file, plan.bytes, { mode, ...(options.faults && { faults: options.faults }) });
  return { path: change.path, action: existing ? 'updated' : 'created', mode, ...(backup && { backup }), ...tightened };
}

async function createFolders(root: string, folder: string, holdsSecret: boolean, dirModes: Record<string, number>, created: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = folder; current !== root && current !== dirname(current); current = dirname(current)) {
    try {
      await stat(current);
      break;
    } catch (error) {
      if (!isErrnoError(error) || error.code !== 'ENOENT') throwFileError(error, { path: current, action: 'read' });
      missing.unshift(current);
    }
  }
  for (const path of missing) {
    const key = relative(root, path).split(sep).join('/');
    const mode = dirModes[key] ?? (holdsSecret ? 0o700 : 0o755);
    try {
      await mkdir(path, { mode });
      await chmod(path, mode); // mkdir's mode is filtered by the umask
    } catch (error) {
      throwFileError(error, { path, action: 'write' });
    }
    created.push(path);
  }
}

/**
 * Undoes a partly applied set: every file this run touched goes back to its old bytes (new files are
 * removed), then folders it created are removed if empty. Returns the error to throw, saying what happened.
 */
async function putBack(started: readonly Plan[], createdFolders: readonly string[], failure: unknown): Promise<unknown> {
  const notRestored: string[] = [];
  let restored = 0;
  for (const plan of [...started].reverse()) {
    try {
      const now = await readExisting(plan.file);
      if (plan.existing) {
        if (now?.bytes.equals(plan.existing.bytes)) continue;
        await writeFileAtomic(plan.file, plan.existing.bytes, { mode: now?.mode ?? plan.existing.mode });
      } else {
        if (!now) continue;
        await unlink(plan.file);
      }
      restored++;
    } catch {
      notRestored.push(plan.file);
    }
  }
  for (const folder of [...createdFolders].reverse()) await rmdir(folder).catch(() => undefined);

  if (!(failure instanceof SetupError)) return failure;
  const note =
    notRestored.length > 0
      ? ` These files could not be put back and may hold the new content: ${notRestored.join(', ')} (their backups are beside them).`
      : restored > 0
        ? ' The files already written in this run were put back as they were.'
        : '';
  if (note === '') return failure;
  return new SetupError({ ...failure.toJSON(), message: failure.message + note }, { cause: failure.cause ?? failure });
}
