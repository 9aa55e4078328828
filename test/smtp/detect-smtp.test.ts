import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSmtp } from '../../services/smtp/detect-smtp.js';
import { startSmtpFixture, type SmtpFixture } from './smtp-fixtures.js';
import { loopbackLookup, PASSWORD, USER } from './smtp-test-setup.js';
import { makeTestCertificates, TEST_HOST, type TestCertificates } from './test-certificates.js';
import { startSilentListener, type SilentListener } from './unresponsive-listeners.js';

/** The standard ports live on their own loopback address, so they clash with nothing else on the machine. */
const STANDARD = '127.0.0.2';

let certs: TestCertificates;
const fixtures: SmtpFixture[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  const users = { [USER]: PASSWORD };
  fixtures.push(
    await startSmtpFixture({ address: STANDARD, port: 465, secure: true, certificate: certs.valid, users }),
    await startSmtpFixture({ address: STANDARD, port: 587, certificate: certs.valid, users }),
    await startSmtpFixture({ address: STANDARD, port: 2525, certificate: certs.wrongHost, users }),
    await startSmtpFixture({ address: STANDARD, port: 25 }),
  );
});

afterAll(async () => {
  rmSync(certs.dir, { recursive: true, force: true });
  await Promise.all(fixtures.map((f) => f.close()));
});

describe('detectSmtp', () => {
  it('probes 465, 587, 2525 and 25 in parallel and reports what each offers', async () => {
    const found = await detectSmtp(TEST_HOST, { lookup: loopbackLookup(STANDARD), extraCa: certs.caPem });
    const byPort = Object.fromEntries(found.ports.map((p) => [p.port, p]));

    expect(found.address).toBe(STANDARD);
    expect(byPort[465]).toMatchObject({ mode: 'tls', reachable: true, tls: true, certificate: { valid: true }, authMechanisms: ['PLAIN', 'LOGIN'] });
    expect(byPort[587]).toMatchObject({ mode: 'starttls', reachable: true, startTlsOffered: true, tls: true, certificate: { valid: true }, authMechanisms: ['PLAIN', 'LOGIN'] });
    expect(byPort[2525]).toMatchObject({ startTlsOffered: true, tls: true, certificate: { valid: false, problem: 'CERT_HOSTNAME_MISMATCH' } });
    expect(byPort[25]).toMatchObject({ reachable: true, startTlsOffered: false, tls: false, authMechanisms: [] });
    expect(found.recommended).toMatchObject({ port: 465, security: 'tls', patch: { email: { port: 465, security: 'tls' } }, variables: { N8N_SMTP_PORT: '465', N8N_SMTP_SSL: 'true', N8N_SMTP_STARTTLS: 'false' } });
    // Parallel: the run takes as long as its slowest probe (plus the lookup).
    expect(found.ms).toBeLessThanOrEqual(Math.max(...found.ports.map((p) => p.ms)) + 100);
  });

  it('recommends STARTTLS on 587 when 465 is closed, and says why', async () => {
    const found = await detectSmtp(TEST_HOST, { lookup: loopbackLookup(STANDARD), extraCa: certs.caPem, ports: [{ port: 1, mode: 'tls' }, { port: 587, mode: 'starttls' }, { port: 25, mode: 'starttls' }] });
    expect(found.ports[0]).toMatchObject({ port: 1, reachable: false, failure: 'CONNECTION_REFUSED' });
    expect(found.recommended).toMatchObject({ port: 587, security: 'starttls' });
    expect(found.recommended?.reason).toMatch(/^Port 587 answers with STARTTLS and a certificate n8n accepts, and offers login \(PLAIN LOGIN\)\.$/);
  });

  it('reports TLS on a plain port and a plain port without STARTTLS', async () => {
    const found = await detectSmtp(TEST_HOST, { lookup: loopbackLookup(STANDARD), ports: [{ port: 25, mode: 'tls' }, { port: 25, mode: 'starttls' }] });
    expect(found.ports[0]).toMatchObject({ reachable: true, tls: false, failure: 'SSL_ON_PLAIN_PORT' });
    expect(found.recommended).toMatchObject({ port: 25, security: 'none' });
    expect(found.recommended?.reason).toMatch(/plain text/);
  });

  describe('bounded', () => {
    let silent: SilentListener;
    beforeAll(async () => {
      silent = await startSilentListener();
    });
    afterAll(() => silent.close());

    it('gives up on a silent port after connect + greeting time, without holding the others up', async () => {
      const found = await detectSmtp(TEST_HOST, {
        lookup: async (host) => ({ address: host === TEST_HOST ? '127.0.0.1' : host, family: 4 }),
        ports: [{ port: silent.port, mode: 'starttls' }],
        limits: { connectMs: 300, greetingMs: 500 },
      });
      expect(found.ports[0]).toMatchObject({ reachable: true, failure: 'NO_GREETING' });
      expect(found.ports[0]?.ms).toBeGreaterThanOrEqual(790);
      expect(found.ms).toBeLessThan(1_200);
      expect(found.failure?.class).toBe('NO_GREETING');
    });

    it('a host that does not exist → DNS_NOT_FOUND without probing', async () => {
      const found = await detectSmtp('no-such-host.invalid');
      expect(found).toMatchObject({ ports: [], failure: { class: 'DNS_NOT_FOUND' } });
    });
  });
});
