/**
 * Paths of a compose project as setup names them: relative to the folder it works on, in `/` form without
 * `./` (`n8n/compose.yaml`, `.env`), or — for a file outside that folder — absolute or starting with `../`.
 * Compose resolves a relative path against a folder of its own choosing (the project folder, an included
 * file's project_directory, an extended file's folder): `projectPath` does the same.
 */

/** `path` as written, resolved against `dir` ('' for the folder itself). */
export function projectPath(dir: string, path: string): string {
  if (isAbsolutePath(path)) return normalizeParts(path.replace(/\\/g, '/'), true);
  return normalizeParts(dir === '' ? path : `${dir}/${path}`, false);
}

/** The folder a file's own relative paths start from. */
export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? (at === 0 ? '/' : '') : path.slice(0, at);
}

/** Outside the folder setup works on: setup reads it, as Compose does, and never writes it. */
export function isOutsideFolder(path: string): boolean {
  return isAbsolutePath(path) || path === '..' || path.startsWith('../');
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('~');
}

function normalizeParts(path: string, absolute: boolean): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (part !== '..' || !absolute) parts.push(part);
  }
  const joined = parts.join('/');
  if (!absolute) return joined;
  const drive = /^([A-Za-z]:)/.exec(path)?.[1];
  if (path.startsWith('~')) return path;
  return drive ? `${drive}/${joined.slice(drive.length + 1)}` : `/${joined}`;
}
