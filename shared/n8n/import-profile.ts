/**
 * Existing n8n environment → profile, plus every variable n8n would ignore or alter, with n8n's reason.
 * The environment is what the container gets (project .env via env_file, overridden by compose
 * `environment:`); the services layer assembles it from the files.
 */
import { isPlatformPlaceholder } from '../deployment/deployment.js';
import type { Profile } from '../profile/profile-schema.js';
import { TEMPLATE_KINDS } from './email-templates.js';
import { readLikeN8n, type ReadOutcome } from './n8n-reading.js';
import { CONTAINER, IGNORED_VARIABLES, isVariableName, N8N_VARIABLES, type VariableName } from './n8n-variables.js';

export interface Finding {
  code: string;
  variable: string;
  message: string;
  fix?: string;
}

export interface ImportInput {
  environment: Readonly<Record<string, string>>;
  /** Bind mounts of the n8n service (host source → container target), to map container paths back. */
  mounts?: ReadonlyArray<{ source: string; target: string }>;
  /** As written in the compose file: `${N8N_VERSION}` references are kept, not validated. */
  image?: string;
  proxy?: 'none' | 'caddy' | 'traefik' | 'external' | 'platform';
  /** The ACME (Let's Encrypt) email the bundled proxy reads (SSL_EMAIL, ACME_EMAIL…). */
  acmeEmail?: string;
}

export interface ImportResult {
  profile: Profile;
  findings: Finding[];
}

export function importProfile(input: ImportInput): ImportResult {
  const findings: Finding[] = [];
  const env = Object.fromEntries(
    Object.entries(input.environment).filter(([name, value]) => {
      if (!isPlatformPlaceholder(value)) return true;
      findings.push({ code: 'PLATFORM_PLACEHOLDER', variable: name, message: `${name} is left for the platform to fill in when it deploys (${value}); it is read as not set.` });
      return false;
    }),
  );
  const read = (name: VariableName): ReadOutcome => {
    const outcome = readLikeN8n(name, env[name]);
    if (outcome.kind === 'ignored') findings.push({ code: 'IGNORED_VALUE', variable: name, message: outcome.reason, fix: fixFor(name) });
    if (outcome.kind === 'value' && outcome.altered) findings.push({ code: 'ALTERED_VALUE', variable: name, message: outcome.altered, fix: 'Remove the surrounding spaces or quotes so the file says what n8n uses.' });
    return outcome;
  };
  const value = <T extends string | number | boolean>(name: VariableName): T => {
    const outcome = read(name);
    return (outcome.kind === 'value' ? outcome.value : N8N_VARIABLES[name].default) as T;
  };

  reportUnknownAndShadowed(env, findings);

  const mode = value<string>('N8N_EMAIL_MODE');
  const host = value<string>('N8N_SMTP_HOST');
  const hasPassword = (env.N8N_SMTP_PASS ?? '') !== '' || (!('N8N_SMTP_PASS' in env) && Boolean(env.N8N_SMTP_PASS_FILE));
  const user = value<string>('N8N_SMTP_USER');
  const serviceClient = value<string>('N8N_SMTP_OAUTH_SERVICE_CLIENT');
  const hasKey = (env.N8N_SMTP_OAUTH_PRIVATE_KEY ?? '') !== '' || Boolean(env.N8N_SMTP_OAUTH_PRIVATE_KEY_FILE);
  const inviteLinksEmailOnly = value<boolean>('N8N_INVITE_LINKS_EMAIL_ONLY');

  let email: Profile['email'];
  if (mode !== 'smtp' || host === '') {
    if (mode === 'smtp') findings.push({ code: 'SMTP_NOT_SET_UP', variable: 'N8N_SMTP_HOST', message: 'N8N_EMAIL_MODE is smtp but N8N_SMTP_HOST is empty, so n8n treats email as not set up.', fix: 'Set N8N_SMTP_HOST, or choose manual invite links.' });
    if (inviteLinksEmailOnly) {
      findings.push({ code: 'INVITE_LINKS_EMAIL_ONLY_WITHOUT_SMTP', variable: 'N8N_INVITE_LINKS_EMAIL_ONLY', message: 'N8N_INVITE_LINKS_EMAIL_ONLY=true hides invite links, but without SMTP no invite email is sent: nobody can be invited.', fix: 'Remove N8N_INVITE_LINKS_EMAIL_ONLY, or set up SMTP.' });
    }
    email = { mode: 'none' };
  } else {
    const ssl = value<boolean>('N8N_SMTP_SSL');
    const startTls = value<boolean>('N8N_SMTP_STARTTLS');
    const port = value<number>('N8N_SMTP_PORT');
    if (ssl && [25, 587, 2525].includes(port)) {
      findings.push({ code: 'SSL_ON_PLAIN_PORT', variable: 'N8N_SMTP_SSL', message: `N8N_SMTP_SSL is ${'N8N_SMTP_SSL' in env ? 'true' : 'unset (default true)'} with port ${port}, which expects STARTTLS: sending fails with "wrong version number".`, fix: 'Set N8N_SMTP_SSL=false and N8N_SMTP_STARTTLS=true.' });
    }
    if (user !== '' && !hasPassword && !(serviceClient && hasKey)) {
      findings.push({ code: 'AUTH_INCOMPLETE', variable: 'N8N_SMTP_PASS', message: 'N8N_SMTP_USER is set but no password: n8n sends without logging in.', fix: 'Set the password (n8n-setup export --password-stdin).' });
    }
    const sender = value<string>('N8N_SMTP_SENDER') || (user.includes('@') ? user : '');
    if (!env.N8N_SMTP_SENDER && sender) findings.push({ code: 'SENDER_FROM_USER', variable: 'N8N_SMTP_SENDER', message: `N8N_SMTP_SENDER is unset; n8n uses the login "${user}" as the sender.` });
    const templates = importTemplates(env, input.mounts ?? [], findings);
    const caFile = mapToHost(env.NODE_EXTRA_CA_CERTS, input.mounts ?? []);
    email = {
      mode: 'smtp',
      host,
      port,
      security: ssl ? 'tls' : startTls ? 'starttls' : 'none',
      auth: serviceClient && hasKey ? { type: 'google-service-account', user, serviceClient } : user ? { type: 'password', user } : { type: 'none' },
      sender,
      ...(caFile && { caFile }),
      ...(Object.keys(templates).length && { templates }),
    };
  }

  const proxyHops = value<number>('N8N_PROXY_HOPS');
  const profile: Profile = {
    version: 1,
    email,
    url: { public: instanceUrl(env, value, findings), proxyHops },
    deploy: {
      ...(input.proxy && { proxy: input.proxy }),
      ...(input.acmeEmail && { acmeEmail: input.acmeEmail }),
      secrets: Object.keys(env).some((k) => k.startsWith('N8N_SMTP_') && k.endsWith('_FILE')) ? 'file' : 'env',
      ...(env.GENERIC_TIMEZONE && { timezone: value<string>('GENERIC_TIMEZONE') }),
      ...(input.image && { image: input.image }),
      encryptionKey: 'keep',
    },
  };
  return { profile, findings };
}

/** n8n's precedence for the URL in emails: editor base URL, webhook URL, deprecated WEBHOOK_URL, then host parts. */
function instanceUrl(env: Readonly<Record<string, string>>, value: <T extends string | number | boolean>(n: VariableName) => T, findings: Finding[]): string {
  const protocol = value<string>('N8N_PROTOCOL');
  const host = value<string>('N8N_HOST');
  const port = value<number>('N8N_PORT');
  const path = value<string>('N8N_PATH');
  if (path !== '/' && !(path.startsWith('/') && path.endsWith('/'))) {
    findings.push({ code: 'PATH_NOT_SLASHED', variable: 'N8N_PATH', message: `N8N_PATH "${path}" must start and end with "/": the editor otherwise loads assets from broken paths.`, fix: `Use "/${path.replace(/^\/+|\/+$/g, '')}/".` });
  }
  if (env.WEBHOOK_URL !== undefined && env.N8N_WEBHOOK_URL === undefined) {
    findings.push({ code: 'DEPRECATED_VARIABLE', variable: 'WEBHOOK_URL', message: 'WEBHOOK_URL is deprecated in current n8n (it warns at start); N8N_WEBHOOK_URL replaces it.', fix: 'Export again: n8n-setup writes the name your image reads.' });
  }
  const editor = value<string>('N8N_EDITOR_BASE_URL');
  const webhook = value<string>('N8N_WEBHOOK_URL') || (env.WEBHOOK_URL ?? '');
  if (editor) return editor;
  if (webhook) return webhook;
  const showPort = !((protocol === 'http' && port === 80) || (protocol === 'https' && port === 443));
  const url = `${protocol}://${host}${showPort ? `:${port}` : ''}${path.startsWith('/') ? path : `/${path}`}`;
  if (host === 'localhost') {
    findings.push({ code: 'LOCALHOST_LINKS', variable: 'N8N_HOST', message: `No public URL is set, so n8n puts ${url} into invite and reset emails.`, fix: 'Set the public URL (N8N_EDITOR_BASE_URL and friends) with n8n-setup.' });
  }
  return url;
}

function reportUnknownAndShadowed(env: Readonly<Record<string, string>>, findings: Finding[]): void {
  for (const name of Object.keys(env)) {
    const ignored = IGNORED_VARIABLES.find((i) => i.pattern.test(name));
    if (ignored) findings.push({ code: 'UNKNOWN_VARIABLE', variable: name, message: `${name} does nothing: ${ignored.reason}`, ...(ignored.instead && { fix: `Use ${ignored.instead}.` }) });
    if (name.endsWith('_FILE')) {
      const plain = name.slice(0, -'_FILE'.length);
      if (plain in env && isVariableName(plain)) {
        findings.push({ code: 'FILE_SHADOWED', variable: name, message: `${plain} is also defined${env[plain] === '' ? ' (empty)' : ''}, so n8n ignores ${name}.`, fix: `Remove ${plain} entirely (an empty value counts as defined).` });
      }
      if (isVariableName(plain) && !N8N_VARIABLES[plain].file) {
        findings.push({ code: 'FILE_NOT_SUPPORTED', variable: name, message: `n8n reads ${plain} straight from the environment; ${name} is not read.`, fix: `Set ${plain} itself.` });
      }
    }
  }
}

function importTemplates(env: Readonly<Record<string, string>>, mounts: ReadonlyArray<{ source: string; target: string }>, findings: Finding[]): Record<string, { file: string }> {
  const templates: Record<string, { file: string }> = {};
  for (const kind of TEMPLATE_KINDS) {
    const path = env[kind.variable];
    if (!path) continue;
    const host = mapToHost(path, mounts);
    if (host) templates[kind.kind] = { file: host };
    else findings.push({ code: 'TEMPLATE_NOT_MOUNTED', variable: kind.variable, message: `${path} is not inside any mount of the n8n service: n8n silently falls back to its built-in template.`, fix: `Mount the template file, e.g. under ${CONTAINER.templatesDir}.` });
  }
  return templates;
}

function mapToHost(containerPath: string | undefined, mounts: ReadonlyArray<{ source: string; target: string }>): string | undefined {
  if (!containerPath) return undefined;
  for (const mount of mounts) {
    const target = mount.target.replace(/\/+$/, '');
    if (containerPath === target) return mount.source;
    if (containerPath.startsWith(`${target}/`)) return `${mount.source.replace(/\/+$/, '')}${containerPath.slice(target.length)}`;
  }
  return undefined;
}

function fixFor(name: VariableName): string {
  const info = N8N_VARIABLES[name];
  if (info.type === 'boolean') return `Write ${name}=true or ${name}=false, without quotes or spaces.`;
  if (info.type === 'enum' && 'enumValues' in info) return `Write one of ${info.enumValues.map((v) => `"${v}"`).join(', ')} in lowercase.`;
  if (info.type === 'number') return `Write a plain number, e.g. ${name}=${String(info.default)}.`;
  return 'Correct the value.';
}
