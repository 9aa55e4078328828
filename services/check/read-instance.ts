/**
 * Reads a running n8n over HTTP: `GET /healthz` (is n8n up) and the public `GET /rest/settings` (what it
 * believes). Each request is bounded; every way it can fail becomes a SetupError with the fix.
 */
import { SetupError } from '../../shared/errors.js';
import { readPublicSettings, type PublicSettings } from '../../shared/check/public-settings.js';

export interface InstanceReading {
  /** The URL used, without a trailing slash. */
  url: string;
  healthMs: number;
  settings: PublicSettings;
}

export interface ReadOptions {
  /** Per request; the whole reading takes at most twice this. */
  timeoutMs: number;
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

export async function readInstance(url: string, options: ReadOptions): Promise<InstanceReading> {
  const base = baseUrl(url);
  const started = Date.now();
  const health = await request(`${base}/healthz`, options);
  if (!health.ok) throw notN8n(base, `${base}/healthz answered HTTP ${health.status}`);
  const healthMs = Date.now() - started;

  const answer = await request(`${base}/rest/settings`, options);
  const body: unknown = answer.ok ? await answer.json().catch(() => undefined) : undefined;
  const settings = readPublicSettings(body);
  if (!settings) throw notN8n(base, `${base}/rest/settings answered ${answer.ok ? 'something other than n8n settings' : `HTTP ${answer.status}`}`);
  return { url: base, healthMs, settings };
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

async function request(url: string, options: ReadOptions): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    throw unreachable(url, error, options.timeoutMs);
  }
}

/** fetch hides the network error in `cause`; its code says which fix applies. */
function unreachable(url: string, error: unknown, timeoutMs: number): SetupError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const name = (error as Error).name;
  const host = new URL(url).host;
  const [message, fix] =
    name === 'TimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT'
      ? [`No answer from ${url} within ${timeoutMs / 1000} s.`, 'Check that n8n (or its proxy) runs and that a firewall lets this machine reach the port.']
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? [`The host name in ${url} does not resolve (${code}).`, 'Check the URL for a typo, and the DNS record of the host.']
        : code === 'ECONNREFUSED'
          ? [`Nothing listens at ${host} (connection refused).`, 'Start n8n (`docker compose up -d`), and check the port: n8n listens on 5678, a proxy on 443/80.']
          : /CERT|SSL|TLS|SELF_SIGNED|ALTNAME/i.test(code)
            ? [`The TLS certificate of ${host} is not accepted: ${cause?.message ?? code}.`, 'Fix the certificate of the proxy, or for a private CA run with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.']
            : [`Cannot reach ${url}: ${cause?.message ?? (error as Error).message}.`, 'Check the URL and that n8n runs.'];
  return new SetupError({ code: 'INSTANCE_UNREACHABLE', field: 'url', message, fix }, { cause: error });
}

function notN8n(base: string, detail: string): SetupError {
  return new SetupError({
    code: 'NOT_N8N',
    field: 'url',
    message: `${detail}: this does not look like n8n.`,
    fix: `Point --url at n8n itself or its public address (with the sub-path, if n8n lives under one); ${base} is what was tried.`,
  });
}
