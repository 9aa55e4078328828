/**
 * The folder setup writes into, opened so that no write, chmod, chown, backup or restore can be led out of
 * it by a link (docs/write-policy.md). Every folder on the way to a file is opened without following links
 * (O_NOFOLLOW | O_DIRECTORY); on Linux each later system call goes through /proc/self/fd/N of the opened
 * folder, so swapping a folder for a link after the check changes nothing. A link at or below the folder is
 * refused (LINK_REFUSED) unless it resolves inside the folder and belongs, with its target, to the folder's
 * owner; such a link is followed by walking again from the top to where it points.
 */
import { constants, existsSync, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { lstat, mkdir, open, readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { isErrnoError, throwFileError } from './file-errors.js';

/** A file inside the target folder: `dir` is the path to use in system calls, `shown` the one to show people. */
export interface FileAt {
  dir: string;
  name: string;
  shown: string;
  /** Relative to the target folder, `/`-separated, after links were followed. */
  rel: string;
}

export interface FolderRef {
  path: string;
  shown: string;
  rel: string;
}

export interface Owner {
  uid: number;
  gid: number;
}

export interface TargetFolder {
  /** The folder as given, absolute. */
  readonly root: string;
  readonly owner: Owner;
  /** Where `rel` lives, every link on the way checked. `createFolders`: mode for each missing folder to create, by its relative path. */
  file(rel: string, options?: { createFolders?: (relDir: string) => number }): Promise<FileAt>;
  /** Like `file`, but undefined when a folder on the way does not exist (nothing is created). */
  findFile(rel: string): Promise<FileAt | undefined>;
  /** The folder at `rel` ('' for the target folder itself), if it exists. */
  existingFolder(rel: string): Promise<FolderRef | undefined>;
  /** Folders created by `file()`, in creation order, relative. */
  readonly createdFolders: readonly string[];
  close(): Promise<void>;
}

const { O_RDONLY, O_DIRECTORY = 0, O_NOFOLLOW = 0 } = constants;
const MAX_LINKS = 8;
const THROUGH_PROC = process.platform === 'linux' && existsSync('/proc/self/fd');

export async function openTargetFolder(root: string): Promise<TargetFolder> {
  const absolute = resolve(root);
  let handle: FileHandle;
  try {
    // The folder the admin named may itself be reached through links: that choice is theirs.
    handle = await open(absolute, O_RDONLY | O_DIRECTORY);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOTDIR') throw new SetupError({ code: 'WRITE_FAILED', message: `${absolute} is a file, not a folder. No file was changed.`, fix: 'Choose the folder your n8n setup lives in.' });
    if (isErrnoError(error) && error.code === 'ENOENT') {
      throw new SetupError({ code: 'WRITE_FOLDER_MISSING', message: `The folder ${absolute} does not exist. No file was changed.`, fix: `Create ${absolute} or choose the folder your n8n setup lives in.` }, { cause: error });
    }
    throwFileError(error, { path: absolute, action: 'read', outcome: 'No file was changed.' });
  }
  const stats = await handle.stat();
  const real = await realpath(absolute);
  return new OpenedFolder(absolute, real, { uid: stats.uid, gid: stats.gid }, handle);
}

/** Runs `body` with the folder opened, and closes it whatever happens. */
export async function withTargetFolder<T>(root: string, body: (folder: TargetFolder) => Promise<T>): Promise<T> {
  const folder = await openTargetFolder(root);
  try {
    return await body(folder);
  } finally {
    await folder.close();
  }
}

class OpenedFolder implements TargetFolder {
  readonly createdFolders: string[] = [];
  private readonly handles: FileHandle[] = [];
  private readonly folders = new Map<string, FolderRef & { real: string }>();

  constructor(
    readonly root: string,
    private readonly real: string,
    readonly owner: Owner,
    handle: FileHandle,
  ) {
    this.handles.push(handle);
    this.folders.set('', { path: THROUGH_PROC ? `/proc/self/fd/${handle.fd}` : real, shown: root, rel: '', real });
  }

  async file(rel: string, options: { createFolders?: (relDir: string) => number } = {}): Promise<FileAt> {
    const at = await this.walk(inside(this.root, rel), options.createFolders, 0);
    if (at) return at;
    const folder = join(this.root, posix.dirname(posix.normalize(rel)));
    throw new SetupError({ code: 'WRITE_FOLDER_MISSING', message: `The folder ${folder} does not exist.`, fix: `Create ${folder}, then run setup again.` });
  }

  async findFile(rel: string): Promise<FileAt | undefined> {
    return this.walk(inside(this.root, rel), undefined, 0);
  }

  async existingFolder(rel: string): Promise<FolderRef | undefined> {
    return this.existingFolderByParts(rel === '' ? [] : inside(this.root, rel), undefined, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.splice(0).map((handle) => handle.close().catch(() => undefined)));
  }

  private async walk(parts: string[], create: ((relDir: string) => number) | undefined, depth: number): Promise<FileAt | undefined> {
    const folder = await this.existingFolderByParts(parts.slice(0, -1), create, depth);
    if (!folder) return undefined;
    const name = parts.at(-1)!;
    const at = { dir: folder.path, name, shown: join(folder.shown, name), rel: posix.join(folder.rel, name) };
    const found = await lstatOrUndefined(join(folder.path, name), at.shown);
    if (!found?.isSymbolicLink()) return at;
    return this.walk(await this.allowedLinkTarget(folder, name, found, depth), create, depth + 1);
  }

  /** The folder `part` inside `folder`, opened without following links; created when `create` says how. */
  private async enter(folder: FolderRef & { real: string }, part: string, create: ((relDir: string) => number) | undefined, depth: number): Promise<(FolderRef & { real: string }) | undefined> {
    const rel = posix.join(folder.rel, part);
    const known = this.folders.get(rel);
    if (known) return known;
    const path = join(folder.path, part);
    const shown = join(folder.shown, part);
    const found = await lstatOrUndefined(path, shown);
    if (found?.isSymbolicLink()) {
      const target = await this.allowedLinkTarget(folder, part, found, depth);
      const reached = await this.existingFolderByParts(target, create, depth + 1);
      if (reached) this.folders.set(rel, reached);
      return reached;
    }
    if (found && !found.isDirectory()) throw new SetupError({ code: 'WRITE_FAILED', message: `${shown} is a file, not a folder. No file was changed.`, fix: `Move ${shown} aside, then run setup again.` });
    if (!found) {
      if (!create) return undefined;
      try {
        await mkdir(path, { mode: create(rel) });
      } catch (error) {
        throwFileError(error, { path: shown, action: 'write' });
      }
      this.createdFolders.push(rel);
    }
    let handle: FileHandle;
    try {
      handle = await open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (error) {
      // It became a link between the look and the open.
      if (isErrnoError(error) && (error.code === 'ELOOP' || error.code === 'ENOTDIR')) throw linkRefused(shown, '(it changed while setup looked at it)', 'is no longer the folder it was');
      throwFileError(error, { path: shown, action: 'read' });
    }
    this.handles.push(handle);
    // mkdir's mode is filtered by the umask; set it on the opened folder itself.
    if (!found) await handle.chmod(create!(rel));
    const ref = { path: THROUGH_PROC ? `/proc/self/fd/${handle.fd}` : join(folder.real, part), shown, rel, real: join(folder.real, part) };
    this.folders.set(rel, ref);
    return ref;
  }

  private async existingFolderByParts(parts: string[], create: ((relDir: string) => number) | undefined, depth: number): Promise<(FolderRef & { real: string }) | undefined> {
    let folder = this.folders.get('')!;
    for (const part of parts) {
      const next = await this.enter(folder, part, create, depth);
      if (!next) return undefined;
      folder = next;
    }
    return folder;
  }

  /**
   * Where an allowed link points, relative to the target folder; throws LINK_REFUSED for any other link.
   * Allowed: the link and what it points at stay inside the folder and belong to the folder's owner.
   */
  private async allowedLinkTarget(folder: FolderRef & { real: string }, name: string, link: Stats, depth: number): Promise<string[]> {
    const shown = join(folder.shown, name);
    const text = await readlink(join(folder.path, name));
    if (depth >= MAX_LINKS) throw linkRefused(shown, text, `leads through more than ${MAX_LINKS} links`);
    let target = resolve(folder.real, text);
    const targetStats = await stat(target).catch(() => undefined);
    if (targetStats) target = await realpath(target);
    const rel = relative(this.real, target);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw linkRefused(shown, text, `points outside ${this.root}`);
    if (link.uid !== this.owner.uid) throw linkRefused(shown, text, `belongs to uid ${link.uid}, not to the folder's owner (uid ${this.owner.uid})`);
    if (targetStats && targetStats.uid !== this.owner.uid) throw linkRefused(shown, text, `points at a file of uid ${targetStats.uid}, not of the folder's owner (uid ${this.owner.uid})`);
    return rel.split(sep);
  }
}

/** The parts of `rel`, refused when it would leave the folder. */
function inside(root: string, rel: string): string[] {
  const normal = posix.normalize(rel.split(sep).join('/'));
  if (isAbsolute(rel) || normal === '.' || normal === '..' || normal.startsWith('../') || normal.endsWith('/')) {
    throw new SetupError({ code: 'WRITE_OUTSIDE_FOLDER', message: `Refusing to write ${rel}: it is not a file inside ${root}.`, fix: 'Give file paths relative to the setup folder, without `..`.' });
  }
  return normal.split('/');
}

async function lstatOrUndefined(path: string, shown: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throwFileError(error, { path: shown, action: 'read' });
  }
}

export function linkRefused(shown: string, target: string, why: string): SetupError {
  return new SetupError({
    code: 'LINK_REFUSED',
    message: `Refusing to go through ${shown}: it is a link to ${target}, which ${why}. Setup never writes, changes permissions or restores through such a link. No file was changed.`,
    fix: `Replace the link with a real file or folder (for a file: cp --remove-destination "$(readlink -f '${shown}')" '${shown}'), or remove it, then run setup again.`,
  });
}
