/**
 * Files of the built renderer (out/renderer) by URL path, for the app:// protocol and for `serve` alike.
 * Only known file types inside the folder are served; anything else is "not found".
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { isErrnoError } from '../files/file-errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface RendererFile {
  body: Buffer;
  contentType: string;
}

export async function readRendererFile(rendererDir: string, urlPath: string): Promise<RendererFile | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined; // malformed %-escape
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '/' || path === '') path = '/index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, `.${path}`);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return undefined;
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()];
  if (!contentType) return undefined;
  try {
    return { body: await readFile(file), contentType };
  } catch (error) {
    if (isErrnoError(error) && (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR')) return undefined;
    throw error;
  }
}
