/**
 * The parts of n8n's public URL that a reverse proxy needs: where it listens (scheme, host, port) and the
 * sub-path it strips before passing requests to n8n, which serves its routes at the root. Built on n8n's own
 * reading of the URL (deriveUrlSettings) and its one check (checkPublicUrl), so the proxy strips exactly
 * N8N_PATH and a URL the profile accepts is one the proxy can serve.
 */
import { SetupError } from '../errors.js';
import { checkPublicUrl, deriveUrlSettings } from '../n8n/public-url.js';

export interface PublicUrlParts {
  scheme: 'http' | 'https';
  /** Host name as the URL parser normalises it (lower case, punycode, IPv6 in brackets). */
  hostname: string;
  /** '' when the URL uses the scheme's default port. */
  port: string;
  /** '' at the root, else the prefix without its trailing slash: '/n8n'. */
  pathPrefix: string;
}

export function publicUrlParts(publicUrl: string): PublicUrlParts {
  const problem = checkPublicUrl(publicUrl);
  if (problem) throw new SetupError({ code: 'INVALID_VALUE', field: 'url.public', message: `The public URL ${problem.message}`, fix: problem.fix });
  const n8n = deriveUrlSettings(publicUrl);
  return { scheme: n8n.protocol, hostname: n8n.host, port: new URL(publicUrl).port, pathPrefix: normalizePathPrefix(n8n.path) };
}

/** '/n8n/', '/n8n' → '/n8n'; '/', '' or undefined → ''. */
export function normalizePathPrefix(path: string | undefined): string {
  return (path ?? '').replace(/\/+$/, '');
}

/** `host[:port]` as a browser sends it in `Host` for this URL. */
export function hostWithPort(url: PublicUrlParts): string {
  return url.port ? `${url.hostname}:${url.port}` : url.hostname;
}

/** Throws unless `upstream` is `host:port` (the address the proxy reaches n8n at). */
export function assertUpstream(upstream: string): void {
  if (!/^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$/.test(upstream)) {
    throw new SetupError({ code: 'INVALID_VALUE', message: `"${upstream}" is not host:port.`, fix: 'Use an address such as 127.0.0.1:5678 or n8n:5678.' });
  }
}
