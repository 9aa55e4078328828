/**
 * Every environment variable this tool writes, reads back or warns about, as n8n reads it
 * (@n8n/config, checked against 2.39 / n8n 2.41). This table is the one place that knows n8n's names,
 * types, defaults, which secrets they carry and which n8n processes read them; the mapping code refers to
 * entries by name, typed against it, and the lists below are derived from it.
 */
import type { ServiceRole } from '../deployment/deployment.js';

export type VariableType = 'string' | 'number' | 'boolean' | 'enum' | 'path';

export interface N8nVariable {
  type: VariableType;
  /** n8n's default when the variable is absent; `null` where n8n has none or derives one. */
  default: string | number | boolean | null;
  /** n8n also reads `NAME_FILE` (a path whose contents are the value). */
  file: boolean;
  /**
   * Holds a credential: masked in diffs, never logged, delivered as a Docker secret file (`secretFile`, read
   * through `NAME_FILE`). `keychain`: the profile supplies it, stored in the OS keychain under that kind.
   */
  secret?: { secretFile: string; keychain?: string };
  enumValues?: readonly string[];
  /** The profile field it comes from, for people (diff and import reports). */
  profileField?: string;
  /** Set by export; absent from the desired state means "remove from managed files". */
  managed: boolean;
  /** Container layout (paths, mounts) belongs next to the mounts in compose; settings go into `.env`. */
  place?: 'env' | 'compose';
  /**
   * The n8n processes that read it, so the ones a deployment must give it to (docs/deployments.md has the
   * n8n 2.41.1 source behind each): mail settings go wherever mail is sent, URL settings wherever links are
   * built, proxy and cookie settings only where n8n serves the editor or webhooks through the proxy.
   */
  readBy: readonly ServiceRole[];
  /** n8n reads it straight from process.env: `NAME_FILE` does not work. */
  note?: string;
}

/**
 * Mail: main sends every user-management mail; a worker sends workflow-failure (SQLite, queue mode) and
 * workflow-deactivated (crash recovery); webhook processors get the same, so every process mails alike.
 */
const MAILING = ['main', 'worker', 'webhook'] as const;
/** Links: every process builds them through n8n's URL service (resume, form and webhook URLs on workers). */
const LINKING = ['main', 'worker', 'webhook'] as const;
/** The HTTP servers behind the proxy: the editor (main) and webhook processors; a worker serves health checks only. */
const SERVING = ['main', 'webhook'] as const;

const smtp = { managed: true, file: true, readBy: MAILING } as const;
const url = { managed: true, file: true, readBy: LINKING } as const;

export const N8N_VARIABLES = {
  N8N_EMAIL_MODE: { ...smtp, type: 'enum', enumValues: ['', 'smtp'], default: 'smtp', profileField: 'email.mode' },
  N8N_SMTP_HOST: { ...smtp, type: 'string', default: '', profileField: 'email.host' },
  N8N_SMTP_PORT: { ...smtp, type: 'number', default: 465, profileField: 'email.port' },
  N8N_SMTP_SSL: { ...smtp, type: 'boolean', default: true, profileField: 'email.security' },
  N8N_SMTP_STARTTLS: { ...smtp, type: 'boolean', default: true, profileField: 'email.security' },
  N8N_SMTP_USER: { ...smtp, type: 'string', default: '', profileField: 'email.auth.user' },
  N8N_SMTP_PASS: { ...smtp, type: 'string', default: '', secret: { secretFile: 'n8n_smtp_pass', keychain: 'smtp-password' }, profileField: 'SMTP password (keychain)' },
  N8N_SMTP_SENDER: { ...smtp, type: 'string', default: '', profileField: 'email.sender' },
  N8N_SMTP_OAUTH_SERVICE_CLIENT: { ...smtp, type: 'string', default: '', profileField: 'email.auth.serviceClient' },
  N8N_SMTP_OAUTH_PRIVATE_KEY: { ...smtp, type: 'string', default: '', secret: { secretFile: 'n8n_smtp_oauth_private_key', keychain: 'oauth-private-key' }, profileField: 'service-account private key (keychain)' },
  N8N_INVITE_LINKS_EMAIL_ONLY: { ...smtp, type: 'boolean', default: false, profileField: 'email.mode' },

  N8N_UM_EMAIL_TEMPLATES_INVITE: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.invite' },
  N8N_UM_EMAIL_TEMPLATES_PWRESET: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.passwordReset' },
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_SHARED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.workflowShared' },
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_AUTODEACTIVATED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.workflowDeactivated' },
  N8N_UM_EMAIL_TEMPLATES_CREDENTIALS_SHARED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.credentialsShared' },
  N8N_UM_EMAIL_TEMPLATES_PROJECT_SHARED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.projectShared' },
  N8N_UM_EMAIL_TEMPLATES_WORKFLOW_FAILURE: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.workflowFailure' },
  N8N_UM_EMAIL_TEMPLATES_API_KEY_REVOKED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.apiKeyRevoked' },
  N8N_UM_EMAIL_TEMPLATES_MCP_CLIENT_REVOKED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.mcpClientRevoked' },
  N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_REQUESTED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.emailChangeRequested' },
  N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_COMPLETED: { ...smtp, type: 'path', default: '', place: 'compose', profileField: 'email.templates.emailChangeCompleted' },

  N8N_HOST: { ...url, type: 'string', default: 'localhost', profileField: 'url.public' },
  N8N_PROTOCOL: { ...url, type: 'enum', enumValues: ['http', 'https'], default: 'http', profileField: 'url.public' },
  N8N_PATH: { ...url, type: 'string', default: '/', profileField: 'url.public' },
  N8N_EDITOR_BASE_URL: { ...url, type: 'string', default: '', profileField: 'url.public' },
  N8N_WEBHOOK_URL: { ...url, type: 'string', default: '', profileField: 'url.public' },
  WEBHOOK_URL: { ...url, file: false, type: 'string', default: '', profileField: 'url.public', note: 'deprecated since N8N_WEBHOOK_URL; read straight from process.env' },
  N8N_PROXY_HOPS: { ...url, readBy: SERVING, type: 'number', default: 0, profileField: 'url.proxyHops' },
  N8N_SECURE_COOKIE: { ...url, readBy: ['main'], type: 'boolean', default: true, profileField: 'url.public', note: 'the sign-in cookie; only main signs users in' },
  N8N_PORT: { managed: false, file: true, readBy: SERVING, type: 'number', default: 5678, note: 'also the port n8n listens on inside the container' },
  N8N_LISTEN_ADDRESS: { managed: false, file: true, readBy: SERVING, type: 'string', default: '::' },

  GENERIC_TIMEZONE: { managed: true, file: true, readBy: LINKING, type: 'string', default: 'America/New_York', place: 'compose', profileField: 'deploy.timezone' },
  TZ: { managed: true, file: false, readBy: LINKING, type: 'string', default: null, place: 'compose', profileField: 'deploy.timezone', note: 'read by the container runtime, not by n8n' },
  NODE_EXTRA_CA_CERTS: { managed: true, file: false, readBy: MAILING, type: 'path', default: null, place: 'compose', profileField: 'email.caFile', note: 'read by Node at start' },
  N8N_ENCRYPTION_KEY: { managed: false, file: true, readBy: ['main', 'worker', 'webhook', 'task'], type: 'string', default: null, secret: { secretFile: 'n8n_encryption_key' }, profileField: 'deploy.encryptionKey', note: 'generated into /home/node/.n8n/config when unset' },
} as const satisfies Record<string, N8nVariable>;

export type VariableName = keyof typeof N8N_VARIABLES;

export function isVariableName(name: string): name is VariableName {
  return Object.hasOwn(N8N_VARIABLES, name);
}

export function variableInfo(name: VariableName): N8nVariable {
  return N8N_VARIABLES[name];
}

type Table = typeof N8N_VARIABLES;
/** Variables delivered as secret files. */
export type SecretFileVariable = { [K in VariableName]: Table[K] extends { secret: object } ? K : never }[VariableName];
/** Secrets the profile supplies (from the keychain, stdin or a file), by variable. */
export type SecretVariable = { [K in VariableName]: Table[K] extends { secret: { keychain: string } } ? K : never }[VariableName];
/** The keychain kinds of those secrets (`smtp-password`). */
export type SecretKindName = { [K in SecretVariable]: Table[K]['secret']['keychain'] }[SecretVariable];

const names = Object.keys(N8N_VARIABLES) as VariableName[];

export function isSecretVariable(name: string): name is SecretFileVariable {
  return isVariableName(name) && variableInfo(name).secret !== undefined;
}

/** Each secret variable with its compose secret name (`N8N_SMTP_PASS` → `n8n_smtp_pass`). */
export const SECRET_FILES = Object.fromEntries(names.flatMap((name) => (variableInfo(name).secret ? [[name, variableInfo(name).secret!.secretFile]] : []))) as Readonly<Record<SecretFileVariable, string>>;

/** The keychain kinds, in table order (non-empty: the profile supplies at least the SMTP password). */
export const SECRET_KIND_NAMES = names.flatMap((name) => variableInfo(name).secret?.keychain ?? []) as unknown as readonly [SecretKindName, ...SecretKindName[]];

/** Whether the profile supplies this secret (it has a keychain kind). */
export function keychainSecret(name: string): name is SecretVariable {
  return isVariableName(name) && variableInfo(name).secret?.keychain !== undefined;
}

export function secretVariableOfKind(kind: SecretKindName): SecretVariable {
  return names.find((name) => variableInfo(name).secret?.keychain === kind) as SecretVariable;
}

export function secretKindOfVariable(variable: SecretVariable): SecretKindName {
  return variableInfo(variable).secret!.keychain as SecretKindName;
}

/** Whether an n8n process in `role` reads the variable; names outside the table are not ours to place. */
export function roleReads(role: ServiceRole, name: string): boolean {
  const variable = name.endsWith('_FILE') && isVariableName(name.slice(0, -5)) ? name.slice(0, -5) : name;
  return !isVariableName(variable) || variableInfo(variable).readBy.includes(role);
}

/** The first n8n image release that reads N8N_WEBHOOK_URL; older images only know WEBHOOK_URL. */
export const N8N_WEBHOOK_URL_SINCE = { major: 2, minor: 30 } as const;

/** The n8n release this project is tested against, used as the default image. */
export const DEFAULT_N8N_IMAGE = 'docker.n8n.io/n8nio/n8n:2.41.1';

/** Where n8n's container expects things (n8n's Docker image and docs). */
export const CONTAINER = {
  uid: 1000,
  listenPort: 5678,
  dataVolume: '/home/node/.n8n',
  secretsDir: '/run/secrets',
  templatesDir: '/opt/n8n-templates',
  certificatesDir: '/opt/custom-certificates',
} as const;

/** Names admins try that n8n does not read, with what to use instead. */
export const IGNORED_VARIABLES: ReadonlyArray<{ pattern: RegExp; reason: string; instead?: VariableName }> = [
  { pattern: /^N8N_SMTP_PASSWORD$/, reason: 'n8n has no N8N_SMTP_PASSWORD; the password is read from N8N_SMTP_PASS.', instead: 'N8N_SMTP_PASS' },
  { pattern: /^N8N_TRUST_PROXY$/, reason: 'n8n has no N8N_TRUST_PROXY; proxy trust is N8N_PROXY_HOPS (the number of proxies in front).', instead: 'N8N_PROXY_HOPS' },
  { pattern: /^N8N_BASIC_AUTH_/, reason: 'basic auth was removed in n8n 1.0; user management replaces it.' },
  { pattern: /^N8N_USER_MANAGEMENT_DISABLED$/, reason: 'user management cannot be disabled since n8n 1.0.' },
  { pattern: /^WEBHOOK_TUNNEL_URL$/, reason: 'WEBHOOK_TUNNEL_URL was removed; use N8N_WEBHOOK_URL (WEBHOOK_URL on older images).', instead: 'N8N_WEBHOOK_URL' },
  { pattern: /^N8N_SMTP_TLS$/, reason: 'n8n has no N8N_SMTP_TLS; implicit TLS is N8N_SMTP_SSL, STARTTLS is N8N_SMTP_STARTTLS.', instead: 'N8N_SMTP_SSL' },
  { pattern: /^N8N_DIAGNOSTICS$/, reason: 'the variable is N8N_DIAGNOSTICS_ENABLED.' },
];
