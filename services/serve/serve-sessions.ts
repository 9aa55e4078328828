/**
 * The link's token and the browser session it opens. The token (in the printed URL) works once: the first
 * browser to present it gets a session cookie that page scripts cannot read (HttpOnly) and other sites
 * cannot send (SameSite=Strict), and the token is spent, so a copy of the link found later (shell history,
 * a process list, a screenshot) opens nothing. The page's address then drops the token. The cookie name is
 * random per run: cookies ignore ports, so two `serve` processes on one machine must not overwrite each other's.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookies } from './request-guard.js';

/** A session's Set-Cookie header value, or why the token opened none. */
export type TokenExchange = { ok: true; setCookie: string } | { ok: false; reason: 'wrong-token' | 'token-used' };

export interface ServeSessions {
  readonly token: string;
  /** Trades the token for the one session: only the first call with the right token succeeds. */
  exchange(candidate: string): TokenExchange;
  /** The session a request belongs to, from its Cookie header. */
  sessionOf(cookieHeader: string | undefined): string | undefined;
}

export function createServeSessions(token = randomBytes(32).toString('base64url')): ServeSessions {
  const cookieName = `n8n_setup_${randomBytes(4).toString('hex')}`;
  const tokenDigest = digest(token);
  let session: string | undefined;
  return {
    token,
    exchange(candidate) {
      if (!timingSafeEqual(digest(candidate), tokenDigest)) return { ok: false, reason: 'wrong-token' };
      if (session !== undefined) return { ok: false, reason: 'token-used' };
      session = randomBytes(32).toString('base64url');
      return { ok: true, setCookie: `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/` };
    },
    sessionOf(cookieHeader) {
      const id = parseCookies(cookieHeader).get(cookieName);
      return id !== undefined && session !== undefined && timingSafeEqual(digest(id), digest(session)) ? id : undefined;
    },
  };
}

/** Equal-length digests, so the comparison takes the same time whatever was guessed. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
