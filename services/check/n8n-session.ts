/**
 * Signed in to a running n8n through the URL given, as its editor is: `POST /rest/login` with the owner's
 * email and password (and MFA code), then the `n8n-auth` cookie and one constant `browser-id` header on
 * every call — n8n binds the cookie to a hash of that id and refuses it from another. Every call is
 * bounded as `check`'s reads are (bounded-get.ts: reach, size, time). The password is sent once and kept
 * nowhere; the cookie lives as long as this object.
 *
 *   const session = await N8nSession.signIn(base, { email, password }, { timeoutMs: 10_000 });
 *   const answer = await session.call('GET', '/rest/users');
 */
import { SetupError } from '../../shared/errors.js';
import { boundedRequest, type BoundedGetOptions } from './bounded-get.js';

/** n8n checks it only against the cookie it issued; any constant id does. */
export const BROWSER_ID = 'n8n-setup-check';

export interface OwnerLogin {
  email: string;
  /** Never stored, never printed. */
  password: string;
  /** The current code of the owner's authenticator app, when MFA is on. */
  mfaCode?: string;
}

export interface RestAnswer<T = unknown> {
  status: number;
  body: T | undefined;
  /** The `Set-Cookie` headers, for the push connection. */
  cookies: string[];
}

/** n8n's AuthError code for "MFA is on: send a code" (auth.controller validateMfa). */
const MFA_REQUIRED = 998;

export class N8nSession {
  private cookie = '';
  private cookieSecure = false;

  private constructor(
    readonly base: string,
    private readonly options: BoundedGetOptions,
  ) {}

  /** The `n8n-auth=…` pair, for a request this class does not make (the push websocket). */
  get authCookie(): string {
    return this.cookie;
  }

  /** n8n marked the login cookie Secure (N8N_SECURE_COOKIE): browsers keep it only from https. */
  get authCookieSecure(): boolean {
    return this.cookieSecure;
  }

  static async signIn(base: string, login: OwnerLogin, options: BoundedGetOptions): Promise<N8nSession> {
    const session = new N8nSession(base, options);
    const answer = await session.call<{ code?: number; message?: string }>('POST', '/rest/login', {
      emailOrLdapLoginId: login.email,
      password: login.password,
      ...(login.mfaCode && { mfaCode: login.mfaCode }),
    });
    if (answer.status === 200 && session.cookie) return session;
    throw loginRefused(base, login, answer);
  }

  /** Without a login: for the calls n8n answers to anyone (the password reset request). */
  static anonymous(base: string, options: BoundedGetOptions): N8nSession {
    return new N8nSession(base, options);
  }

  async call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<RestAnswer<T>> {
    const answer = await boundedRequest(
      `${this.base}${path}`,
      { method, headers: { 'browser-id': BROWSER_ID, ...(this.cookie && { cookie: this.cookie }) }, ...(body !== undefined && { body: JSON.stringify(body) }) },
      this.options,
    );
    const setCookie = answer.headers['set-cookie'] ?? [];
    const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
    if (auth) {
      this.cookie = auth.split(';')[0] ?? '';
      this.cookieSecure = /;\s*secure\s*(;|$)/i.test(auth);
    }
    return { status: answer.status, body: parseJson<T>(answer.body), cookies: setCookie };
  }
}

function parseJson<T>(body: Buffer): T | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function loginRefused(base: string, login: OwnerLogin, answer: RestAnswer<{ code?: number; message?: string }>): SetupError {
  const said = answer.body?.message ? `: "${answer.body.message}"` : '';
  if (answer.status === 401 && answer.body?.code === MFA_REQUIRED && !login.mfaCode) {
    return new SetupError({ code: 'N8N_MFA_REQUIRED', field: 'mfa-code', message: `${login.email} has two-factor authentication on: n8n asks for a code.`, fix: 'Give the current code of the authenticator app with --mfa-code (it is valid for 30 seconds).' });
  }
  if (answer.status === 401) {
    return new SetupError({
      code: 'N8N_LOGIN_FAILED',
      field: 'login',
      message: `n8n at ${base} refused the login of ${login.email}${said}.`,
      fix: login.mfaCode ? 'Check the email, the password and the MFA code (a code is valid for 30 seconds).' : "Give the owner's email and password as you sign in to n8n's editor.",
    });
  }
  if (answer.status === 429) {
    return new SetupError({ code: 'N8N_RATE_LIMITED', field: 'login', message: `n8n at ${base} refuses more logins for now (HTTP 429): it allows 5 per email and minute, 1000 per client in 5 minutes.`, fix: 'Wait a minute and try again.' });
  }
  if (answer.status === 200) {
    return new SetupError({ code: 'N8N_LOGIN_FAILED', field: 'login', message: `n8n at ${base} accepted the login but set no n8n-auth cookie: something between here and n8n drops Set-Cookie.`, fix: 'Check that the proxy passes Set-Cookie headers through unchanged.' });
  }
  return new SetupError({ code: 'N8N_LOGIN_FAILED', field: 'login', message: `n8n at ${base} answered the login with HTTP ${answer.status}${said}.`, fix: 'Check that the URL reaches n8n itself (check --url without --login tells) and that the owner account is set up.' });
}
