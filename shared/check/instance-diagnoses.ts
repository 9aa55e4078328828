/**
 * Every finding of `check` as a table: what it means and, for a mismatch, the likely causes in order and the
 * fix. `compareInstance` picks the code; this table is the only place that words it.
 */
export type CheckTopic = 'url' | 'smtp' | 'cookie' | 'push' | 'proxy';
export type FindingStatus = 'ok' | 'mismatch' | 'unknown';

export interface FindingContext {
  expectedUrl: string;
  actualUrl: string;
  /** The push check: the Origin sent, what answered, how long it waited. */
  origin?: string;
  status?: number;
  said?: string;
  waitedS?: number;
  /** The proxy check: who answered (`Server`/`Via`), the hops n8n is given. */
  proxy?: string;
  hops?: string;
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

  PUSH_CONNECTED: { topic: 'push', status: 'ok', explain: (c) => `The editor's live connection (websocket /rest/push) opens through ${c.actualUrl} with the Origin ${c.origin ?? ''}: no "Connection lost".` },
  PUSH_UPGRADE_NOT_FORWARDED: {
    topic: 'push',
    status: 'mismatch',
    explain: (c) => `n8n answered the editor's websocket as a plain request (HTTP ${c.status ?? 401} "${c.said || 'Unauthorized'}", although the login is valid): the proxy does not pass the Upgrade on. The editor shows "Connection lost" and executions do not update live.`,
    causes: [
      'nginx: the location lacks `proxy_http_version 1.1;`, `proxy_set_header Upgrade $http_upgrade;` and `proxy_set_header Connection "upgrade";`',
      'Nginx Proxy Manager: "Websockets Support" is off for this host; CapRover: "Websocket Support" is off for the app',
      'a CDN or second proxy in front that does not carry websockets',
    ],
    fix: () => 'Pass the upgrade on: in nginx add the three lines above to the location that proxies n8n (the proxy file this tool writes has them), reload the proxy, and check again.',
  },
  PUSH_INVALID_ORIGIN: {
    topic: 'push',
    status: 'mismatch',
    explain: (c) => `n8n refused the editor's websocket with "Invalid origin!" (close ${c.status ?? 1008}): the browser's Origin ${c.origin ?? ''} does not match the host n8n was told (Forwarded, else X-Forwarded-Host, else Host). The editor shows "Connection lost".`,
    causes: [
      "the proxy rewrites Host: nginx sends the upstream's address unless told `proxy_set_header Host $host;` ($http_host when the public URL has a port)",
      'a CDN or second proxy in front passes its own host on, or sets X-Forwarded-Host / Forwarded to another name',
      '--url is not the address people open n8n at',
    ],
    fix: () => 'Make the proxy pass the public host name on (`proxy_set_header Host $host;` in nginx, or X-Forwarded-Host with the public name), reload it, and check again.',
  },
  PUSH_NOT_SIGNED_IN: {
    topic: 'push',
    status: 'mismatch',
    explain: () => "n8n closed the editor's websocket without a code: its login check did not get the login cookie.",
    causes: ['the proxy drops the Cookie header (or the browser-id header) on websocket requests', 'a second n8n behind the same name answers the websocket (one without this login)'],
    fix: () => 'Pass all request headers on to n8n for /rest/push, and check again.',
  },
  PUSH_SECURE_COOKIE_OVER_HTTP: {
    topic: 'push',
    status: 'mismatch',
    explain: (c) => `n8n set its login cookie Secure, and ${c.actualUrl} is plain http: a browser drops the cookie, so the editor cannot sign in nor open its live connection (opened as a browser would, without the cookie, n8n closed it).`,
    causes: ['N8N_SECURE_COOKIE=false does not reach n8n (the export writes it for an http:// public URL)', RECREATE],
    fix: () => `Serve n8n over https (a proxy with TLS), or make sure N8N_SECURE_COOKIE=false is in .env, then: ${APPLY}`,
  },
  PUSH_NO_ANSWER: {
    topic: 'push',
    status: 'mismatch',
    explain: (c) => `Nothing answered the editor's websocket within ${c.waitedS ?? 10} s: the request reached something that holds it open without answering.`,
    causes: [
      "a sub-path the proxy passes on unstripped for /rest/push (e.g. a separate websocket location without the trailing slash in proxy_pass): n8n answers websockets only at its root",
      'a proxy or firewall that holds upgrade requests',
    ],
    fix: () => 'Make the proxy strip the sub-path for the websocket too (nginx: `proxy_pass http://n8n:5678/;` with the trailing slash in the one location that serves the sub-path), reload it, and check again.',
  },
  PUSH_REFUSED: {
    topic: 'push',
    status: 'mismatch',
    explain: (c) => `The editor's websocket was answered with HTTP ${c.status ?? 0}${c.said ? ` ("${c.said}")` : ''}: something in front of n8n refused it.`,
    causes: ['the proxy does not route /rest/push to n8n (another location or app answers it)', 'an access rule or WAF in front blocks websocket requests'],
    fix: () => 'Route every path under the public URL to n8n, websockets included, and check again.',
  },
  PUSH_UNKNOWN: { topic: 'push', status: 'unknown', explain: (c) => `The editor's websocket could not be opened: ${c.said ?? 'no connection'}.` },

  PROXY_HOPS_MATCH: { topic: 'proxy', status: 'ok', explain: (c) => `${c.proxy ? `A proxy answers (${c.proxy}) and` : 'No proxy names itself in the answers, and'} n8n counts ${c.hops ?? '0'} proxy hop${c.hops === '1' ? '' : 's'}, as the setup says.` },
  PROXY_HOPS_ZERO_BEHIND_PROXY: {
    topic: 'proxy',
    status: 'mismatch',
    explain: (c) => `A proxy answers for n8n (${c.proxy ?? ''}), but the setup gives n8n no proxy hops (N8N_PROXY_HOPS=0): n8n logs ERR_ERL_UNEXPECTED_X_FORWARDED_FOR and takes every visitor for the proxy's address, so its rate limits (logins, password resets: 20 per 5 minutes) count all users together.`,
    causes: ['the profile says "no proxy" (deploy.proxy: none) although n8n is reached through one', 'N8N_PROXY_HOPS=1 does not reach n8n'],
    fix: () => `Set the proxy in the profile (deploy.proxy: caddy, nginx, traefik or external) and export again, so that N8N_PROXY_HOPS=1 is written, then: ${APPLY}`,
  },
  PROXY_UNKNOWN: { topic: 'proxy', status: 'unknown', explain: (c) => `A proxy answers for n8n (${c.proxy ?? ''}): n8n needs N8N_PROXY_HOPS=1 behind it (give --profile to compare).` },
} as const satisfies Record<string, Diagnosis>;

export type FindingCode = keyof typeof INSTANCE_DIAGNOSES;
