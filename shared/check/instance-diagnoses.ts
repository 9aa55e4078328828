/**
 * Every finding of `check` as a table: what it means and, for a mismatch, the likely causes in order and the
 * fix. `compareInstance` picks the code; this table is the only place that words it.
 */
export type CheckTopic = 'url' | 'smtp' | 'cookie';
export type FindingStatus = 'ok' | 'mismatch' | 'unknown';

export interface FindingContext {
  expectedUrl: string;
  actualUrl: string;
}

interface Diagnosis {
  topic: CheckTopic;
  status: FindingStatus;
  explain: (c: FindingContext) => string;
  causes?: readonly string[];
  fix?: (c: FindingContext) => string;
}

const RECREATE = 'the container was not recreated after the export: `docker compose restart` keeps the old environment';
const ENV_NOT_PASSED = 'the .env file is not passed to the n8n service: its compose entry needs `env_file: .env` (Compose reads .env only for ${…} interpolation otherwise)';
const APPLY = 'Run `docker compose up -d` in the folder of the compose file, then check again; `docker compose exec n8n printenv | grep N8N_` shows what n8n received.';

export const INSTANCE_DIAGNOSES = {
  URL_MATCHES: { topic: 'url', status: 'ok', explain: (c) => `n8n builds invite and reset links on ${c.actualUrl}.` },
  URL_DEFAULT: {
    topic: 'url',
    status: 'mismatch',
    explain: (c) => `n8n builds links on ${c.actualUrl}, its built-in default, instead of ${c.expectedUrl}: none of the URL variables reach it.`,
    causes: [RECREATE, ENV_NOT_PASSED],
    fix: () => APPLY,
  },
  URL_PROXY_VARIABLES_MISSING: {
    topic: 'url',
    status: 'mismatch',
    explain: (c) => `n8n builds links on ${c.actualUrl} instead of ${c.expectedUrl}: it knows the host but not how the proxy publishes it (scheme, port or sub-path).`,
    causes: ['the proxy variables are missing: N8N_EDITOR_BASE_URL (and N8N_PROTOCOL=https behind a TLS proxy, N8N_PATH for a sub-path)', RECREATE],
    fix: (c) => `Export again with url.public set to ${c.expectedUrl}, then: ${APPLY}`,
  },
  URL_OTHER_ADDRESS: {
    topic: 'url',
    status: 'mismatch',
    explain: (c) => `n8n builds links on ${c.actualUrl} instead of ${c.expectedUrl}.`,
    causes: [
      'an older N8N_EDITOR_BASE_URL (or N8N_WEBHOOK_URL, WEBHOOK_URL) is set elsewhere: a value under `environment:` in the compose file wins over .env',
      RECREATE,
      '--url reaches another n8n than the one the profile describes',
    ],
    fix: () => `Remove the older value, then: ${APPLY}`,
  },
  URL_UNKNOWN: { topic: 'url', status: 'unknown', explain: () => 'This n8n does not publish its instance URL (no sso.oidc.loginUrl in /rest/settings; older than 1.9x?): check an invite link instead.' },

  SMTP_SET_UP: { topic: 'smtp', status: 'ok', explain: () => 'Email is set up: n8n sends invitations and password resets.' },
  SMTP_OFF_AS_EXPECTED: { topic: 'smtp', status: 'ok', explain: () => 'Email is off, as the profile says: invite links are copied by hand.' },
  SMTP_NOT_SET_UP: {
    topic: 'smtp',
    status: 'mismatch',
    explain: () => 'n8n has no email set up, but the profile sets up SMTP: invitations are not sent and nobody can reset a password.',
    causes: [RECREATE, ENV_NOT_PASSED, 'N8N_SMTP_HOST is empty or N8N_EMAIL_MODE is not "smtp" where n8n reads them'],
    fix: () => APPLY,
  },
  SMTP_STILL_SET_UP: {
    topic: 'smtp',
    status: 'mismatch',
    explain: () => 'n8n still sends email, but the profile turns it off (manual invite links).',
    causes: [RECREATE, 'SMTP variables from an earlier setup are still set outside the files this tool manages'],
    fix: () => `Remove the N8N_SMTP_* variables left elsewhere, then: ${APPLY}`,
  },
  SMTP_UNKNOWN: { topic: 'smtp', status: 'unknown', explain: () => 'This n8n does not say whether email is set up (no userManagement.smtpSetup).' },

  COOKIE_MATCHES: { topic: 'cookie', status: 'ok', explain: (c) => `The login cookie fits ${c.expectedUrl}.` },
  COOKIE_SECURE_OVER_HTTP: {
    topic: 'cookie',
    status: 'mismatch',
    explain: (c) => `n8n marks its login cookie Secure, but ${c.expectedUrl} is plain http: browsers drop the cookie and the login page shows a "secure cookie" error.`,
    causes: ['N8N_SECURE_COOKIE=false does not reach n8n (the export writes it for an http:// public URL)', RECREATE],
    fix: () => `Serve n8n over https (a proxy with TLS), or make sure N8N_SECURE_COOKIE=false is in .env, then: ${APPLY}`,
  },
  COOKIE_INSECURE_OVER_HTTPS: {
    topic: 'cookie',
    status: 'mismatch',
    explain: (c) => `${c.expectedUrl} is https, but n8n's login cookie is not marked Secure (N8N_SECURE_COOKIE=false): it would also travel over plain http.`,
    causes: ['N8N_SECURE_COOKIE=false is left from an earlier http:// setup'],
    fix: () => `Remove N8N_SECURE_COOKIE=false, then: ${APPLY}`,
  },
  COOKIE_UNKNOWN: { topic: 'cookie', status: 'unknown', explain: () => 'This n8n does not publish its cookie setting (no authCookie.secure).' },
} as const satisfies Record<string, Diagnosis>;

export type FindingCode = keyof typeof INSTANCE_DIAGNOSES;
