/**
 * What a running n8n says about itself without a login (`GET /rest/settings`, settingsMode "public"): whether
 * email is set up, the instance URL it builds links on, and whether its login cookie is marked Secure.
 *
 * The instance URL is not published as such; n8n's FrontendService builds the OIDC login URL as
 * `<instance URL>/<rest endpoint>/sso/oidc/login` from the same UrlService that builds invite and reset links,
 * and publishes it even when OIDC is off (n8n 1.9x and 2.x). It is the one public field that carries it.
 */
export interface PublicSettings {
  /** n8n's `userManagement.smtpSetup`: mode smtp and a host. */
  smtpSetup?: boolean;
  /** The base of every invite and reset link, without a trailing slash. */
  instanceUrl?: string;
  /** n8n's `authCookie.secure` (N8N_SECURE_COOKIE). */
  secureCookie?: boolean;
}

const OIDC_LOGIN_SUFFIX = /\/[^/]+\/sso\/oidc\/login$/;

/** Undefined when the body is not n8n's public settings at all. */
export function readPublicSettings(body: unknown): PublicSettings | undefined {
  const data = field(body, 'data');
  if (field(data, 'settingsMode') === undefined && field(data, 'userManagement') === undefined) return undefined;
  const smtpSetup = field(field(data, 'userManagement'), 'smtpSetup');
  const loginUrl = field(field(field(data, 'sso'), 'oidc'), 'loginUrl');
  const secure = field(field(data, 'authCookie'), 'secure');
  return {
    ...(typeof smtpSetup === 'boolean' && { smtpSetup }),
    ...(typeof loginUrl === 'string' && OIDC_LOGIN_SUFFIX.test(loginUrl) && { instanceUrl: loginUrl.replace(OIDC_LOGIN_SUFFIX, '') }),
    ...(typeof secure === 'boolean' && { secureCookie: secure }),
  };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}
