/**
 * Who may talk to `serve`: only a browser on this machine (or at the end of an SSH tunnel, which changes
 * the port but still arrives at 127.0.0.1), asking under a loopback name. A foreign Host is a DNS-rebinding
 * page; an Origin unlike the Host, or a cross-site Sec-Fetch-Site, is another site's page calling in.
 */
const LOOPBACK_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i;

export function isLoopbackHost(host: string | undefined): host is string {
  if (!host) return false;
  const match = LOOPBACK_HOST.exec(host);
  return match !== null && (match[1] === undefined || Number(match[1]) <= 65535);
}

/** No Origin is fine (same-origin GETs and top-level navigation send none); one that differs is not. */
export function isSameOrigin(origin: string | undefined, host: string): boolean {
  // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- the origin of a loopback page: serve speaks plain HTTP on 127.0.0.1 only
  return origin === undefined || origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

/** "same-site" means another port on localhost: another local web app, not this page. */
export function isAllowedFetchSite(secFetchSite: string | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals > 0) cookies.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
  }
  return cookies;
}
