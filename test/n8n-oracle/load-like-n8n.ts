import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ContainerView } from './load-like-compose.js';

export interface N8nView {
  host: string;
  port: number;
  protocol: string;
  path: string;
  editorBaseUrl: string;
  webhookUrl: string;
  proxyHops: number;
  secureCookie: boolean;
  timezone: string;
  inviteLinksEmailOnly: boolean;
  email: {
    mode: string;
    smtp: { host: string; port: number; secure: boolean; startTLS: boolean; sender: string; auth: { user: string; pass: string; serviceClient: string; privateKey: string } };
    template: Record<string, string>;
  };
  env: { WEBHOOK_URL?: string; TZ?: string; NODE_EXTRA_CA_CERTS?: string };
  warnings: string[];
}

const script = fileURLToPath(new URL('./print-n8n-config.cjs', import.meta.url));

/**
 * Starts n8n's config loader in a process whose environment is exactly what the container would get.
 * Container paths of secrets (`*_FILE`) are mapped to the exported files, as the bind mount would.
 */
export function loadLikeN8n(view: ContainerView): N8nView {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(view.environment)) {
    env[key] = key.endsWith('_FILE') || key === 'NODE_EXTRA_CA_CERTS' ? (view.paths.get(value) ?? value) : value;
  }
  const output = execFileSync(process.execPath, [script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(output) as N8nView;
}

/** n8n's UrlService: editor base URL, else webhook URL (new, then deprecated), else protocol://host[:port]path; one trailing slash dropped. */
export function instanceBaseUrl(n8n: N8nView): string {
  const trimQuotes = (s: string | undefined) => (s ?? '').replace(/^["']+|["']+$/g, '');
  const showPort = !((n8n.protocol === 'http' && n8n.port === 80) || (n8n.protocol === 'https' && n8n.port === 443));
  const generated = `${n8n.protocol}://${n8n.host}${showPort ? `:${n8n.port}` : ''}${n8n.path}`;
  let webhook = trimQuotes(n8n.webhookUrl) || trimQuotes(n8n.env.WEBHOOK_URL) || generated;
  if (!webhook.endsWith('/')) webhook += '/';
  const base = trimQuotes(n8n.editorBaseUrl) || webhook;
  return base.endsWith('/') ? base.slice(0, -1) : base;
}

export interface N8nSetting {
  /** What n8n ends up with; a non-finite number as `{ number: "Infinity" }`. */
  value: string | number | boolean | null | { number: string };
  /** The loader printed a warning naming the variable (it then keeps its default). */
  warned: boolean;
}

const valuesScript = fileURLToPath(new URL('./read-values-like-n8n.cjs', import.meta.url));

/**
 * n8n's config loader run once per environment (all in one process, the loader's container reset in
 * between): for each, every variable of shared/n8n's table as n8n reads it.
 */
export function readValuesLikeN8n(environments: ReadonlyArray<Record<string, string>>): Array<Record<string, N8nSetting>> {
  const output = execFileSync(process.execPath, [valuesScript], { env: {}, input: JSON.stringify(environments), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(output) as Array<Record<string, N8nSetting>>;
}
