/**
 * The SMTP test against a production-grade peer: Debian's Postfix on loopback with Cyrus SASL logins,
 * configured the way mail hosts commonly are (postfix-config.ts). It never delivers anything: every
 * transport is `discard:`, and the mail log shows what arrived.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SmtpTestResult } from '../../../shared/smtp/smtp-test-result.js';
import { skipOutsideCi } from '../../support/external-tools.js';
import { expectNoSecret } from '../secret-leaks.js';
import { allResults, n8nVariables, PASSWORD, RECIPIENT, runTest, USER, warningCodes } from '../smtp-test-setup.js';
import { makeTestCertificates, TEST_HOST, type TestCertificates } from '../test-certificates.js';
import { startPostfix, whyPostfixCannotRun, type PostfixInstance } from './postfix-instance.js';

/** The envelope sender of smtp-test-setup's SENDER, which the login USER owns. */
const OWN_ADDRESS = 'n8n@example.test';
const RELAY_DOMAIN = 'relay.example.test';
const WRONG_PASSWORD = 'Wr0ng "pass" \\ ö/+=%26';

const cannotRun = whyPostfixCannotRun();
let certs: TestCertificates | undefined;
let running: PostfixInstance | undefined;

beforeAll(async () => {
  if (cannotRun) return;
  certs = makeTestCertificates();
  running = await startPostfix({ hostname: TEST_HOST, certificate: certs.valid, users: { [USER]: PASSWORD }, senderLogins: { [OWN_ADDRESS]: USER }, relayDomain: RELAY_DOMAIN });
});

afterAll(async () => {
  const log = running?.log() ?? '';
  await running?.stop();
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
  for (const result of allResults) {
    expectNoSecret(result, PASSWORD, USER);
    expectNoSecret(result, WRONG_PASSWORD, USER);
  }
  expectNoSecret(log, PASSWORD, USER);
  expectNoSecret(log, WRONG_PASSWORD, USER);
  const outcomes = log.split('\n').filter((line) => line.includes(' status='));
  expect(outcomes.filter((line) => !/ postfix\/discard\[\d+\]: /.test(line)), 'only the discard transport ever handled a message').toEqual([]);
});

beforeEach((context) => {
  if (cannotRun) skipOutsideCi(context, cannotRun);
});

function postfix(): PostfixInstance {
  if (!running) throw new Error('Postfix did not start');
  return running;
}

function trustedCa(): string {
  if (!certs) throw new Error('no test certificates');
  return certs.caPem;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Postfix answers the message with "250 2.0.0 Ok: queued as 4XyZ…"; the id ties the log lines to this test. */
function queueIdOf(result: SmtpTestResult): string {
  const id = result.ok ? /queued as ([0-9A-Za-z]+)/.exec(result.response)?.[1] : undefined;
  if (!id) throw new Error(`no queue id in the result: ${JSON.stringify(result)}`);
  return id;
}

/** Waits for the discard transport to log the message, and returns the message's log lines. */
async function discardedMessage(result: SmtpTestResult, to: string): Promise<string[]> {
  const id = queueIdOf(result);
  await postfix().waitForLog(new RegExp(`postfix/discard\\[\\d+\\]: ${id}: to=<${escape(to)}>, relay=none, .*status=sent`));
  await postfix().waitForLog(new RegExp(`postfix/qmgr\\[\\d+\\]: ${id}: removed`));
  return postfix()
    .log()
    .split('\n')
    .filter((line) => line.includes(` ${id}: `));
}

function failed(result: SmtpTestResult) {
  if (result.ok) throw new Error(`expected a failure, got success: ${JSON.stringify(result.transcript)}`);
  return result;
}

describe('sendTestEmail against Postfix', () => {
  it('submission port, STARTTLS and a login: sent, and Postfix received it from that login and discarded it', async () => {
    const result = await runTest({ variables: n8nVariables(postfix().ports.submission), extraCa: trustedCa() });

    expect(result).toMatchObject({ ok: true, class: null, accepted: [RECIPIENT] });
    expect(warningCodes(result)).toEqual([]);
    expect(result.stages.map((s) => s.stage)).toEqual(['resolve', 'connect', 'greeting', 'ehlo', 'starttls', 'tls', 'auth', 'mail-from', 'rcpt-to', 'data', 'done']);
    const lines = await discardedMessage(result, RECIPIENT);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`postfix/smtpd\\[\\d+\\]: \\w+: client=unknown\\[127\\.0\\.0\\.1\\], sasl_method=PLAIN, sasl_username=${escape(USER)}$`)),
        expect.stringMatching(new RegExp(`postfix/qmgr\\[\\d+\\]: \\w+: from=<${escape(OWN_ADDRESS)}>, size=\\d+, nrcpt=1 \\(queue active\\)$`)),
      ]),
    );
  });

  it('wrong password: AUTH_FAILED with Postfix\'s 535', async () => {
    const result = failed(await runTest({ variables: n8nVariables(postfix().ports.submission, { N8N_SMTP_PASS: WRONG_PASSWORD }), extraCa: trustedCa() }));

    expect(result).toMatchObject({ class: 'AUTH_FAILED', kind: 'auth', stage: 'auth', variables: expect.arrayContaining(['N8N_SMTP_PASS']) });
    expect(result.serverReply).toMatch(/^535 5\.7\.8 Error: authentication failed/);
    await postfix().waitForLog(new RegExp(`SASL (PLAIN|LOGIN) authentication failed: .*sasl_username=${escape(USER)}`));
  });

  it('a sender the login does not own: SENDER_REJECTED, which Postfix says at RCPT TO', async () => {
    const result = failed(await runTest({ variables: n8nVariables(postfix().ports.submission, { N8N_SMTP_SENDER: 'n8n <someone-else@example.test>' }), extraCa: trustedCa() }));

    expect(result).toMatchObject({ class: 'SENDER_REJECTED', kind: 'rejected', stage: 'rcpt-to', variables: ['N8N_SMTP_SENDER'] });
    expect(result.serverReply).toMatch(new RegExp(`^553 5\\.7\\.1 <someone-else@example\\.test>: Sender address rejected: not owned by user ${escape(USER)}`));
    expect(result.message).toContain('someone-else@example.test');
    await postfix().waitForLog(/NOQUEUE: reject: RCPT from unknown\[127\.0\.0\.1\]: 553 5\.7\.1 <someone-else@example\.test>: Sender address rejected/);
  });

  it('STARTTLS switched off against the submission port: TLS_REQUIRED (Postfix hides AUTH and refuses MAIL FROM)', async () => {
    const result = failed(await runTest({ variables: n8nVariables(postfix().ports.submission, { N8N_SMTP_STARTTLS: 'false' }), extraCa: trustedCa() }));

    expect(result).toMatchObject({ class: 'TLS_REQUIRED', stage: 'mail-from' });
    expect(result.serverReply).toMatch(/^530 5\.7\.0 Must issue a STARTTLS command first/);
  });

  it('wrapper-mode port with implicit TLS: sent', async () => {
    const result = await runTest({ variables: n8nVariables(postfix().ports.wrapper, { N8N_SMTP_SSL: 'true' }), extraCa: trustedCa() });

    expect(result).toMatchObject({ ok: true, class: null });
    expect(warningCodes(result)).toEqual([]);
    expect(result.stages.map((s) => s.stage).slice(0, 4)).toEqual(['resolve', 'connect', 'tls', 'greeting']);
    expect(await discardedMessage(result, RECIPIENT)).toEqual(expect.arrayContaining([expect.stringMatching(`sasl_username=${escape(USER)}$`)]));
  });

  describe('MX-style port without AUTH, with a login configured', () => {
    it('a recipient in its relay domain: sent, with WARN_AUTH_SKIPPED (nodemailer skipped the login silently)', async () => {
      const to = `someone@${RELAY_DOMAIN}`;
      const result = await runTest({ variables: n8nVariables(postfix().ports.mx), extraCa: trustedCa(), to });

      expect(result).toMatchObject({ ok: true, class: null, accepted: [to] });
      expect(warningCodes(result)).toEqual(['WARN_AUTH_SKIPPED']);
      expect(result.transcript.some((line) => line.dir === 'C' && line.text.startsWith('AUTH'))).toBe(false);
      const lines = await discardedMessage(result, to);
      expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/postfix\/smtpd\[\d+\]: \w+: client=unknown\[127\.0\.0\.1\]$/)]));
    });

    it('a recipient outside it: RELAY_DENIED, still warning that the login was skipped', async () => {
      const result = failed(await runTest({ variables: n8nVariables(postfix().ports.mx), extraCa: trustedCa() }));

      expect(result).toMatchObject({ class: 'RELAY_DENIED', kind: 'rejected', stage: 'rcpt-to' });
      expect(result.serverReply).toMatch(new RegExp(`^554 5\\.7\\.1 <${escape(RECIPIENT)}>: Relay access denied`));
      expect(warningCodes(result)).toEqual(['WARN_AUTH_SKIPPED']);
    });
  });
});
