/**
 * The editor's live connection, opened as a browser on the public URL opens it: a websocket to
 * `<url>/rest/push?pushRef=…` with the login cookie, the session's `browser-id` and the page's Origin. What
 * n8n 2.41.1 does with it (push/index.js, origin-validator.js) tells apart what a proxy breaks:
 *
 * - opens and stays open: the proxy carries the editor;
 * - the upgrade is answered as a plain request, HTTP 401 "Unauthorized" although the cookie is valid: the
 *   proxy did not forward `Upgrade` (n8n then handles it as an ordinary GET without a socket);
 * - opens, n8n sends "Invalid origin!" and closes with 1008: the Origin does not match the `Forwarded`,
 *   `X-Forwarded-Host` or `Host` n8n received (checked only with NODE_ENV=production, as in the image);
 * - opens and is closed without a code: n8n's login check refused it (no cookie arrived);
 * - no answer at all: n8n's upgrade handler answers only `/rest/push` at its root, so a sub-path the proxy
 *   does not strip leaves the socket waiting — hence the timeout;
 * - another HTTP status: the proxy (or something else) refused it.
 *
 * Bounded like every `check` request: the reach policy, one deadline, and a small frame limit.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { PushOutcome } from '../../shared/check/proxy-findings.js';
import { guardedLookup, systemLookupAll, type LookupAll } from './bounded-get.js';
import { BROWSER_ID } from './n8n-session.js';


export interface PushOptions {
  /** `n8n-auth=…`, or undefined to open it as a browser without the cookie would. */
  cookie: string | undefined;
  /** The editor page's origin: the public URL's. */
  origin: string;
  timeoutMs: number;
  /** How long an open connection is watched for n8n closing it (n8n closes at once when it refuses). */
  settleMs?: number;
  lookup?: LookupAll;
}

const MAX_FRAME_BYTES = 64 * 1024;
const MAX_BODY_CHARS = 200;

export function openPush(base: string, options: PushOptions): Promise<PushOutcome> {
  const url = `${base.replace(/^http/, 'ws')}/rest/push?pushRef=${randomBytes(5).toString('hex')}`;
  const host = new URL(base).hostname;
  return new Promise((resolve) => {
    let said = '';
    let settled = false;
    const socket = new WebSocket(url, {
      headers: { 'browser-id': BROWSER_ID, ...(options.cookie && { cookie: options.cookie }) },
      origin: options.origin,
      handshakeTimeout: options.timeoutMs,
      maxPayload: MAX_FRAME_BYTES,
      followRedirects: false,
      perMessageDeflate: false,
      lookup: guardedLookup(host, options.lookup ?? systemLookupAll),
    } as WebSocket.ClientOptions);
    const deadline = setTimeout(() => finish({ kind: 'no-answer', waitedMs: options.timeoutMs }), options.timeoutMs);
    let watch: NodeJS.Timeout | undefined;
    const finish = (outcome: PushOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(watch);
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      resolve(outcome);
    };
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body = (body + chunk).slice(0, MAX_BODY_CHARS)));
      response.on('end', () => finish({ kind: 'refused', status: response.statusCode ?? 0, body: body.trim() }));
      response.on('error', () => finish({ kind: 'refused', status: response.statusCode ?? 0, body: body.trim() }));
    });
    socket.on('open', () => {
      watch = setTimeout(() => finish({ kind: 'connected' }), options.settleMs ?? 1500);
    });
    socket.on('message', (data: WebSocket.RawData) => {
      said = (said + data.toString()).slice(0, MAX_BODY_CHARS);
    });
    socket.on('close', (code) => finish(said.includes('Invalid origin') ? { kind: 'invalid-origin', closeCode: code, said } : { kind: 'closed', closeCode: code }));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (/handshake has timed out/i.test(error.message)) return finish({ kind: 'no-answer', waitedMs: options.timeoutMs });
      finish({ kind: 'failed', message: error.message, ...(error.code && { code: error.code }) });
    });
  });
}
