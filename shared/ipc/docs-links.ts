/**
 * The only pages the app opens in the system browser. A URL passes only if it is https, has no user info
 * or port, and sits under one of these prefixes — checked with URL parsing, never string matching on the
 * raw text (which `https://docs.n8n.io.evil.example/` or `https://docs.n8n.io@evil.example/` would fool).
 */
export const DOCS_PREFIXES = [
  'https://docs.n8n.io/',
  'https://community.n8n.io/',
  'https://github.com/n8n-io/',
  'https://docs.docker.com/',
  'https://caddyserver.com/docs/',
  'https://doc.traefik.io/traefik/',
  'https://nginx.org/en/docs/',
  'https://letsencrypt.org/docs/',
  'https://support.google.com/',
  'https://learn.microsoft.com/',
  'https://docs.aws.amazon.com/ses/',
] as const;

export function isAllowedDocsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  return DOCS_PREFIXES.some((prefix) => {
    const allowed = new URL(prefix);
    return url.hostname === allowed.hostname && url.pathname.startsWith(allowed.pathname);
  });
}
