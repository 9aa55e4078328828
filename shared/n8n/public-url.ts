/**
 * The public URL, parsed once: whether n8n and a proxy can use it (`checkPublicUrl`, which the profile's field
 * rule, the wizard and the proxy snippets all go through), the variables that carry it and the links n8n
 * builds from them.
 */
import { n8nChangeReason } from './n8n-reading.js';
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

export interface PublicUrlProblem {
  message: string;
  fix: string;
}

/** A sub-path a proxy can strip and every reader spells alike: letters, digits and . _ ~ - between slashes. */
const PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/;

/** The one check of a public URL; `message` continues the field's label ("Public URL is empty."). */
export function checkPublicUrl(value: string): PublicUrlProblem | undefined {
  const example = 'e.g. https://n8n.example.com/';
  if (value.trim() === '') return { message: 'is empty.', fix: `Enter the address people use to reach n8n, ${example}.` };
  if (value.trim() !== value) return { message: 'has spaces at the start or end.', fix: 'Remove the surrounding spaces.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { message: 'has no scheme.', fix: `Start it with https:// or http://, ${example}.` };
  if (!URL.canParse(value)) return { message: 'is not a valid URL.', fix: `Write it like ${example}.` };
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { message: `uses "${url.protocol.slice(0, -1)}:"; n8n links need http or https.`, fix: `Use https://, ${example}.` };
  const hostChange = n8nChangeReason(url.hostname);
  if (hostChange) return { message: `has a host name that ${hostChange}, so N8N_HOST would name another host.`, fix: 'Use the host name without quotes.' };
  if (url.username || url.password) return { message: 'contains a user name or password.', fix: 'Remove the "user:password@" part: it would be sent in every email link.' };
  if (url.search || value.includes('?')) return { message: 'contains a query ("?…"); n8n appends its own paths to this address.', fix: 'Remove everything from the "?" on.' };
  if (url.hash || value.includes('#')) return { message: 'contains a fragment ("#…").', fix: 'Remove everything from the "#" on.' };
  if (url.pathname.includes('//')) return { message: 'has an empty path segment ("//").', fix: 'Write the path once, e.g. https://example.com/n8n/.' };
  if (!PATH.test(url.pathname)) return { message: `has the sub-path "${url.pathname}", which a proxy cannot pass on exactly: only letters, digits and . _ ~ - between slashes.`, fix: 'Use a sub-path such as /n8n/ or /automation/.' };
  return undefined;
}

/** n8n's reading of a public URL that `checkPublicUrl` accepts. */
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
