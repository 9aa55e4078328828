import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { link, lstat, open, readlink, realpath, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { isErrnoError, throwFileError } from './file-errors.js';
import type { FileAt, Owner } from './target-folder.js';

/**
 * Named points in a write where a test can simulate a crash by throwing. `during-backup` fires while a backup
 * copy is half written (see backups.ts); the others fire in every writeFileAtomic call.
 */
export type WriteStep = 'after-temp-write' | 'after-fsync' | 'before-rename' | 'after-rename' | 'during-backup';

/** Test seam: called at each WriteStep with the file being written; throw to simulate a crash there. */
export type WriteFaults = (step: WriteStep, path: string) => void | Promise<void>;

export interface WriteFileAtomicOptions {
  /** Permission bits for the file, applied exactly (the process umask does not loosen or tighten them). */
  mode: number;
  /** Whose the file becomes (applied when the process may give files away, i.e. as root). */
  owner?: Owner;
  faults?: WriteFaults;
  /** Fail with WRITE_EXISTS instead of replacing an existing file (used for backups, which must never clobber). */
  failIfExists?: boolean;
}

/**
 * Temp files are named `.<name>.tmp-<12 hex>` beside the file they will become: hidden, never matching a
 * file the tool reads, and recognisable as leftovers of an interrupted write (see leftover-temp-files.ts).
 */
const TEMP_MARKER = '.tmp-';
const TEMP_SUFFIX = /\.tmp-[0-9a-f]{12}$/;

/**
 * The suffix needs uniqueness, not secrecy: the temp file is created with O_EXCL ('wx'), so a clash or a
 * planted file fails instead of being followed. Math.random spares every CLI run loading node:crypto.
 */
export function tempFileName(name: string): string {
  const suffix = Array.from({ length: 12 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `.${name}${TEMP_MARKER}${suffix}`;
}

/** The name of the file a temp file was going to become, or undefined if `name` is not a temp file. */
export function tempFileTarget(name: string): string | undefined {
  if (!name.startsWith('.') || !TEMP_SUFFIX.test(name)) return undefined;
  return name.slice(1, name.lastIndexOf(TEMP_MARKER));
}

/**
 * Replaces `path` so that a crash at any moment leaves either the old bytes or the complete new bytes. For the
 * app's own files (profiles, drafts): a symlinked target is written through, so the admin's link stays a
 * link. Files in a setup folder go through writeFileAt with a checked location (target-folder.ts).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions): Promise<void> {
  const target = await resolveLinkTarget(path);
  await writeFileAt({ dir: dirname(target), name: basename(target), shown: path, rel: basename(target) }, data, options);
}

/**
 * Write a temp file in the same folder (created exclusively, never through a link), give it its mode and
 * owner through its handle, fsync it, rename it over the target (which replaces a link rather than follow
 * it), fsync the folder. An existing target keeps its owner when the process may set it (running as root
 * for a file that belongs to n8n's uid 1000), unless `owner` says whose it becomes.
 */
export async function writeFileAt(at: FileAt, data: string | Uint8Array, options: WriteFileAtomicOptions): Promise<void> {
  const target = join(at.dir, at.name);
  const temp = join(at.dir, tempFileName(at.name));
  const { faults } = options;
  let replaced = false;

  try {
    const owner = options.owner ?? (options.failIfExists ? undefined : await ownerOf(target));
    // Created with the final mode and O_EXCL: a secret is never readable by others, not even for a moment.
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), options.mode);
    try {
      await handle.chmod(options.mode);
      if (owner) await keepOwner(handle, owner);
      await handle.writeFile(data);
      await faults?.('after-temp-write', at.shown);
      await handle.sync();
      await faults?.('after-fsync', at.shown);
    } finally {
      await handle.close();
    }
    await faults?.('before-rename', at.shown);
    await moveIntoPlace(temp, target, at.shown, options.failIfExists === true);
    replaced = true;
    await faults?.('after-rename', at.shown);
    await syncFolder(at.dir);
  } catch (error) {
    if (!replaced) await rm(temp, { force: true }).catch(() => undefined);
    throwFileError(error, { path: at.shown, action: 'write', ...(!replaced && { outcome: `${at.shown} was left as it was.` }) });
  }
}

async function resolveLinkTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (!isErrnoError(error) || error.code !== 'ENOENT') throw error;
  }
  // Missing file, or a link to a file that does not exist yet: create the file the link points at.
  try {
    if ((await lstat(path)).isSymbolicLink()) return resolve(dirname(path), await readlink(path));
  } catch (error) {
    if (!isErrnoError(error) || error.code !== 'ENOENT') throw error;
  }
  return resolve(path);
}

/** The owner of the regular file at `path` (never through a link). */
async function ownerOf(path: string): Promise<Owner | undefined> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) return undefined;
    return { uid: stats.uid, gid: stats.gid };
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function keepOwner(handle: FileHandle, owner: Owner): Promise<void> {
  if (process.getuid?.() === owner.uid && process.getgid?.() === owner.gid) return;
  try {
    await handle.chown(owner.uid, owner.gid);
  } catch (error) {
    // Only root may give a file away; anyone else writes it as themselves, as any editor would.
    if (!isErrnoError(error) || (error.code !== 'EPERM' && error.code !== 'EINVAL')) throw error;
  }
}

async function moveIntoPlace(temp: string, target: string, shown: string, failIfExists: boolean): Promise<void> {
  if (!failIfExists) return rename(temp, target);
  try {
    // link() refuses to replace an existing name (a dangling link included), atomically, which rename() cannot be asked to do.
    await link(temp, target);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'EEXIST') throw existsError(shown, error);
    if (!isErrnoError(error) || !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(error.code ?? '')) throw error;
    // A file system without hard links (FAT, some network shares): check, then rename.
    if (await lstat(target).then(() => true, () => false)) throw existsError(shown, error);
    return rename(temp, target);
  }
  await unlink(temp);
}

function existsError(target: string, cause: unknown): SetupError {
  return new SetupError(
    {
      code: 'WRITE_EXISTS',
      message: `Did not write ${target}: a file with that name already exists and must not be replaced.`,
      fix: 'Run setup again; it picks a new name.',
    },
    { cause },
  );
}

/** Makes the rename itself durable. Some platforms (Windows) cannot open or fsync a folder; skip there. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!isErrnoError(error) || !['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF'].includes(error.code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}
