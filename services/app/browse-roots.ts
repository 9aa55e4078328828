/**
 * The folders `serve`'s file browser may show: the user's home, and the draft's export folder when it is
 * inside home or is an existing n8n project (a compose file or `.env`) outside the system's own folders.
 * The page writes the draft itself, so the export folder alone must not widen what it can list: a draft
 * with `outDir: "/"` would otherwise open the whole machine.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, parse, relative, sep } from 'node:path';
import { COMPOSE_FILE_NAMES } from '../../shared/deployment/compose-files.js';

/** Folders the system owns (the links `/etc` and `/var/run` resolve to on macOS and Linux included). */
const SYSTEM_FOLDERS = ['/etc', '/usr', '/proc', '/sys', '/dev', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/run', '/var/run', '/snap', '/private/etc', '/private/var/run', '/System', '/Library'];

const PROJECT_FILES = ['.env', ...COMPOSE_FILE_NAMES];

/** Where server software lives by convention (the FHS's /opt and /srv): n8n projects on servers mostly sit there. */
export const SERVER_FOLDERS: readonly string[] = process.platform === 'win32' ? [] : ['/opt', '/srv'];

export async function browseRoots(homeFolder: string, outDir: string | undefined, serverFolders: readonly string[] = []): Promise<string[]> {
  const home = await realpathOf(homeFolder);
  const servers = (await Promise.all(serverFolders.map(realpathOf))).filter((real): real is string => real !== undefined && !isSystemFolder(real, home ?? homeFolder));
  const base = [homeFolder, ...servers];
  if (outDir === undefined) return base;
  const real = await realpathOf(outDir);
  if (real === undefined || isSystemFolder(real, home ?? homeFolder)) return base;
  // A home that is itself a system folder (a service account's `/`) vouches for nothing inside it.
  const insideHome = home !== undefined && !isSystemFolder(home, home) && isInside(real, home);
  const inside = insideHome || servers.some((folder) => isInside(real, folder));
  return inside || (await holdsN8nProject(real)) ? [...base, real] : base;
}

/** A filesystem root, or a folder the system owns (or anything inside one); `/root` unless it is the user's home. */
export function isSystemFolder(path: string, homeFolder: string): boolean {
  if (parse(path).root === path) return true;
  const owned = [...SYSTEM_FOLDERS, ...(isInside(homeFolder, '/root') ? [] : ['/root']), ...(process.env.SystemRoot ? [process.env.SystemRoot] : [])];
  return owned.some((folder) => isInside(path, folder));
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

async function holdsN8nProject(folder: string): Promise<boolean> {
  for (const name of PROJECT_FILES) {
    const isFile = await stat(join(folder, name)).then(
      (stats) => stats.isFile(),
      () => false,
    );
    if (isFile) return true;
  }
  return false;
}

async function realpathOf(path: string): Promise<string | undefined> {
  return realpath(path).catch(() => undefined);
}
