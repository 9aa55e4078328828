/**
 * Reads a running n8n over HTTP: `GET /healthz` (is n8n up) and the public `GET /rest/settings` (what it
 * believes). Each request is bounded in reach, size and time (bounded-get.ts); every way it can fail becomes a
 * SetupError with the fix (check-errors.ts).
 */
import { proxyIn } from '../../shared/check/proxy-findings.js';
import { readPublicSettings, type PublicSettings } from '../../shared/check/public-settings.js';
import { SetupError } from '../../shared/errors.js';
import { boundedGet, type LookupAll } from './bounded-get.js';
import { notN8n } from './check-errors.js';

export interface InstanceReading {
  /** The URL used, without a trailing slash. */
  url: string;
  healthMs: number;
  settings: PublicSettings;
  /** A proxy that names itself in the answer (`Server`, `Via`); n8n sends neither. */
  proxy?: string;
}

export interface ReadOptions {
  /** Per request; the whole reading takes at most twice this. */
  timeoutMs: number;
  /** Replaces getaddrinfo (tests resolve their own names). */
  lookup?: LookupAll;
  /** Per response body; default 1 MiB. */
  maxBodyBytes?: number;
}

export async function readInstance(url: string, options: ReadOptions): Promise<InstanceReading> {
  const base = baseUrl(url);
  const started = Date.now();
  const health = await boundedGet(`${base}/healthz`, options);
  if (!isOk(health.status)) throw notN8n(base, `${base}/healthz answered HTTP ${health.status}`);
  const healthMs = Date.now() - started;

  const answer = await boundedGet(`${base}/rest/settings`, options);
  const settings = isOk(answer.status) ? readPublicSettings(parseJson(answer.body)) : undefined;
  if (!settings) throw notN8n(base, `${base}/rest/settings answered ${isOk(answer.status) ? 'something other than n8n settings' : `HTTP ${answer.status}`}`);
  const proxy = proxyIn({ ...(typeof health.headers.server === 'string' && { server: health.headers.server }), ...(typeof health.headers.via === 'string' && { via: health.headers.via }) });
  return { url: base, healthMs, settings, ...(proxy && { proxy }) };
}

function isOk(status: number): boolean {
  return status >= 200 && status < 300;
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'url', message: `"${url}" is not a URL.`, fix: 'Give the address of n8n with its scheme, e.g. --url https://n8n.example.com.' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'url', message: `"${url}" is not an http(s) URL.`, fix: 'Use http:// or https://.' });
  }
  return `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
}
