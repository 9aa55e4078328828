/**
 * `check`: is the running n8n set up as the admin intended? Reads it (read-instance.ts) and compares what
 * it believes with the profile — or, without one, with the URL used to reach it.
 *
 *   const report = await checkInstance({ url: 'https://n8n.example.com', profile: loaded.resolved });
 *   report.ok   // false when any finding is a mismatch
 */
import { compareInstance, expectationFromProfile, type Finding, type InstanceExpectation } from '../../shared/check/compare-instance.js';
import type { PublicSettings } from '../../shared/check/public-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { readInstance, type ReadOptions } from './read-instance.js';

export interface CheckRequest {
  url: string;
  profile?: ResolvedProfile;
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
  return { ok: findings.every((f) => f.status !== 'mismatch'), url: reading.url, healthMs: reading.healthMs, instance: reading.settings, expected, findings };
}
