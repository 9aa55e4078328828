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
