/**
 * Every way a name lookup can fail, on every path that looks names up: auto-detect, the SMTP test and
 * `check` each end with their own verdict (a class, or a SetupError on the URL), in time. The lookups are
 * injected, so nothing here asks a real DNS server.
 */
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkInstance } from '../../services/check/check-instance.js';
import { detectSmtp } from '../../services/smtp/detect-smtp.js';
import { sendTestEmail } from '../../services/smtp/send-test-email.js';
import { SetupError } from '../../shared/errors.js';
import { SMTP_FAILURE_CLASSES } from '../../shared/smtp/smtp-diagnoses.js';
import { CHECK_FAILURE_CODES } from './hostile-peers.js';
import { recordUncaughtErrors } from './uncaught-errors.js';

const DNS_MS = 300;
const failing = (code: string) => Object.assign(new Error(`getaddrinfo ${code} mail.hostile.test`), { code });

/** Lookups as a broken resolver answers them, all for the name mail.hostile.test. */
const LOOKUPS: Record<string, () => Promise<LookupAddress[]>> = {
  'not found': () => Promise.reject(failing('ENOTFOUND')),
  'temporary failure': () => Promise.reject(failing('EAI_AGAIN')),
  'server failure': () => Promise.reject(failing('ESERVFAIL')),
  'refused by the resolver': () => Promise.reject(failing('EREFUSED')),
  'no code at all': () => Promise.reject(new Error('resolver exploded')),
  'thrown instead of rejected': () => {
    throw failing('EBADNAME');
  },
  'never answers': () => new Promise<never>(() => undefined),
};

const uncaught = recordUncaughtErrors();

describe.each(Object.entries(LOOKUPS))('a lookup that fails (%s)', (_name, lookupAll) => {
  const first = async () => {
    const [found] = await lookupAll();
    if (!found) throw failing('ENOTFOUND');
    return found;
  };

  it('auto-detect reports a DNS class without probing', async () => {
    const found = await detectSmtp('mail.hostile.test', { lookup: first, limits: { dnsMs: DNS_MS } });
    expect(found.ports).toEqual([]);
    expect(SMTP_FAILURE_CLASSES).toContain(found.failure?.class);
    expect(uncaught.errors).toEqual([]);
  });

  it('the SMTP test fails with a class', async () => {
    const result = await sendTestEmail({ variables: { N8N_SMTP_HOST: 'mail.hostile.test', N8N_SMTP_PORT: '587' }, to: 'admin@example.test' }, { lookup: first, limits: { dnsMs: DNS_MS } });
    expect(result).toMatchObject({ ok: false, class: expect.toBeOneOf(SMTP_FAILURE_CLASSES) });
    expect(uncaught.errors).toEqual([]);
  });

  it('check fails with a SetupError on the URL, within its deadline', async () => {
    const started = performance.now();
    const error = await checkInstance({ url: 'http://mail.hostile.test:5678' }, { timeoutMs: 500, lookup: lookupAll }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(error).toBeInstanceOf(SetupError);
    expect(error).toMatchObject({ code: expect.toBeOneOf(CHECK_FAILURE_CODES), field: 'url' });
    expect(uncaught.errors).toEqual([]);
  });
});

describe('DNS verdicts in the admin\'s words', () => {
  it('a name that does not exist, and a resolver that does not answer', async () => {
    expect((await detectSmtp('mail.hostile.test', { lookup: () => Promise.reject(failing('ENOTFOUND')) })).failure?.class).toBe('DNS_NOT_FOUND');
    expect((await detectSmtp('mail.hostile.test', { lookup: () => new Promise<never>(() => undefined), limits: { dnsMs: DNS_MS } })).failure?.class).toBe('DNS_TIMEOUT');
    await expect(checkInstance({ url: 'http://mail.hostile.test' }, { timeoutMs: 2_000, lookup: () => Promise.reject(failing('ENOTFOUND')) })).rejects.toThrow('The host name in http://mail.hostile.test/healthz does not resolve (ENOTFOUND).');
    await expect(checkInstance({ url: 'http://mail.hostile.test' }, { timeoutMs: 300, lookup: () => new Promise<never>(() => undefined) })).rejects.toThrow('No answer from http://mail.hostile.test/healthz within 0.3 s.');
  });
});
