/**
 * Test support: raw HTTP requests to `serve` with full control of Host, Origin and the body (fetch
 * forbids setting Host), over one keep-alive agent. Not imported by product code.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppUnderTest, type AppUnderTest } from '../../app/test-support/app-under-test.js';
import { startServeServer, type ServeServer } from '../serve-server.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Default 127.0.0.1. */
  address?: string;
  /** Default: the shared keep-alive agent (4 sockets); tests that fire many requests at once bring their own. */
  agent?: Agent;
}

export const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function send(port: number, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: options.address ?? '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: { host: `127.0.0.1:${port}`, ...options.headers }, agent: options.agent ?? agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POST /api/<channel> with a JSON body, as the page does. */
export function callApi(port: number, cookie: string, channel: string, body: unknown, headers: Record<string, string> = {}, through?: Agent): Promise<RawResponse> {
  return send(port, { method: 'POST', path: `/api/${channel}`, headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), ...(through && { agent: through }) });
}

/** Trades the link's token for the session cookie, as the browser does on first opening the link. */
export async function signIn(port: number, token: string, host = `127.0.0.1:${port}`): Promise<string> {
  const response = await send(port, { path: `/?token=${encodeURIComponent(token)}`, headers: { host } });
  const setCookie = response.headers['set-cookie']?.[0];
  if (response.status !== 303 || !setCookie) throw new Error(`sign-in failed: ${response.status} ${response.body}`);
  return setCookie.split(';')[0] ?? '';
}

/** A stand-in for out/renderer: an index page and one asset. */
export async function makeRendererFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'n8n-setup-serve-renderer-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>n8n Setup</title><script type="module" src="./assets/index.js"></script>');
  await writeFile(join(dir, 'assets', 'index.js'), 'document.title = "ready";');
  return dir;
}

export interface ServeUnderTest {
  app: AppUnderTest;
  server: ServeServer;
  rendererDir: string;
  /** A signed-in browser's session cookie (`name=value`); it has used up the server's token. */
  cookie: string;
  stop(): Promise<void>;
}

/** `serve` on a free port over the real handler table and a throwaway data folder, already signed in. */
export async function startServeUnderTest(): Promise<ServeUnderTest> {
  const app = await createAppUnderTest();
  const rendererDir = await makeRendererFolder();
  const server = await startServeServer({ port: 0, rendererDir, table: app.table });
  const cookie = await signIn(server.port, server.token);
  return {
    app,
    server,
    rendererDir,
    cookie,
    stop: async () => {
      await server.close();
      agent.destroy();
      await app.remove();
      await rm(rendererDir, { recursive: true, force: true });
    },
  };
}
