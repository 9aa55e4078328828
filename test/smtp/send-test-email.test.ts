import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemLookup } from '../../services/smtp/open-smtp-socket.js';
import { SMTP_STAGES } from '../../shared/smtp/smtp-session.js';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { expectNoSecret } from './secret-leaks.js';
import { startSmtpFixture, type FixtureOptions, type SmtpFixture } from './smtp-fixtures.js';
import { allResults, n8nVariables, PASSWORD, RECIPIENT, runTest, USER, warningCodes } from './smtp-test-setup.js';
import { makeTestCertificates, TEST_HOST, type TestCertificates } from './test-certificates.js';
import { startDroppingListener, startSilentListener } from './unresponsive-listeners.js';

let certs: TestCertificates;
const open: SmtpFixture[] = [];

beforeAll(() => {
  certs = makeTestCertificates();
});

afterAll(async () => {
  rmSync(certs.dir, { recursive: true, force: true });
  await Promise.all(open.map((fixture) => fixture.close()));
  for (const result of allResults) expectNoSecret(result, PASSWORD, USER);
});

async function fixture(options: FixtureOptions): Promise<SmtpFixture> {
  const started = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD }, ...options });
  open.push(started);
  return started;
}

/** The body arrives quoted-printable ("=" is encoded); enough of RFC 2045 to read it back. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function failed(result: SmtpTestResult) {
  if (result.ok) throw new Error(`expected a failure, got success: ${JSON.stringify(result.transcript)}`);
  return result;
}

describe('sendTestEmail against real SMTP servers', () => {
  it('sends over STARTTLS with a login, and the message arrives naming the settings but not the password', async () => {
    const server = await fixture({});
    const stages: string[] = [];
    const result = await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }, { onStage: (e) => stages.push(e.stage) });

    expect(result).toMatchObject({ ok: true, class: null, accepted: [RECIPIENT] });
    expect(warningCodes(result)).toEqual([]);
    expect(stages).toEqual(['resolve', 'connect', 'greeting', 'ehlo', 'starttls', 'tls', 'auth', 'mail-from', 'rcpt-to', 'data', 'done']);
    expect(stages.every((s) => (SMTP_STAGES as readonly string[]).includes(s))).toBe(true);
    const [message] = server.messages;
    expect(message).toMatchObject({ from: 'n8n@example.test', to: [RECIPIENT], user: USER, secure: true });
    const raw = decodeQuotedPrintable(message?.raw ?? '');
    expect(raw).toMatch(/^Subject: n8n setup: SMTP test via smtp\.n8n-setup\.test:\d+/m);
    expect(raw).toMatch(/^From: n8n <n8n@example\.test>/m);
    expect(raw).toContain('n8n setup tool');
    expect(raw).toContain(`N8N_SMTP_HOST=${TEST_HOST}`);
    expect(raw).toContain('N8N_SMTP_STARTTLS=true');
    expect(raw).toContain('N8N_SMTP_PASS=(set, not shown)');
    expectNoSecret(message?.raw, PASSWORD, USER);
    expectNoSecret(raw, PASSWORD, USER);
  });

  it('records every C:/S: line with its time, and hides the AUTH exchange', async () => {
    const server = await fixture({});
    const result = await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem });
    const lines = result.transcript.map((l) => `${l.dir}: ${l.text}`);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^S: 220 /), expect.stringMatching(/^C: EHLO /), 'C: STARTTLS', 'C: AUTH PLAIN [redacted]', expect.stringMatching(/^S: 235 /), `C: RCPT TO:<${RECIPIENT}>`]));
    expect(result.transcript.every((l, i, all) => l.ms >= (all[i - 1]?.ms ?? 0))).toBe(true);
    expect(JSON.stringify(result.transcript)).not.toContain(Buffer.from(USER).toString('base64').slice(0, 12));
  });

  it('sends over implicit TLS with a login', async () => {
    const server = await fixture({ secure: true });
    const result = await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_SSL: 'true' }), extraCa: certs.caPem });
    expect(result).toMatchObject({ ok: true });
    expect(result.stages.map((s) => s.stage).slice(0, 4)).toEqual(['resolve', 'connect', 'tls', 'greeting']);
    expect(server.messages[0]?.secure).toBe(true);
  });

  it('TLS against a STARTTLS port → SSL_ON_PLAIN_PORT with the starttls patch, at once', async () => {
    const server = await fixture({});
    const result = failed(await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_SSL: 'true' }), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'SSL_ON_PLAIN_PORT', kind: 'connection', patch: { email: { security: 'starttls' } } });
    expect(result.variables).toEqual(['N8N_SMTP_SSL', 'N8N_SMTP_STARTTLS']);
    expect(result.ms).toBeLessThan(1000);
  });

  it('STARTTLS against an implicit-TLS port → PLAIN_ON_SSL_PORT within 3 s (TLS probe after 1.5 s of silence)', async () => {
    const server = await fixture({ secure: true });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'PLAIN_ON_SSL_PORT', patch: { email: { security: 'tls' } }, variables: ['N8N_SMTP_SSL'] });
    expect(result.ms).toBeGreaterThanOrEqual(1500);
    expect(result.ms).toBeLessThan(3000);
  });

  it('535 → AUTH_FAILED with the server reply', async () => {
    const server = await fixture({ refuseAuth: { code: 535, message: '5.7.8 Username and Password not accepted' } });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'AUTH_FAILED', kind: 'auth', stage: 'auth', variables: ['N8N_SMTP_USER', 'N8N_SMTP_PASS'] });
    expect(result.serverReply).toMatch(/^535 5\.7\.8/);
  });

  it.each([
    ['1', '§'],
    ['3', 'q7Z'],
  ])('scrubs a %s-character password the server echoes from the reply, the message and the transcript', async (_length, password) => {
    const server = await fixture({ users: { [USER]: password }, refuseAuth: { code: 535, message: `5.7.8 password ${password} not accepted` } });
    const result = failed(await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_PASS: password }), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'AUTH_FAILED', serverReply: expect.stringContaining('[redacted]') });
    expect(result.transcript.some((line) => line.text.includes('[redacted] not accepted'))).toBe(true);
    const text = JSON.stringify(result);
    for (const spelling of [password, encodeURIComponent(password), Buffer.from(password).toString('base64')]) expect(text).not.toContain(spelling);
  });

  it('553 at MAIL FROM → SENDER_REJECTED', async () => {
    const server = await fixture({ refuseSender: { code: 553, message: '5.7.1 Sender address not allowed for this account' } });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'SENDER_REJECTED', kind: 'rejected', variables: ['N8N_SMTP_SENDER'] });
    expect(result.serverReply).toMatch(/^553 /);
  });

  it('550 at RCPT TO → RECIPIENT_REJECTED', async () => {
    const server = await fixture({ refuseRecipient: { code: 550, message: '5.1.1 Mailbox does not exist' } });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'RECIPIENT_REJECTED', kind: 'rejected' });
    expect(result.message).toContain(RECIPIENT);
  });

  it('STARTTLS expected and not offered (a downgrade) → STARTTLS_NOT_OFFERED before any login: no AUTH, no message in clear', async () => {
    const server = await startSmtpFixture({ users: { [USER]: PASSWORD }, allowInsecureAuth: true });
    open.push(server);
    const result = failed(await runTest({ variables: n8nVariables(server.port) }));
    expect(result).toMatchObject({ class: 'STARTTLS_NOT_OFFERED', kind: 'connection', stage: 'starttls', variables: ['N8N_SMTP_PORT', 'N8N_SMTP_SSL'] });
    expect(result.message).toBe(
      `The server ${TEST_HOST} does not offer STARTTLS on port ${server.port}, so n8n itself would send the login and every email unencrypted there (it upgrades only when the server lists STARTTLS); this test sent nothing in clear. Use the server's implicit-TLS port (usually 465 with N8N_SMTP_SSL=true); if the server does offer STARTTLS, something on the network path removes it.`,
    );
    expect(result.serverReply).toMatch(/^500 /);
    expect({ logins: server.loginAttempts.length, messages: server.messages.length }).toEqual({ logins: 0, messages: 0 });
    expect(result.transcript.map((l) => l.text)).not.toContainEqual(expect.stringMatching(/^AUTH/));
  });

  it('STARTTLS accepted but not listed in the EHLO reply → STARTTLS_NOT_OFFERED, since n8n would not upgrade; this test logged in only over TLS', async () => {
    const server = await fixture({ hideStartTls: true });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'STARTTLS_NOT_OFFERED', kind: 'connection' });
    expect(server.loginAttempts.map((a) => ({ user: a.user, secure: a.secure }))).toEqual([{ user: USER, secure: true }]);
    expect(result.transcript.map((l) => l.text)).toContainEqual('error: the EHLO reply did not list STARTTLS: this test upgraded anyway, n8n would not');
  });

  it('STARTTLS switched off (security "none") and a plain server → sent, with WARN_PLAINTEXT', async () => {
    const server = await startSmtpFixture({ users: { [USER]: PASSWORD }, allowInsecureAuth: true });
    open.push(server);
    const result = await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_STARTTLS: 'false' }) });
    expect(result.ok).toBe(true);
    expect(warningCodes(result)).toEqual(['WARN_PLAINTEXT']);
    expect(server.messages[0]).toMatchObject({ secure: false, user: USER });
  });

  it('no STARTTLS and no AUTH offered while a login is configured, STARTTLS switched off → sent, with WARN_PLAINTEXT and WARN_AUTH_SKIPPED', async () => {
    const server = await startSmtpFixture({});
    open.push(server);
    const result = await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_STARTTLS: 'false' }) });
    expect(result.ok).toBe(true);
    expect(warningCodes(result)).toEqual(['WARN_PLAINTEXT', 'WARN_AUTH_SKIPPED']);
    expect(server.messages).toHaveLength(1);
  });

  it('554 greeting → SERVER_REFUSED', async () => {
    const server = await fixture({ refuseGreeting: { code: 554, message: '5.7.1 Your address is listed on a blocklist' } });
    const result = failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem }));
    expect(result).toMatchObject({ class: 'SERVER_REFUSED', kind: 'rejected' });
    expect(result.serverReply).toMatch(/^554 /);
  });

  it('closed port → CONNECTION_REFUSED', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const result = failed(await runTest({ variables: n8nVariables(port) }));
    expect(result).toMatchObject({ class: 'CONNECTION_REFUSED', stage: 'resolve' });
    expect(result.ms).toBeLessThan(250);
  });

  it('a host name that does not exist → DNS_NOT_FOUND (system resolver, RFC 6761 .invalid)', async () => {
    const result = failed(await runTest({ variables: n8nVariables(587, { N8N_SMTP_HOST: 'no-such-host.invalid' }) }, { lookup: systemLookup }));
    expect(result).toMatchObject({ class: 'DNS_NOT_FOUND', variables: ['N8N_SMTP_HOST'] });
  });

  describe('certificates (throwaway CA)', () => {
    it('self-signed → CERT_SELF_SIGNED (during STARTTLS, where nodemailer says ESOCKET)', async () => {
      const server = await fixture({ certificate: certs.selfSigned });
      expect(failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem })).class).toBe('CERT_SELF_SIGNED');
    });

    it('issued for another host → CERT_HOSTNAME_MISMATCH', async () => {
      const server = await fixture({ certificate: certs.wrongHost });
      expect(failed(await runTest({ variables: n8nVariables(server.port), extraCa: certs.caPem })).class).toBe('CERT_HOSTNAME_MISMATCH');
    });

    it('expired → CERT_EXPIRED (implicit TLS)', async () => {
      const server = await fixture({ certificate: certs.expired, secure: true });
      expect(failed(await runTest({ variables: n8nVariables(server.port, { N8N_SMTP_SSL: 'true' }), extraCa: certs.caPem })).class).toBe('CERT_EXPIRED');
    });

    it('signed by a CA this machine does not trust → CERT_UNTRUSTED', async () => {
      const server = await fixture({});
      const result = failed(await runTest({ variables: n8nVariables(server.port) }));
      expect(result).toMatchObject({ class: 'CERT_UNTRUSTED', variables: ['NODE_EXTRA_CA_CERTS'] });
    });
  });

  describe('peers that never answer (bounded by our own deadlines)', () => {
    it.concurrent('accepts but never greets → NO_GREETING after 10 s', async () => {
      const silent = await startSilentListener();
      try {
        const result = failed(await runTest({ variables: n8nVariables(silent.port) }));
        expect(result.class).toBe('NO_GREETING');
        expect(result.ms).toBeGreaterThanOrEqual(9_900);
        expect(result.ms).toBeLessThan(10_600);
      } finally {
        await silent.close();
      }
    });

    it.concurrent('a firewall dropping packets → CONNECT_TIMEOUT after 8 s', async () => {
      const dropping = await startDroppingListener();
      try {
        const result = failed(await runTest({ variables: n8nVariables(dropping.port) }));
        expect(result).toMatchObject({ class: 'CONNECT_TIMEOUT', variables: ['N8N_SMTP_PORT'] });
        expect(result.ms).toBeGreaterThanOrEqual(7_900);
        expect(result.ms).toBeLessThan(8_600);
      } finally {
        await dropping.close();
      }
    });

    it.concurrent('a DNS server that never answers → DNS_TIMEOUT after 5 s', async () => {
      const result = failed(await runTest({ variables: n8nVariables(587) }, { lookup: () => new Promise(() => undefined) }));
      expect(result.class).toBe('DNS_TIMEOUT');
      expect(result.ms).toBeGreaterThanOrEqual(4_900);
      expect(result.ms).toBeLessThan(5_600);
    });
  });
});
