/**
 * The `serve` file browser: lists folders inside the given roots only (home and, where browseRoots allows
 * it, the export folder), so a browser session cannot walk the whole server. Paths are compared after
 * resolving links, so a link inside home that points at /etc leads nowhere.
 */
import type { Dirent } from 'node:fs';
import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { isErrnoError, throwFileError } from '../files/file-errors.js';

export interface FolderListing {
  path: string;
  parent: string | null;
  roots: string[];
  entries: Array<{ name: string; path: string; kind: 'folder' | 'file' }>;
}

/** Enough for any sane folder; a larger one is cut (folders first) rather than sent whole. */
const MAX_ENTRIES = 2000;

export async function browseFolder(allowedRoots: readonly string[], path: string | undefined): Promise<FolderListing> {
  const { roots, real, root } = await allowedFolder(allowedRoots, path);

  let dirents: Dirent[];
  try {
    dirents = await readdir(real, { withFileTypes: true });
  } catch (error) {
    throwFileError(error, { path: real, action: 'read' });
  }
  const entries: FolderListing['entries'] = [];
  for (const dirent of dirents) {
    const kind = await kindOf(real, dirent);
    if (kind) entries.push({ name: dirent.name, path: join(real, dirent.name), kind });
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1));
  return { path: real, parent: real === root ? null : dirname(real), roots, entries: entries.slice(0, MAX_ENTRIES) };
}

/** A new folder in a folder the browser may list: never over an existing name, never through a link. */
export async function makeFolder(allowedRoots: readonly string[], parent: string, name: string): Promise<FolderListing> {
  const { real, roots } = await allowedFolder(allowedRoots, parent);
  const path = join(real, name);
  try {
    await mkdir(path, { mode: 0o755 });
  } catch (error) {
    if (isErrnoError(error) && error.code === 'EEXIST') throw new SetupError({ code: 'FOLDER_EXISTS', field: 'name', message: `${path} already exists.`, fix: 'Open it from the list, or choose another name.' }, { cause: error });
    throwFileError(error, { path, action: 'write' });
  }
  return browseFolder(roots, path);
}

/** The real folder for `path` (the first root without one), refused unless it is inside one of the roots. */
async function allowedFolder(allowedRoots: readonly string[], path: string | undefined): Promise<{ roots: string[]; real: string; root: string }> {
  const roots = await existingRealPaths(allowedRoots);
  const first = roots[0];
  if (!first) throw new SetupError({ code: 'FOLDER_NOT_FOUND', message: 'Neither the home folder nor the export folder exists.', fix: 'Create the export folder first.' });
  const real = await resolveFolder(path ?? first);
  const root = roots.find((r) => real === r || real.startsWith(r.endsWith(sep) ? r : r + sep));
  if (!root) {
    throw new SetupError({
      code: 'OUTSIDE_ALLOWED_FOLDERS',
      field: 'path',
      message: `${path} is outside the folders this browser may show (${roots.join(', ')}).`,
      fix: 'Pick a folder inside your home folder, /opt, /srv or the export folder, or type the path.',
    });
  }
  return { roots, real, root };
}

async function resolveFolder(path: string): Promise<string> {
  try {
    const real = await realpath(path);
    if (!(await stat(real)).isDirectory()) throw new SetupError({ code: 'NOT_A_FOLDER', field: 'path', message: `${path} is a file, not a folder.`, fix: 'Pick a folder.' });
    return real;
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') throw new SetupError({ code: 'FOLDER_NOT_FOUND', field: 'path', message: `${path} does not exist.`, fix: 'Check the path.' }, { cause: error });
    throwFileError(error, { path, action: 'read' });
  }
}

async function existingRealPaths(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    try {
      const real = await realpath(path);
      if (!found.includes(real)) found.push(real);
    } catch {
      // A root that does not exist (yet) offers nothing to browse.
    }
  }
  return found;
}

/** Links are followed for the kind only; whether their target may be listed is decided when it is opened. */
async function kindOf(folder: string, dirent: Dirent): Promise<'folder' | 'file' | undefined> {
  if (dirent.isDirectory()) return 'folder';
  if (dirent.isFile()) return 'file';
  if (!dirent.isSymbolicLink()) return undefined; // sockets, devices, pipes: nothing to choose
  try {
    const target = await stat(join(folder, dirent.name));
    return target.isDirectory() ? 'folder' : target.isFile() ? 'file' : undefined;
  } catch {
    return undefined; // a dangling link
  }
}
