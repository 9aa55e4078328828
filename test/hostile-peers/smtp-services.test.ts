/**
 * Auto-detect and the SMTP test against every hostile peer, through the services: each run ends with a
 * result (never a throw, never an unhandled socket error), within its limits, naming a known class.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectSmtp } from '../../services/smtp/detect-smtp.js';
import { fetchCertificateChain } from '../../services/smtp/fetch-certificate-chain.js';
import { sendTestEmail } from '../../services/smtp/send-test-email.js';
import { SMTP_FAILURE_CLASSES } from '../../shared/smtp/smtp-diagnoses.js';
import type { SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { HOSTILE_BEHAVIOURS, startHostilePeer, type HostilePeer } from './hostile-peers.js';
import { recordUncaughtErrors } from './uncaught-errors.js';

/** Short bounds, so a peer that stalls costs a second or two, not the real minute. */
const LIMITS: SmtpLimits = { dnsMs: 1_000, connectMs: 1_000, greetingMs: 1_500, socketMs: 1_500, plainProbeAfterMs: 500 };
/** The longest a run may take with these limits: nodemailer's connection budget (DNS + connect + two handshakes) and a margin. */
const RUN_BOUND_MS = LIMITS.dnsMs + LIMITS.connectMs + 2 * LIMITS.greetingMs + 1_000;

const uncaught = recordUncaughtErrors();
let certs: TestCertificates;
const peers: HostilePeer[] = [];

beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

async function start(behaviour: (typeof HOSTILE_BEHAVIOURS)[number]): Promise<HostilePeer> {
  const peer = await startHostilePeer(behaviour, { certificate: certs.valid });
  peers.push(peer);
  return peer;
}

describe('detectSmtp against a hostile peer', () => {
  it.each(HOSTILE_BEHAVIOURS)('%s: both probes (TLS and STARTTLS) end within their bounds with a known class or a finding', async (behaviour) => {
    const { port } = await start(behaviour);
    const started = performance.now();
    const found = await detectSmtp('127.0.0.1', { ports: [{ port, mode: 'tls' }, { port, mode: 'starttls' }], limits: LIMITS, extraCa: certs.caPem });
    expect(performance.now() - started).toBeLessThan(LIMITS.connectMs + LIMITS.greetingMs + 1_000);
    expect(found.ports).toHaveLength(2);
    for (const probe of found.ports) if (probe.failure !== undefined) expect(SMTP_FAILURE_CLASSES).toContain(probe.failure);
    if (found.failure) expect(SMTP_FAILURE_CLASSES).toContain(found.failure.class);
    expect(uncaught.errors).toEqual([]);
  });
});

describe('fetchCertificateChain (Trust this certificate) against a hostile peer', () => {
  it.each(HOSTILE_BEHAVIOURS.flatMap((behaviour) => [[behaviour, 'tls'] as const, [behaviour, 'starttls'] as const]))('%s, %s: a chain or a known class, within its bounds', async (behaviour, security) => {
    const { port } = await start(behaviour);
    const started = performance.now();
    const found = await fetchCertificateChain({ host: '127.0.0.1', port, security }, { limits: LIMITS });
    expect(performance.now() - started).toBeLessThan(LIMITS.connectMs + LIMITS.greetingMs + 1_000);
    if (found.failure) expect(SMTP_FAILURE_CLASSES).toContain(found.failure.class);
    else expect(found.chain.length).toBeGreaterThan(0);
    expect(uncaught.errors).toEqual([]);
  });
});

describe('sendTestEmail against a hostile peer', () => {
  it.each(HOSTILE_BEHAVIOURS.flatMap((behaviour) => [[behaviour, 'STARTTLS'] as const, [behaviour, 'implicit TLS'] as const]))('%s, %s: a failed test with a known class, within its bounds', async (behaviour, security) => {
    const { port } = await start(behaviour);
    const started = performance.now();
    const result = await sendTestEmail(
      {
        variables: { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(port), N8N_SMTP_SSL: String(security === 'implicit TLS'), N8N_SMTP_SENDER: 'n8n <n8n@example.test>' },
        to: 'admin@example.test',
        extraCa: certs.caPem,
      },
      { limits: LIMITS },
    );
    expect(performance.now() - started).toBeLessThan(RUN_BOUND_MS);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(SMTP_FAILURE_CLASSES).toContain(result.class);
      expect(result.message.length).toBeGreaterThan(0);
    }
    expect(uncaught.errors).toEqual([]);
  });
});

describe('against peers that would hold them, both stay within their bounds', () => {
  it('an endless line ends the probe and the test at once (not at the deadline), holding at most 64 KiB of it', async () => {
    const { port } = await start('endless-line');
    const found = await detectSmtp('127.0.0.1', { ports: [{ port, mode: 'starttls' }], limits: LIMITS });
    expect(found.ports[0]).toMatchObject({ reachable: true, failure: 'CONNECTION_CLOSED' });
    expect(found.ports[0]?.ms).toBeLessThan(LIMITS.greetingMs / 2);
    const result = await sendTestEmail({ variables: { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(port), N8N_SMTP_SSL: 'false' }, to: 'admin@example.test' }, { limits: LIMITS });
    expect(result).toMatchObject({ ok: false, class: 'CONNECTION_CLOSED' });
    expect(result.ms).toBeLessThan(LIMITS.greetingMs / 2);
  });

  it('a handshake that stalls half-way is TLS_HANDSHAKE_TIMEOUT, for implicit TLS and for STARTTLS', async () => {
    const implicit = await start('stall-mid-tls');
    const tls = await detectSmtp('127.0.0.1', { ports: [{ port: implicit.port, mode: 'tls' }], limits: LIMITS });
    expect(tls.ports[0]).toMatchObject({ tls: false, failure: 'TLS_HANDSHAKE_TIMEOUT' });
    const sent = await sendTestEmail({ variables: { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(implicit.port), N8N_SMTP_SSL: 'true' }, to: 'admin@example.test' }, { limits: LIMITS });
    expect(sent).toMatchObject({ ok: false, class: 'TLS_HANDSHAKE_TIMEOUT' });

    const upgrade = await start('stall-mid-starttls');
    const starttls = await detectSmtp('127.0.0.1', { ports: [{ port: upgrade.port, mode: 'starttls' }], limits: LIMITS });
    expect(starttls.ports[0]).toMatchObject({ startTlsOffered: true, tls: false, failure: 'TLS_HANDSHAKE_TIMEOUT' });
    const upgraded = await sendTestEmail({ variables: { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(upgrade.port), N8N_SMTP_SSL: 'false' }, to: 'admin@example.test' }, { limits: LIMITS });
    expect(upgraded).toMatchObject({ ok: false, class: 'TLS_HANDSHAKE_TIMEOUT', stage: 'starttls' });
  });
});
