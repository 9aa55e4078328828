/**
 * What the editor's live connection and the answers' headers say about the proxy in front of n8n, as
 * findings of `check`: one for the websocket (push-connection.ts opens it), one for the proxy hops. n8n
 * rejects nothing for wrong hops — express-rate-limit only logs ERR_ERL_UNEXPECTED_X_FORWARDED_FOR — so
 * the hops the setup gives n8n are compared with whether a proxy names itself in the answers.
 */
import { findingFor, type Finding } from './compare-instance.js';

export type PushOutcome =
  | { kind: 'connected' }
  | { kind: 'invalid-origin'; closeCode: number; said: string }
  | { kind: 'closed'; closeCode: number }
  | { kind: 'refused'; status: number; body: string }
  | { kind: 'no-answer'; waitedMs: number }
  | { kind: 'failed'; message: string; code?: string };

export interface PushContext {
  /** The URL checked (no trailing slash) and the Origin the editor page has. */
  url: string;
  origin: string;
  /** The login cookie is Secure and the URL plain http: it was not sent, as a browser would not send it. */
  cookieDropped: boolean;
}

export function pushFinding(outcome: PushOutcome, c: PushContext): Finding {
  const context = { expectedUrl: c.url, actualUrl: c.url, origin: c.origin };
  switch (outcome.kind) {
    case 'connected':
      return findingFor('PUSH_CONNECTED', context);
    case 'invalid-origin':
      return findingFor('PUSH_INVALID_ORIGIN', { ...context, status: outcome.closeCode, said: outcome.said });
    case 'closed':
      return findingFor(c.cookieDropped ? 'PUSH_SECURE_COOKIE_OVER_HTTP' : 'PUSH_NOT_SIGNED_IN', context);
    case 'refused':
      // n8n's own answer to a push request that arrived without the upgrade (push/index.js handleRequest).
      if (outcome.status === 401 && /^Unauthorized$/i.test(outcome.body) && !c.cookieDropped) return findingFor('PUSH_UPGRADE_NOT_FORWARDED', { ...context, status: 401, said: outcome.body });
      if (outcome.status === 401 && c.cookieDropped) return findingFor('PUSH_SECURE_COOKIE_OVER_HTTP', context);
      return findingFor('PUSH_REFUSED', { ...context, status: outcome.status, said: outcome.body });
    case 'no-answer':
      return findingFor('PUSH_NO_ANSWER', { ...context, waitedS: Math.round(outcome.waitedMs / 1000) });
    case 'failed':
      return findingFor('PUSH_UNKNOWN', { ...context, said: outcome.message });
  }
}

/** Proxies that name themselves in `Server` (n8n itself sends none) or in `Via`. */
export function proxyIn(headers: { server?: string; via?: string }): string | undefined {
  if (headers.via) return `Via: ${headers.via}`;
  return headers.server ? `Server: ${headers.server}` : undefined;
}

/** `expectedHops`: N8N_PROXY_HOPS as the setup writes it; undefined without a profile. */
export function proxyFinding(proxy: string | undefined, expectedHops: string | undefined, url: string): Finding | undefined {
  const context = { expectedUrl: url, actualUrl: url, ...(proxy && { proxy }), hops: expectedHops ?? '0' };
  if (expectedHops === undefined) return proxy ? findingFor('PROXY_UNKNOWN', context) : undefined;
  if (proxy && Number(expectedHops) === 0) return findingFor('PROXY_HOPS_ZERO_BEHIND_PROXY', { ...context, hops: '0' }, { expected: '1', actual: '0' });
  return findingFor('PROXY_HOPS_MATCH', context);
}
