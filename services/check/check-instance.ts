/**
 * `check`: is the running n8n set up as the admin intended? Reads it (read-instance.ts) and compares what
 * it believes with the profile — or, without one, with the URL used to reach it.
 *
 *   const report = await checkInstance({ url: 'https://n8n.example.com', profile: loaded.resolved });
 *   report.ok   // false when any finding is a mismatch
 */
import { compareInstance, expectationFromProfile, type Finding, type InstanceExpectation } from '../../shared/check/compare-instance.js';
import { proxyFinding, pushFinding } from '../../shared/check/proxy-findings.js';
import { N8nSession, type OwnerLogin } from './n8n-session.js';
import type { PublicSettings } from '../../shared/check/public-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { readInstance, type ReadOptions } from './read-instance.js';

export interface CheckRequest {
  url: string;
  profile?: ResolvedProfile;
  /** The owner's login: also sign in through the URL and open the editor's live connection (push). */
  login?: OwnerLogin;
  /** Receives the signed-in session, for a call after the check (the invite test): n8n allows 5 logins a minute. */
  keepSession?: (session: N8nSession) => void;
}

export interface CheckReport {
  /** No finding is a mismatch (unknown ones do not count). */
  ok: boolean;
  url: string;
  healthMs: number;
  /** What n8n says about itself. */
  instance: PublicSettings;
  expected: InstanceExpectation;
  findings: Finding[];
}

export const CHECK_TIMEOUT_MS = 10_000;

export async function checkInstance(request: CheckRequest, options: Partial<ReadOptions> = {}): Promise<CheckReport> {
  const reading = await readInstance(request.url, { timeoutMs: CHECK_TIMEOUT_MS, ...options });
  // Without a profile, the URL the admin typed is the public URL n8n should build links on.
  const expected = request.profile ? expectationFromProfile(request.profile) : { publicUrl: reading.url };
  const findings = compareInstance(reading.settings, expected);
  const hops = proxyFinding(reading.proxy, request.profile ? String(request.profile.url.proxyHops) : undefined, reading.url);
  if (hops) findings.push(hops);
  if (request.login) {
    const session = await N8nSession.signIn(reading.url, request.login, { timeoutMs: CHECK_TIMEOUT_MS, ...options });
    request.keepSession?.(session);
    findings.push(await editorConnection(reading.url, session, { timeoutMs: CHECK_TIMEOUT_MS, ...options }));
  }
  return { ok: findings.every((f) => f.status !== 'mismatch'), url: reading.url, healthMs: reading.healthMs, instance: reading.settings, expected, findings };
}

/** Signed in through the URL, the editor's websocket opened as a browser on that URL opens it. */
async function editorConnection(base: string, session: N8nSession, options: ReadOptions): Promise<Finding> {
  const url = new URL(base);
  // A browser keeps a Secure cookie only from https (and localhost), and sends it only there.
  const cookieDropped = session.authCookieSecure && url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const { openPush } = await import('./push-connection.js');
  const outcome = await openPush(base, { cookie: cookieDropped ? undefined : session.authCookie, origin: url.origin, timeoutMs: options.timeoutMs, ...(options.lookup && { lookup: options.lookup }) });
  return pushFinding(outcome, { url: base, origin: url.origin, cookieDropped });
}
