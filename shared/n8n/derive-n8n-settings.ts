/**
 * Profile → the environment n8n should see. Placement (`.env`, compose, secret files) is decided later by
 * the export plan; this only says which variable holds what.
 */
import type { Warning } from '../errors.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import { TEMPLATE_KINDS } from './email-templates.js';
import { imageVersion, readsN8nWebhookUrl } from './image-version.js';
import { CONTAINER, DEFAULT_N8N_IMAGE, N8N_VARIABLES, type SecretVariable, type VariableName } from './n8n-variables.js';
import { deriveUrlSettings } from './public-url.js';

export type { SecretVariable };

export interface N8nSettings {
  /** Non-secret values, by variable. Every managed variable not listed here must be absent. */
  values: Partial<Record<VariableName, string>>;
  /** Secret variables the profile needs; their values come from the keychain, stdin or the existing files. */
  secrets: SecretVariable[];
  /** Files to place into the container, by container path: template copies and the CA bundle. */
  mounts: Array<{ kind: 'template' | 'certificate'; source: string; target: string; fileName: string }>;
  warnings: Warning[];
}

export const CA_FILE_NAME = 'smtp-ca.pem';

/** What the target deployment contributes: the image that will run, its zone, and what it sets today. */
export interface DeploymentFacts {
  image: string;
  timezone?: string;
  /** The environment the n8n container gets today (empty for a new setup). */
  existing: Readonly<Record<string, string>>;
}

export function deriveN8nSettings(profile: ResolvedProfile, facts: Partial<DeploymentFacts> = {}): N8nSettings {
  const values: N8nSettings['values'] = {};
  const secrets: SecretVariable[] = [];
  const mounts: N8nSettings['mounts'] = [];
  const warnings: Warning[] = [];
  const email = profile.email;

  if (email.mode === 'none') {
    values.N8N_EMAIL_MODE = '';
    warnings.push({
      code: 'WARN_NO_PASSWORD_RESET',
      message: 'No email: admins copy invite links from n8n by hand, and users cannot reset forgotten passwords.',
      field: 'email.mode',
    });
  } else {
    values.N8N_EMAIL_MODE = 'smtp';
    values.N8N_SMTP_HOST = email.host;
    values.N8N_SMTP_PORT = String(email.port);
    values.N8N_SMTP_SSL = String(email.security === 'tls');
    values.N8N_SMTP_STARTTLS = String(email.security === 'starttls');
    values.N8N_SMTP_SENDER = email.sender;
    if (email.auth.type === 'password') {
      values.N8N_SMTP_USER = email.auth.user;
      secrets.push('N8N_SMTP_PASS');
      if (email.security === 'none') {
        warnings.push({ code: 'WARN_PLAINTEXT_LOGIN', message: 'Security "none": the SMTP password travels unencrypted. Prefer "starttls" or "tls".', field: 'email.security' });
      }
    } else if (email.auth.type === 'google-service-account') {
      values.N8N_SMTP_USER = email.auth.user;
      values.N8N_SMTP_OAUTH_SERVICE_CLIENT = email.auth.serviceClient;
      secrets.push('N8N_SMTP_OAUTH_PRIVATE_KEY');
    }
    for (const kind of TEMPLATE_KINDS) {
      const template = email.templates[kind.kind];
      if (!template) continue;
      const target = `${CONTAINER.templatesDir}/${kind.fileName}`;
      values[kind.variable] = target;
      mounts.push({ kind: 'template', source: template.file, target, fileName: kind.fileName });
    }
    if (email.caFile) {
      const target = `${CONTAINER.certificatesDir}/${CA_FILE_NAME}`;
      values.NODE_EXTRA_CA_CERTS = target;
      mounts.push({ kind: 'certificate', source: email.caFile, target, fileName: CA_FILE_NAME });
    }
  }

  const image = facts.image ?? profile.deploy.image ?? DEFAULT_N8N_IMAGE;
  Object.assign(values, deriveUrlVariables(profile, webhookVariable(image, facts.existing ?? {}), warnings));
  const timezone = facts.timezone ?? profile.deploy.timezone;
  if (timezone) {
    values.GENERIC_TIMEZONE = timezone;
    values.TZ = timezone;
  }
  return { values, secrets, mounts, warnings };
}

/**
 * Which variable carries the webhook URL for this image. An image whose version the tag does not tell
 * (a custom build, `latest`) keeps the variable it already uses; otherwise the current name.
 */
function webhookVariable(image: string, existing: Readonly<Record<string, string>>): 'N8N_WEBHOOK_URL' | 'WEBHOOK_URL' {
  if (imageVersion(image)) return readsN8nWebhookUrl(image) ? 'N8N_WEBHOOK_URL' : 'WEBHOOK_URL';
  return 'WEBHOOK_URL' in existing && !('N8N_WEBHOOK_URL' in existing) ? 'WEBHOOK_URL' : 'N8N_WEBHOOK_URL';
}

function deriveUrlVariables(profile: ResolvedProfile, webhook: 'N8N_WEBHOOK_URL' | 'WEBHOOK_URL', warnings: Warning[]): N8nSettings['values'] {
  const url = deriveUrlSettings(profile.url.public);
  const values: N8nSettings['values'] = {
    N8N_HOST: url.host,
    N8N_PROTOCOL: url.protocol,
    N8N_EDITOR_BASE_URL: url.baseUrl,
    N8N_PROXY_HOPS: String(profile.url.proxyHops),
  };
  if (url.path !== '/') {
    values.N8N_PATH = url.path;
    warnings.push({
      code: 'WARN_SUBPATH',
      message: `n8n under the sub-path ${url.path} needs a proxy that strips the prefix before passing requests on, and still has known breakages: links of Human-in-the-Loop and Wait nodes ("send and wait", resume URLs) fail their signature check, because n8n signs the public URL with the prefix and checks the stripped one, and some endpoints and redirects ignore N8N_PATH (n8n issue #19635). A subdomain such as n8n.${url.host.replace(/^www\./, '')} avoids all of it.`,
      field: 'url.public',
    });
  }
  values[webhook] = url.baseUrl;

  if (url.protocol === 'http' && !url.isLocalhost) {
    values.N8N_SECURE_COOKIE = 'false';
    warnings.push({
      code: 'WARN_INSECURE_COOKIE',
      message: 'The public URL is http://: N8N_SECURE_COOKIE=false lets people log in, but passwords and sessions then travel unencrypted, and OAuth2 credentials (Google, Microsoft and most providers) and MCP clients that sign in with OAuth need an https:// callback address. Use https:// when you can.',
      field: 'url.public',
    });
  }
  const proxy = profile.deploy.proxy;
  if (proxy === 'none' && url.protocol === 'https') {
    warnings.push({
      code: 'WARN_TLS_NOT_TERMINATED',
      message: 'The public URL is https:// but no proxy was chosen: n8n itself serves plain http on 5678, so something in front must provide TLS (choose "external", "caddy" or "traefik").',
      field: 'deploy.proxy',
    });
  }
  if ((proxy === 'caddy' || proxy === 'traefik') && (url.protocol === 'http' || url.isLocalhost || /^[\d.]+$|^\[/.test(url.host))) {
    warnings.push({
      code: 'WARN_ACME_NEEDS_DOMAIN',
      message: `${proxy} gets certificates from Let's Encrypt, which needs an https:// URL with a public domain name pointing at this server.`,
      field: 'url.public',
    });
  }
  if (proxy !== 'none' && profile.url.proxyHops === 0) {
    warnings.push({
      code: 'WARN_PROXY_HOPS_ZERO',
      message: "A proxy is in front of n8n but N8N_PROXY_HOPS is 0: n8n ignores X-Forwarded-For and X-Forwarded-Host, so it rate-limits everyone as one client, and where the proxy changes the Host header, Wait-node and Human-in-the-Loop resume links fail their signature check (n8n reads the public host from the forwarded headers only with hops set).",
      field: 'url.proxyHops',
    });
  }
  return values;
}

/** Every variable export may manage. */
export const MANAGED_VARIABLES = (Object.keys(N8N_VARIABLES) as VariableName[]).filter((name) => N8N_VARIABLES[name].managed);

/**
 * The variables this export manages: what the new settings leave out of these is removed from the files.
 * Variables the profile has no say in are left as the admin set them: invite-link hardening while SMTP is
 * on, templates and CA bundles that are not this tool's mounts.
 */
export function managedVariables(profile: ResolvedProfile, existing: Readonly<Record<string, string>>): VariableName[] {
  const email = profile.email;
  const ours = (name: VariableName, dir: string) => existing[name] === undefined || existing[name].startsWith(`${dir}/`);
  return MANAGED_VARIABLES.filter((name) => {
    if (name === 'N8N_INVITE_LINKS_EMAIL_ONLY') return email.mode === 'none';
    if (name === 'NODE_EXTRA_CA_CERTS') return (email.mode === 'smtp' && email.caFile !== undefined) || ours(name, CONTAINER.certificatesDir);
    const template = TEMPLATE_KINDS.find((t) => t.variable === name);
    if (template) return (email.mode === 'smtp' && email.templates[template.kind] !== undefined) || ours(name, CONTAINER.templatesDir);
    return true;
  });
}
