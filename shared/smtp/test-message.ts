/**
 * The test message: from n8n's own sender, saying that the n8n setup tool sent it and with which settings,
 * so whoever finds it in an inbox (or a spam folder) knows what it proves. Secrets appear only as "(set)".
 */
import { describeMailer, type N8nMailer } from './n8n-mailer.js';

export interface TestMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

export function buildTestMessage(mailer: N8nMailer, to: string, sentAt: Date): TestMessage {
  const { host, port } = mailer.transport;
  const settings = describeMailer(mailer).map((row) => `  ${row.variable}=${row.value}`);
  const text = [
    'This is a test message from the n8n setup tool (n8n-setup smtp-test).',
    '',
    'It was sent with the same mail settings n8n reads, so n8n can send invitations and password resets with them:',
    '',
    ...settings,
    '',
    `Sent ${sentAt.toISOString()}. You can delete this message.`,
    '',
  ].join('\n');
  return { from: mailer.sender, to, subject: `n8n setup: SMTP test via ${host}:${port}`, text };
}
