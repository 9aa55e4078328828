/**
 * The link's token and the browser sessions it opened. The token (in the printed URL) is traded for a
 * session cookie that page scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict);
 * the page's address then drops the token. The cookie name is random per run: cookies ignore ports, so
 * two `serve` processes on one machine must not overwrite each other's.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { parseCookies } from './request-guard.js';

export interface ServeSessions {
  readonly token: string;
  tokenMatches(candidate: string): boolean;
  /** Opens a session and returns its Set-Cookie header value. */
  open(): string;
  /** The session a request belongs to, from its Cookie header. */
  sessionOf(cookieHeader: string | undefined): string | undefined;
}

/** Enough for every browser and tab of one admin; the oldest goes first beyond that. */
const MAX_SESSIONS = 64;

export function createServeSessions(token = randomBytes(32).toString('base64url')): ServeSessions {
  const cookieName = `n8n_setup_${randomBytes(4).toString('hex')}`;
  const sessions = new Set<string>();
  const tokenDigest = digest(token);
  return {
    token,
    tokenMatches: (candidate) => timingSafeEqual(digest(candidate), tokenDigest),
    open() {
      const id = randomBytes(32).toString('base64url');
      sessions.add(id);
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.values().next().value as string);
      return `${cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/`;
    },
    sessionOf(cookieHeader) {
      const id = parseCookies(cookieHeader).get(cookieName);
      return id !== undefined && sessions.has(id) ? id : undefined;
    },
  };
}

/** Equal-length digests, so the comparison takes the same time whatever was guessed. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
