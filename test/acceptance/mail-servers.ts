/**
 * The loopback SMTP servers n8n sends to in the acceptance tier (issue 3's `smtp-server` fixtures, certificates
 * from a throwaway CA made with openssl), and a bounded wait for a message to arrive.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { startSmtpFixture, type ReceivedMessage, type SmtpFixture } from '../smtp/smtp-fixtures.js';
import { PASSWORD, USER } from '../smtp/smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { eventually } from './eventually.js';

export interface MailServers {
  certificates: TestCertificates;
  /** Port-587 style: plain connect, STARTTLS, then login. */
  starttls: SmtpFixture;
  /** Port-465 style: TLS from the first byte, then login. */
  tls: SmtpFixture;
  /** STARTTLS and login like `starttls`, but the sender is refused as Postfix refuses it. */
  rejectsSender: SmtpFixture;
  close(): Promise<void>;
}

export async function startMailServers(): Promise<MailServers> {
  const certificates = makeTestCertificates();
  const users = { [USER]: PASSWORD };
  const starttls = await startSmtpFixture({ certificate: certificates.valid, users });
  const tls = await startSmtpFixture({ certificate: certificates.valid, secure: true, users });
  const rejectsSender = await startSmtpFixture({ certificate: certificates.valid, users, refuseSender: { code: 553, message: '5.7.1 <n8n@example.test>: Sender address rejected: not owned by user' } });
  return {
    certificates,
    starttls,
    tls,
    rejectsSender,
    async close() {
      await Promise.all([starttls.close(), tls.close(), rejectsSender.close()]);
      rmSync(certificates.dir, { recursive: true, force: true });
    },
  };
}

/** The servers for the tests of this file: started before them, closed after. */
export function useMailServers(): () => MailServers {
  let servers: MailServers | undefined;
  beforeAll(async () => {
    servers = await startMailServers();
  });
  afterAll(async () => servers?.close());
  return () => {
    if (!servers) throw new Error('the mail servers are not started (call inside a test or hook)');
    return servers;
  };
}

/** The first message to `recipient` that arrived after `since` messages, waiting at most `timeoutMs`. */
export async function waitForMessage(server: SmtpFixture, recipient: string, since: number, timeoutMs = 15_000): Promise<ReceivedMessage> {
  return eventually(
    () => server.messages.slice(since).find((m) => m.to.includes(recipient)),
    timeoutMs,
    () => `no message to ${recipient} arrived (the server holds ${server.messages.length})`,
  );
}
