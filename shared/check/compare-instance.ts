/**
 * A running n8n's public settings against what the admin set up: the public URL (from the profile, or the
 * URL given to `check`), email on or off, and the login cookie the URL's scheme needs. Each topic gives one
 * finding, worded by the diagnosis table.
 */
import { deriveUrlSettings } from '../n8n/public-url.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import { INSTANCE_DIAGNOSES, type CheckTopic, type FindingCode, type FindingContext, type FindingStatus } from './instance-diagnoses.js';
import type { PublicSettings } from './public-settings.js';

export interface InstanceExpectation {
  /** The public URL people type, as in the profile. */
  publicUrl: string;
  /** Email on or off; undefined when only a URL was given (nothing to compare). */
  email?: 'smtp' | 'none';
}

export interface Finding {
  topic: CheckTopic;
  status: FindingStatus;
  code: FindingCode;
  message: string;
  expected?: string | boolean;
  actual?: string | boolean;
  /** Most likely first. */
  causes?: string[];
  fix?: string;
}

export function expectationFromProfile(profile: ResolvedProfile): InstanceExpectation {
  return { publicUrl: profile.url.public, email: profile.email.mode };
}

export function compareInstance(settings: PublicSettings, expected: InstanceExpectation): Finding[] {
  const expectedUrl = deriveUrlSettings(expected.publicUrl).instanceUrl;
  const actualUrl = settings.instanceUrl === undefined ? '' : normalizeUrl(settings.instanceUrl);
  const finding = (code: FindingCode, values: Pick<Finding, 'expected' | 'actual'> = {}): Finding => findingFor(code, { expectedUrl, actualUrl }, values);
  return [urlFinding(settings, expectedUrl, actualUrl, finding), smtpFinding(settings, expected, finding), cookieFinding(settings, expected.publicUrl, finding)].filter(
    (f): f is Finding => f !== undefined,
  );
}

/** One finding, worded by the diagnosis table. */
export function findingFor(code: FindingCode, context: FindingContext, values: Pick<Finding, 'expected' | 'actual'> = {}): Finding {
  const diagnosis = INSTANCE_DIAGNOSES[code];
  return {
    topic: diagnosis.topic,
    status: diagnosis.status,
    code,
    message: diagnosis.explain(context),
    ...values,
    ...('causes' in diagnosis && { causes: [...diagnosis.causes] }),
    ...('fix' in diagnosis && { fix: diagnosis.fix(context) }),
  };
}

type MakeFinding = (code: FindingCode, values?: Pick<Finding, 'expected' | 'actual'>) => Finding;

function urlFinding(settings: PublicSettings, expectedUrl: string, actualUrl: string, finding: MakeFinding): Finding {
  if (settings.instanceUrl === undefined) return finding('URL_UNKNOWN', { expected: expectedUrl });
  const values = { expected: expectedUrl, actual: actualUrl };
  if (actualUrl === expectedUrl) return finding('URL_MATCHES', values);
  const expectedHost = hostOf(expectedUrl);
  const actualHost = hostOf(actualUrl);
  if (actualHost === expectedHost) return finding('URL_PROXY_VARIABLES_MISSING', values);
  // N8N_HOST's default: n8n got none of the URL variables.
  if (actualHost === 'localhost') return finding('URL_DEFAULT', values);
  return finding('URL_OTHER_ADDRESS', values);
}

function smtpFinding(settings: PublicSettings, expected: InstanceExpectation, finding: MakeFinding): Finding | undefined {
  if (settings.smtpSetup === undefined) return expected.email ? finding('SMTP_UNKNOWN') : undefined;
  const values = { actual: settings.smtpSetup, ...(expected.email && { expected: expected.email === 'smtp' }) };
  if (expected.email === 'smtp' && !settings.smtpSetup) return finding('SMTP_NOT_SET_UP', values);
  if (expected.email === 'none' && settings.smtpSetup) return finding('SMTP_STILL_SET_UP', values);
  return finding(settings.smtpSetup ? 'SMTP_SET_UP' : 'SMTP_OFF_AS_EXPECTED', values);
}

/**
 * The cookie the public URL needs (the rule derive-n8n-settings.ts applies when it writes N8N_SECURE_COOKIE):
 * Secure over https; not Secure over plain http, where browsers drop Secure cookies — except on localhost,
 * which browsers treat as secure, so either works there.
 */
function cookieFinding(settings: PublicSettings, publicUrl: string, finding: MakeFinding): Finding {
  if (settings.secureCookie === undefined) return finding('COOKIE_UNKNOWN');
  const url = deriveUrlSettings(publicUrl);
  const needed = url.protocol === 'https' ? true : url.isLocalhost ? undefined : false;
  const values = { actual: settings.secureCookie, ...(needed !== undefined && { expected: needed }) };
  if (needed === undefined || needed === settings.secureCookie) return finding('COOKIE_MATCHES', values);
  return finding(settings.secureCookie ? 'COOKIE_SECURE_OVER_HTTP' : 'COOKIE_INSECURE_OVER_HTTPS', values);
}

/** Scheme and host lower-cased, default port dropped, no trailing slash: how two spellings of one URL compare equal. */
function normalizeUrl(url: string): string {
  try {
    return deriveUrlSettings(url).instanceUrl;
  } catch {
    return url;
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
