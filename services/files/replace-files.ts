import { createHash } from 'node:crypto';
import { rmdir, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { backupFile } from './backups.js';
import { checkCanWrite } from './check-can-write.js';
import { throwFileError } from './file-errors.js';
import { removeLeftoverTempFiles } from './leftover-temp-files.js';
import { readFileAt, setModeAndOwnerAt, type ExistingFile } from './read-file-at.js';
import type { FileAt, Owner, TargetFolder } from './target-folder.js';
import type { WriteFaults } from './write-file-atomic.js';
import { writeFileAt } from './write-file-atomic.js';

export interface FileChange {
  /** Relative to the target folder; may name subfolders (`secrets/smtp_password`). */
  path: string;
  /** The new content; null removes the file (after backing it up). */
  content: string | Uint8Array | null;
  /**
   * A new file gets exactly this mode. An existing file keeps the mode its owner gave it, except that it is
   * tightened to at most this mode when it holds a secret (or `tightenExisting` says so); never loosened.
   */
  mode: number;
  holdsSecret: boolean;
  tightenExisting?: boolean;
  /**
   * The file being replaced holds a secret (the caller read it): its backup is then tightened to 0600 even
   * when the new content holds none, e.g. once the password moved from `.env` to a Docker secret.
   */
  previousHeldSecret?: boolean;
  /** Whose the file becomes (as root); otherwise an existing file keeps its owner. */
  owner?: Owner;
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
  action: 'created' | 'updated' | 'unchanged' | 'removed';
  /** Where the previous content was copied, relative to the target folder, when there was any. */
  backup?: string;
  /** SHA-256 and size of that copy. */
  backupSha256?: string;
  backupSize?: number;
  /** SHA-256 of what the file holds now (absent once removed). */
  sha256?: string;
  /** The file's mode now. */
  mode: number;
  /** Set when the file's mode was tightened because it holds a secret: what it was before. */
  tightenedFrom?: number;
}

interface Plan {
  change: FileChange;
  /** Where the file is, or undefined when a folder on the way does not exist yet. */
  at: FileAt | undefined;
  bytes: Buffer | null;
  existing?: ExistingFile;
}

/**
 * Writes a set of files into the target folder so that each one ends up either as it was or completely new,
 * with a backup of anything it replaces. Every location is checked (links, target-folder.ts) and every file
 * read before anything is written; the folder must be writable and have room, so those failures change
 * nothing; if a write still fails part-way, what this run wrote is put back. Callers hold the folder's lock.
 */
export async function replaceFiles(folder: TargetFolder, changes: readonly FileChange[], options: ReplaceFilesOptions = {}): Promise<FileOutcome[]> {
  const plans: Plan[] = [];
  for (const change of changes) plans.push(await planChange(folder, change, plans));

  const writes = plans.filter((plan) => !sameBytes(plan) && plan.bytes !== null);
  await checkCanWrite(folder.root, writes.map((plan) => ({ file: join(folder.root, plan.change.path), size: plan.bytes?.length ?? 0 })));
  for (const plan of plans) if (plan.at) await removeLeftoverTempFiles(plan.at.dir, [plan.at.name]);

  const started: Plan[] = [];
  const outcomes: FileOutcome[] = [];
  const foldersBefore = folder.createdFolders.length;
  try {
    for (const plan of plans) {
      started.push(plan);
      outcomes.push(await applyChange(folder, plan, options));
    }
  } catch (error) {
    throw await putBack(folder, started, folder.createdFolders.slice(foldersBefore), error);
  }
  return outcomes;
}

async function planChange(folder: TargetFolder, change: FileChange, earlier: readonly Plan[]): Promise<Plan> {
  const at = await folder.findFile(change.path);
  const key = at?.rel ?? posix.normalize(change.path);
  if (earlier.some((plan) => (plan.at?.rel ?? posix.normalize(plan.change.path)) === key)) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', message: `${change.path} is listed twice in one set of changes.`, fix: 'Merge the two changes into one.' });
  }
  const bytes = change.content === null ? null : typeof change.content === 'string' ? Buffer.from(change.content, 'utf8') : Buffer.from(change.content);
  const existing = at ? await readFileAt(at) : undefined;
  return { change, at, bytes, ...(existing && { existing }) };
}

function sameBytes(plan: Plan): boolean {
  return plan.existing !== undefined && plan.bytes !== null && plan.existing.bytes.equals(plan.bytes);
}

async function applyChange(folder: TargetFolder, plan: Plan, options: ReplaceFilesOptions): Promise<FileOutcome> {
  const { change, existing } = plan;
  const allowed = change.mode & 0o777;
  const oldMode = existing ? existing.stats.mode & 0o777 : undefined;
  // Never loosen what the admin set; tighten only what now holds a secret.
  const mode = oldMode === undefined ? allowed : (change.tightenExisting ?? change.holdsSecret) ? oldMode & allowed : oldMode;
  const tightened = oldMode !== undefined && mode !== oldMode ? { tightenedFrom: oldMode } : {};

  if (plan.bytes === null) {
    if (!existing || !plan.at) return { path: change.path, action: 'unchanged', mode: allowed };
    const backup = await backupFile(plan.at, backupOptions(change, options));
    await unlink(join(plan.at.dir, plan.at.name)).catch((error: unknown) => throwFileError(error, { path: plan.at!.shown, action: 'write' }));
    return { path: change.path, action: 'removed', mode: oldMode ?? allowed, ...backupFields(plan.at, backup) };
  }
  const sha256 = hash(plan.bytes);
  if (existing && sameBytes(plan)) {
    await setModeAndOwnerAt(plan.at!, mode, change.owner);
    return { path: change.path, action: 'unchanged', mode, sha256, ...tightened };
  }

  const at = plan.at ?? (await folder.file(change.path, { createFolders: (rel) => options.dirModes?.[rel] ?? (change.holdsSecret ? 0o700 : 0o755) }));
  plan.at = at;
  const backup = existing ? await backupFile(at, backupOptions(change, options)) : undefined;
  await writeFileAt(at, plan.bytes, { mode, ...(change.owner && { owner: change.owner }), ...(options.faults && { faults: options.faults }) });
  return { path: change.path, action: existing ? 'updated' : 'created', mode, sha256, ...backupFields(at, backup), ...tightened };
}

function backupOptions(change: FileChange, options: ReplaceFilesOptions) {
  return { tighten: change.holdsSecret || change.previousHeldSecret === true, ...(options.faults && { faults: options.faults }), ...(options.now && { now: options.now }) };
}

function backupFields(at: FileAt, backup: { name: string; bytes: Buffer } | undefined): Pick<FileOutcome, 'backup' | 'backupSha256' | 'backupSize'> {
  return backup ? { backup: posix.join(posix.dirname(at.rel), backup.name), backupSha256: hash(backup.bytes), backupSize: backup.bytes.length } : {};
}

export function hash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Undoes a partly applied set: every file this run touched goes back to its old bytes (new files are
 * removed), then folders it created are removed if empty. Returns the error to throw, saying what happened.
 */
async function putBack(folder: TargetFolder, started: readonly Plan[], createdFolders: readonly string[], failure: unknown): Promise<unknown> {
  const notRestored: string[] = [];
  let restored = 0;
  for (const plan of [...started].reverse()) {
    const at = plan.at;
    if (!at) continue;
    try {
      const now = await readFileAt(at);
      if (plan.existing) {
        if (now?.bytes.equals(plan.existing.bytes)) continue;
        await writeFileAt(at, plan.existing.bytes, { mode: (now ?? plan.existing).stats.mode & 0o777 });
      } else {
        if (!now) continue;
        await unlink(join(at.dir, at.name));
      }
      restored++;
    } catch {
      notRestored.push(at.shown);
    }
  }
  for (const rel of [...createdFolders].reverse()) {
    const parent = await folder.existingFolder(posix.dirname(rel) === '.' ? '' : posix.dirname(rel)).catch(() => undefined);
    if (parent) await rmdir(join(parent.path, posix.basename(rel))).catch(() => undefined);
  }

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
