/**
 * Every way reading a running n8n can fail, in the admin's words with the fix: nothing listens, no answer
 * in time, not HTTP, not n8n, a redirect off the URL's origin, a refused address, a body over the cap.
 * All concern the URL (`--url` on the command line, the address field in the wizard).
 */
import { SetupError } from '../../shared/errors.js';
import type { RefusedReach } from './reach-policy.js';

const CHECK_URL = 'Check the URL and that n8n runs.';
const PORTS = 'n8n listens on 5678, a proxy on 443/80';

function checkError(code: string, message: string, fix: string, cause?: unknown): SetupError {
  return new SetupError({ code, field: 'url', message, fix }, cause === undefined ? undefined : { cause });
}

export function notN8n(base: string, detail: string): SetupError {
  return checkError('NOT_N8N', `${detail}: this does not look like n8n.`, `Point --url at n8n itself or its public address (with the sub-path, if n8n lives under one); ${base} is what was tried.`);
}

export function timedOut(url: string, timeoutMs: number): SetupError {
  return checkError('INSTANCE_UNREACHABLE', `No answer from ${url} within ${timeoutMs / 1000} s.`, 'Check that n8n (or its proxy) runs and that a firewall lets this machine reach the port.');
}

/** A network or TLS error of one request: its code says which fix applies. */
export function unreachable(url: string, error: unknown): SetupError {
  const code = (error as { code?: unknown }).code;
  const text = typeof code === 'string' ? code : '';
  const detail = (error as Error).message;
  const { host, protocol } = new URL(url);
  if (text === 'ETIMEDOUT' || text === 'UND_ERR_CONNECT_TIMEOUT') return checkError('INSTANCE_UNREACHABLE', `No connection to ${host} in time (${text}).`, 'Check that n8n (or its proxy) runs and that a firewall lets this machine reach the port.', error);
  if (text === 'ENOTFOUND' || text === 'EAI_AGAIN' || text === 'EAI_NONAME') return checkError('INSTANCE_UNREACHABLE', `The host name in ${url} does not resolve (${text}).`, 'Check the URL for a typo, and the DNS record of the host.', error);
  if (text === 'ECONNREFUSED') return checkError('INSTANCE_UNREACHABLE', `Nothing listens at ${host} (connection refused).`, `Start n8n (\`docker compose up -d\`), and check the port: ${PORTS}.`, error);
  if (text === 'ECONNRESET' || text === 'EPIPE') {
    const hint = protocol === 'http:' ? ' (a TLS port reached with http:// often does this: try https://)' : '';
    return checkError('INSTANCE_UNREACHABLE', `${host} closed the connection without answering${hint}.`, `Check the port: ${PORTS}. ${CHECK_URL}`, error);
  }
  if (text.startsWith('HPE_')) return notN8n(url.replace(/\/(healthz|rest\/settings)$/, ''), `${url} answered something that is not HTTP (${text})`);
  // OpenSSL's words when the peer's first bytes are not TLS (Node reports them as EPROTO).
  if (/wrong.version.number|packet.length.too.long|unknown.protocol|http.request/i.test(`${text} ${detail}`)) {
    return checkError('INSTANCE_UNREACHABLE', `${host} does not speak TLS on this port.`, `Use http:// for this port, or the port of the TLS proxy (usually 443).`, error);
  }
  if (/CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_VERIFY|ISSUER/.test(text)) {
    return checkError('INSTANCE_UNREACHABLE', `The TLS certificate of ${host} is not accepted: ${detail}.`, 'Fix the certificate of the proxy, or for a private CA run with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.', error);
  }
  if (/SSL|TLS|EPROTO/.test(text)) return checkError('INSTANCE_UNREACHABLE', `The TLS connection with ${host} failed: ${detail}.`, 'Check that the port speaks TLS (https://) and that its proxy offers TLS 1.2 or newer.', error);
  return checkError('INSTANCE_UNREACHABLE', `Cannot reach ${url}: ${detail}.`, CHECK_URL, error);
}

export function redirectedElsewhere(from: string, to: URL): SetupError {
  return checkError(
    'REDIRECT_REFUSED',
    `${from} redirects to ${to.href}, on another origin (${to.origin}); check follows redirects only within ${new URL(from).origin}.`,
    `If n8n is reached at ${to.origin}, check that address instead: --url ${to.origin}${to.pathname.replace(/\/(healthz|rest\/settings)$/, '')}.`,
  );
}

export function tooManyRedirects(from: string, hops: number): SetupError {
  return checkError('REDIRECT_REFUSED', `${from} redirects more than ${hops} times.`, 'Point --url at the address n8n answers on without a redirect (look for a redirect loop in the proxy).');
}

const REACH_WORDS: Record<RefusedReach, string> = {
  metadata: "a cloud metadata address (the service that hands out the machine's credentials)",
  'link-local': 'a link-local address',
};

export function refusedAddress(host: string, address: string, kind: RefusedReach): SetupError {
  return checkError(
    'ADDRESS_REFUSED',
    `${host} resolves to ${address}, ${REACH_WORDS[kind]}: check does not connect there unless the URL names that address itself.`,
    `If n8n really listens there, give the address in the URL (e.g. --url http://${address.includes(':') ? `[${address}]` : address}:5678); otherwise fix the DNS record of ${host}.`,
  );
}

export function bodyTooLarge(url: string, maxBytes: number): SetupError {
  return checkError(
    'RESPONSE_TOO_LARGE',
    `${url} sent more than ${maxBytes / 1024 / 1024} MiB; n8n's answers here are a few KB, so it stopped reading: this is not n8n, or something in between sends another page.`,
    'Point --url at n8n itself or its public address, and check what the proxy forwards to.',
  );
}
