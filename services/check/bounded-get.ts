/**
 * One request for `check`, bounded in reach, size and time, whatever the server (or whatever DNS points at)
 * does: redirects are followed only within the URL's origin; a name that resolves to a link-local or
 * metadata address is refused (reach-policy.ts), checked on the address actually connected to; the body is
 * read as a stream and dropped past the cap; and one deadline covers the lookup, the connection, the
 * redirects and the body. Every failure is a SetupError (check-errors.ts).
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { SetupError } from '../../shared/errors.js';
import { bodyTooLarge, redirectedElsewhere, refusedAddress, timedOut, tooManyRedirects, unreachable } from './check-errors.js';
import { refusedReach } from './reach-policy.js';

/** Every address of a host name (getaddrinfo, the system's order). Tests resolve their own names. */
export type LookupAll = (host: string) => Promise<LookupAddress[]>;

export const systemLookupAll: LookupAll = (host) => dns.lookup(host, { all: true });

/** n8n's /rest/settings is a few KB; a megabyte is far beyond any n8n answer and still cheap to hold. */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface BoundedGetOptions {
  /** For the whole GET: lookup, connection, redirects and body. */
  timeoutMs: number;
  lookup?: LookupAll;
  maxBodyBytes?: number;
}

export interface HttpAnswer {
  /** Where the answer came from, after same-origin redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request other than a GET (n8n's REST calls): redirects are not followed but answered as they are. */
export interface RequestParts {
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export function boundedGet(url: string, options: BoundedGetOptions): Promise<HttpAnswer> {
  return boundedRequest(url, {}, options);
}

export async function boundedRequest(url: string, parts: RequestParts, options: BoundedGetOptions): Promise<HttpAnswer> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const origin = new URL(url).origin;
  let current = new URL(url);
  const follow = (parts.method ?? 'GET') === 'GET';
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const answer = await requestOnce(current, parts, options, deadline, follow);
      if (!('location' in answer)) return answer;
      const next = new URL(answer.location, current);
      if (next.origin !== origin) throw redirectedElsewhere(current.href, next);
      current = next;
    }
    throw tooManyRedirects(url, MAX_REDIRECTS);
  } catch (error) {
    if (error instanceof SetupError) throw error;
    if (deadline.aborted) throw timedOut(current.href, options.timeoutMs);
    throw unreachable(current.href, error);
  }
}

function requestOnce(url: URL, parts: RequestParts, options: BoundedGetOptions, deadline: AbortSignal, follow: boolean): Promise<HttpAnswer | { location: string }> {
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = { accept: 'application/json', ...parts.headers, ...(parts.body !== undefined && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(parts.body)) }) };
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: parts.method ?? 'GET', headers, agent: false, signal: deadline, lookup: guardedLookup(url.hostname, options.lookup ?? systemLookupAll) }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (follow && REDIRECT_STATUSES.has(status) && location) {
        response.destroy();
        return resolve({ location });
      }
      readBody(response, maxBytes).then(
        (body) => resolve({ url: url.href, status, headers: response.headers, body }),
        (error: unknown) => {
          outgoing.destroy();
          reject(error === TOO_LARGE ? bodyTooLarge(url.href, maxBytes) : error);
        },
      );
    });
    outgoing.on('error', reject);
    outgoing.end(parts.body);
  });
}

const TOO_LARGE = Symbol('too large');

/** The body, or TOO_LARGE as soon as it (or what it announces) passes the cap: nothing past it is kept. */
function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(response.headers['content-length']) > maxBytes) return reject(TOO_LARGE);
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        return reject(TOO_LARGE);
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
  });
}

/** The connection's own lookup: the addresses it connects to are the ones checked. */
export function guardedLookup(urlHost: string, lookup: LookupAll): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname).then(
      (addresses) => {
        for (const { address } of addresses) {
          const kind = refusedReach(urlHost, address);
          if (kind) return callback(refusedAddress(hostname, address, kind), '', 0);
        }
        const [first] = addresses;
        if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
