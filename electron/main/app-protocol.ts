/**
 * The renderer is served from app://renderer/, never file:// (which would grant the page file-system
 * privileges and a shared origin with every local file). Each response carries the strict CSP as a header:
 * these are built files, so even an unpackaged app needs no relaxation (only Vite's dev server does).
 */
import type { Protocol } from 'electron';
import { securityHeaders } from '../../shared/ipc/security-headers.js';
import { readRendererFile } from '../../services/app/renderer-files.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Before `ready`: a standard, secure scheme gets an origin of its own and may load ES modules. No CSP bypass. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

const HEADERS = securityHeaders({ dev: false });

export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(request, rendererDir));
}

export async function appResponse(request: Pick<Request, 'url' | 'method'>, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: HEADERS });
  const url = new URL(request.url);
  const file = url.host === APP_HOST ? await readRendererFile(rendererDir, url.pathname) : undefined;
  if (!file) return new Response('Not found', { status: 404, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: { ...HEADERS, 'Content-Type': file.contentType } });
}
