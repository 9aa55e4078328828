/**
 * One HTTP request to `serve`, in order: loopback Host (403), same Origin and fetch site (403), the link's
 * one-time token traded for a cookie (401 once spent), the session cookie (401), then the API
 * (POST /api/<channel>), the event stream (GET /api/events) or a file of the built renderer. Every refusal
 * is a typed error as JSON; a browser opening the address without a session gets the same words as a page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SetupErrorData } from '../../shared/errors.js';
import { fail } from '../../shared/ipc/ipc-result.js';
import { securityHeaders } from '../../shared/ipc/security-headers.js';
import type { HandlerContext } from '../app/handler-context.js';
import { callChannel, type HandlerTable } from '../app/handler-table.js';
import { readRendererFile } from '../app/renderer-files.js';
import type { EventStreams } from './event-streams.js';
import { readJsonBody } from './read-json-body.js';
import { isAllowedFetchSite, isLoopbackHost, isSameOrigin } from './request-guard.js';
import type { ServeSessions } from './serve-sessions.js';

export interface RequestDependencies {
  table: HandlerTable;
  sessions: ServeSessions;
  events: EventStreams;
  rendererDir: string;
}

/** The app's own headers, CSP first: the page gets exactly the policy the desktop window gets. */
const HEADERS = securityHeaders({ dev: false });

export async function handleRequest(request: IncomingMessage, response: ServerResponse, deps: RequestDependencies): Promise<void> {
  const host = request.headers.host;
  if (!isLoopbackHost(host)) return refuse(response, 403, { code: 'FORBIDDEN_HOST', message: 'This server answers only to localhost, 127.0.0.1 or [::1].', fix: 'Open the address `n8n-setup serve` printed, or an SSH tunnel to it.' });
  if (!isSameOrigin(request.headers.origin, host) || !isAllowedFetchSite(header(request, 'sec-fetch-site'))) {
    return refuse(response, 403, { code: 'FORBIDDEN_ORIGIN', message: 'Requests from other sites are refused.' });
  }

  // Only to parse the path and query; the Host was checked above.
  const url = new URL(request.url ?? '/', 'http://localhost');
  const token = url.searchParams.get('token');
  if (token !== null) {
    if (request.method !== 'GET' || url.pathname !== '/') return refuse(response, 401, linkError());
    const exchange = deps.sessions.exchange(token);
    if (!exchange.ok) return refuseFor(request, response, 401, exchange.reason === 'token-used' ? usedLinkError() : linkError());
    // The cookie replaces the token, and the redirect takes the token out of the address bar and history.
    response.writeHead(303, { ...HEADERS, 'Set-Cookie': exchange.setCookie, Location: '/', 'Cache-Control': 'no-store' });
    return void response.end();
  }

  const sessionId = deps.sessions.sessionOf(request.headers.cookie);
  if (!sessionId) return refuseFor(request, response, 401, linkError());

  if (url.pathname === '/api/events') {
    if (request.method !== 'GET') return refuse(response, 405, methodError('GET'));
    return deps.events.attach(sessionId, response, HEADERS);
  }
  if (url.pathname.startsWith('/api/')) {
    if (request.method !== 'POST') return refuse(response, 405, methodError('POST'));
    return answerApi(request, response, url.pathname.slice('/api/'.length), sessionId, deps);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(response, 405, methodError('GET'));
  const file = await readRendererFile(deps.rendererDir, url.pathname);
  if (!file) return refuse(response, 404, { code: 'NOT_FOUND', message: `${url.pathname} is not part of n8n Setup.` });
  response.writeHead(200, { ...HEADERS, 'Content-Type': file.contentType, 'Cache-Control': 'no-cache' });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

async function answerApi(request: IncomingMessage, response: ServerResponse, channel: string, sessionId: string, deps: RequestDependencies): Promise<void> {
  const body = await readJsonBody(request);
  if (!body.ok) {
    // Too large: the rest of the body is not read, so this connection cannot carry another request.
    if (body.status === 413) response.setHeader('Connection', 'close');
    return refuse(response, body.status, body.error);
  }
  const context: HandlerContext = { transport: 'http', emit: (event, payload) => deps.events.send(sessionId, event, payload) };
  const result = await callChannel(deps.table, channel, body.value, context);
  const status = !result.ok && result.error.code === 'UNKNOWN_CHANNEL' ? 404 : 200;
  sendJson(response, status, result);
}

export function refuse(response: ServerResponse, status: number, error: SetupErrorData): void {
  sendJson(response, status, fail(error));
}

/** A browser opening the address gets a page saying what happened and what to do; the API gets JSON. */
function refuseFor(request: IncomingMessage, response: ServerResponse, status: number, error: SetupErrorData): void {
  const page = request.method === 'GET' && (header(request, 'sec-fetch-dest') === 'document' || /\btext\/html\b/.test(header(request, 'accept') ?? ''));
  if (!page) return refuse(response, status, error);
  response.writeHead(status, { ...HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>n8n Setup</title></head><body><main><h1>n8n Setup</h1><p>${escapeHtml(error.message)}</p>${error.fix ? `<p>${escapeHtml(error.fix)}</p>` : ''}</main></body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function linkError(): SetupErrorData {
  return {
    code: 'UNAUTHORIZED',
    message: 'This browser has no session with n8n Setup.',
    fix: 'Open the full address `n8n-setup serve` printed (with ?token=…); if a browser has used it already, restart `n8n-setup serve` for a new one.',
  };
}

function usedLinkError(): SetupErrorData {
  return {
    code: 'TOKEN_ALREADY_USED',
    message: 'This address has already signed a browser in, and it works only once.',
    fix: 'Go on in the browser window where n8n Setup is already open, or restart `n8n-setup serve` (Ctrl-C, then run it again) and open the new address it prints.',
  };
}

function methodError(allowed: string): SetupErrorData {
  return { code: 'METHOD_NOT_ALLOWED', message: `Use ${allowed} here.` };
}
