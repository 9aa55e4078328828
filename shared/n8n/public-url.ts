/**
 * What n8n makes of a public URL: the variables that carry it and the links it builds from them. The URL is
 * checked before (profile field rules); shared/proxy/public-url.ts builds the proxy's view on this one.
 */
export interface UrlSettings {
  host: string;
  protocol: 'http' | 'https';
  /** `/` or a sub-path that starts and ends with `/`, as N8N_PATH must. */
  path: string;
  /** The URL with exactly one trailing slash: N8N_EDITOR_BASE_URL and N8N_WEBHOOK_URL. */
  baseUrl: string;
  /** What n8n puts in front of `/signup?token=…`: the base URL without its trailing slash. */
  instanceUrl: string;
  isLocalhost: boolean;
}

export function deriveUrlSettings(publicUrl: string): UrlSettings {
  const url = new URL(publicUrl);
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.length ? `/${segments.join('/')}/` : '/';
  const baseUrl = `${url.origin}${path}`;
  return {
    host: url.hostname,
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    path,
    baseUrl,
    instanceUrl: baseUrl.slice(0, -1),
    isLocalhost: ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost'),
  };
}

/** The invite link n8n would send for this URL (its UrlService drops one trailing slash). */
export function inviteLinkPreview(publicUrl: string, token = '<token>'): string {
  return `${deriveUrlSettings(publicUrl).instanceUrl}/signup?token=${token}`;
}

/**
 * The base URL n8n builds its links from, given the environment it reads: N8N_EDITOR_BASE_URL, else the
 * webhook URL (N8N_WEBHOOK_URL, then the deprecated WEBHOOK_URL), else protocol://host[:port]path — with
 * exactly one trailing slash. Values as n8n reads them (its loader's defaults for what is absent).
 */
export function instanceBaseUrl(env: Readonly<Record<string, string | undefined>>): string {
  const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
  if (env.N8N_EDITOR_BASE_URL) return slash(env.N8N_EDITOR_BASE_URL);
  const webhook = env.N8N_WEBHOOK_URL || env.WEBHOOK_URL;
  if (webhook) return slash(webhook);
  const protocol = env.N8N_PROTOCOL || 'http';
  const host = env.N8N_HOST || 'localhost';
  const port = Number(env.N8N_PORT || 5678);
  const path = env.N8N_PATH || '/';
  const showPort = !((protocol === 'http' && port === 80) || (protocol === 'https' && port === 443));
  return slash(`${protocol}://${host}${showPort ? `:${port}` : ''}${path.startsWith('/') ? path : `/${path}`}`);
}

/** The variables that only carry the public URL; a service whose links already come out right needs none of them. */
export const URL_VARIABLES = ['N8N_HOST', 'N8N_PROTOCOL', 'N8N_PATH', 'N8N_EDITOR_BASE_URL', 'N8N_WEBHOOK_URL', 'WEBHOOK_URL'] as const;
