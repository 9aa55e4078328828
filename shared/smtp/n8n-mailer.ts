/**
 * n8n's mailer as data: the N8N_SMTP_* variables read with @n8n/config's rules, then the nodemailer
 * transport options n8n's NodeMailer (packages/cli/src/user-management/email/node-mailer.ts) builds from
 * them — `{host, port, secure, ignoreTLS}` plus password or service-account OAuth2, nothing else.
 * Every input of the SMTP test (a profile, a .env with its compose file, the container's own environment)
 * passes through `n8nMailerFromVariables`, so the verdict describes what n8n itself will do.
 */
import { deriveN8nSettings } from '../n8n/derive-n8n-settings.js';
import { readLikeN8n } from '../n8n/n8n-reading.js';
import { isSecretVariable, N8N_VARIABLES, type VariableName } from '../n8n/n8n-variables.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';

export const SMTP_VARIABLES = [
  'N8N_EMAIL_MODE',
  'N8N_SMTP_HOST',
  'N8N_SMTP_PORT',
  'N8N_SMTP_SSL',
  'N8N_SMTP_STARTTLS',
  'N8N_SMTP_USER',
  'N8N_SMTP_PASS',
  'N8N_SMTP_SENDER',
  'N8N_SMTP_OAUTH_SERVICE_CLIENT',
  'N8N_SMTP_OAUTH_PRIVATE_KEY',
] as const satisfies readonly VariableName[];

export type SmtpVariable = (typeof SMTP_VARIABLES)[number];

/** Values as the environment holds them, `_FILE` contents already read (trimmed, as n8n does). */
export type SmtpVariables = Partial<Record<SmtpVariable, string>>;

export type N8nTransportAuth = { user: string; pass: string } | { type: 'OAuth2'; user: string; serviceClient: string; privateKey: string };

/** Exactly the options n8n hands to nodemailer's createTransport. */
export interface N8nTransportOptions {
  host: string;
  port: number;
  secure: boolean;
  ignoreTLS: boolean;
  auth?: N8nTransportAuth;
}

export interface ReadNote {
  variable: SmtpVariable;
  kind: 'ignored' | 'altered';
  message: string;
}

export interface N8nMailer {
  /** n8n sends email only when N8N_EMAIL_MODE is "smtp" and a host is set. */
  enabled: boolean;
  transport: N8nTransportOptions;
  /** The From of every n8n email: N8N_SMTP_SENDER, else the user when it contains "@", else empty. */
  sender: string;
  /** The login n8n attempts; "none" also when the user is set without a password (n8n then skips AUTH). */
  login: 'none' | 'password' | 'oauth2';
  /** The user name n8n has, even when it does not log in with it. */
  user: string;
  /** Variables present in the environment; absent ones take n8n's defaults. */
  given: ReadonlySet<SmtpVariable>;
  /** Values n8n ignores (and uses its default instead) or alters (trims, unquotes). */
  readNotes: ReadNote[];
}


export function n8nMailerFromVariables(variables: SmtpVariables): N8nMailer {
  const readNotes: ReadNote[] = [];
  const read = <T extends string | number | boolean>(name: SmtpVariable): T => {
    const outcome = readLikeN8n(name, variables[name]);
    if (outcome.kind === 'ignored') readNotes.push({ variable: name, kind: 'ignored', message: outcome.reason });
    // readLikeN8n never repeats a secret's value in its words.
    if (outcome.kind === 'value' && outcome.altered) readNotes.push({ variable: name, kind: 'altered', message: outcome.altered });
    return (outcome.kind === 'value' ? outcome.value : N8N_VARIABLES[name].default) as T;
  };

  const mode = read<string>('N8N_EMAIL_MODE');
  const host = read<string>('N8N_SMTP_HOST');
  const user = read<string>('N8N_SMTP_USER');
  const pass = read<string>('N8N_SMTP_PASS');
  const serviceClient = read<string>('N8N_SMTP_OAUTH_SERVICE_CLIENT');
  const privateKey = read<string>('N8N_SMTP_OAUTH_PRIVATE_KEY');
  const transport: N8nTransportOptions = {
    host,
    port: read<number>('N8N_SMTP_PORT'),
    secure: read<boolean>('N8N_SMTP_SSL'),
    ignoreTLS: !read<boolean>('N8N_SMTP_STARTTLS'),
  };
  let login: N8nMailer['login'] = 'none';
  if (user && pass) {
    transport.auth = { user, pass };
    login = 'password';
  }
  // Same order as node-mailer.ts: OAuth2 replaces a password when both are configured.
  if (serviceClient && privateKey) {
    transport.auth = { type: 'OAuth2', user, serviceClient, privateKey: privateKey.replace(/\\n/g, '\n') };
    login = 'oauth2';
  }
  const explicitSender = read<string>('N8N_SMTP_SENDER');
  return {
    enabled: mode === 'smtp' && host !== '',
    transport,
    sender: explicitSender || (user.includes('@') ? user : ''),
    login,
    user,
    given: new Set(SMTP_VARIABLES.filter((name) => variables[name] !== undefined)),
    readNotes,
  };
}

/** The variables a profile gives n8n (through the one profile → n8n mapping), with the secrets of this run. */
export function smtpVariablesFromProfile(profile: ResolvedProfile, secrets: { N8N_SMTP_PASS?: string; N8N_SMTP_OAUTH_PRIVATE_KEY?: string }): SmtpVariables {
  const values = deriveN8nSettings(profile).values;
  const variables: SmtpVariables = {};
  for (const name of SMTP_VARIABLES) {
    const value = isSecretVariable(name) ? secrets[name as keyof typeof secrets] : values[name];
    if (value !== undefined) variables[name] = value;
  }
  return variables;
}

/** The settings as the admin would write them, the secrets shown only as "(set)": for messages and reports. */
export function describeMailer(mailer: N8nMailer): Array<{ variable: SmtpVariable; value: string }> {
  const t = mailer.transport;
  const rows: Array<{ variable: SmtpVariable; value: string }> = [
    { variable: 'N8N_SMTP_HOST', value: t.host },
    { variable: 'N8N_SMTP_PORT', value: String(t.port) },
    { variable: 'N8N_SMTP_SSL', value: String(t.secure) },
    { variable: 'N8N_SMTP_STARTTLS', value: String(!t.ignoreTLS) },
    { variable: 'N8N_SMTP_USER', value: mailer.user },
  ];
  if (t.auth && 'pass' in t.auth) rows.push({ variable: 'N8N_SMTP_PASS', value: '(set, not shown)' });
  if (t.auth && 'serviceClient' in t.auth) {
    rows.push({ variable: 'N8N_SMTP_OAUTH_SERVICE_CLIENT', value: t.auth.serviceClient }, { variable: 'N8N_SMTP_OAUTH_PRIVATE_KEY', value: '(set, not shown)' });
  }
  rows.push({ variable: 'N8N_SMTP_SENDER', value: mailer.sender });
  return rows;
}
