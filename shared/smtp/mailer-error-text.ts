/**
 * n8n reports a failed invitation with the mailer's error message and nothing else (`data[0].error` of
 * `POST /rest/invitations`): nodemailer 8's text, e.g. "Invalid login: 535 5.7.8 Error: authentication failed".
 * This reads back the fields nodemailer had put on that error — the command that failed, the server's
 * reply, the socket or TLS code — from how nodemailer 8.0.10 words them (smtp-connection `_formatError`
 * appends ": <reply>"; the network layer keeps Node's "connect ECONNREFUSED 1.2.3.4:587"), so that the
 * same classifier and the same fixes as the SMTP test apply to n8n's own verdict.
 *
 *   factsFromMailerText('Mail command failed: 553 5.7.1 <a@b>: Sender address rejected')
 *   // { command: 'MAIL FROM', response: '553 5.7.1 <a@b>: Sender address rejected', responseCode: 553, code: 'EENVELOPE', … }
 */
import type { SmtpErrorFacts } from './classify-smtp-error.js';

/** nodemailer's own prefixes, each with the command and code it formats them with. */
const PREFIXES: ReadonlyArray<[RegExp, Pick<SmtpErrorFacts, 'command' | 'code' | 'timeoutType'>]> = [
  [/^Invalid login\b/i, { command: 'AUTH', code: 'EAUTH' }],
  [/^Missing credentials for\b/i, { command: 'API', code: 'EAUTH' }],
  [/^(Mail command failed|Internationalized mailbox name not allowed)\b/i, { command: 'MAIL FROM', code: 'EENVELOPE' }],
  [/^(Recipient command failed|Can't send mail - all recipients were rejected)\b/i, { command: 'RCPT TO', code: 'EENVELOPE' }],
  [/^(Data command failed|Message failed)\b/i, { command: 'DATA', code: 'EENVELOPE' }],
  [/^Greeting never received\b/i, { command: 'CONN', code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }],
  [/^Connection timeout\b/i, { command: 'CONN', code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }],
  [/^Timeout while upgrading\b/i, { command: 'STARTTLS', code: 'ETIMEDOUT', timeoutType: 'UPGRADE_TIMEOUT' }],
  [/^Invalid greeting\b/i, { command: 'CONN', code: 'EPROTOCOL' }],
  [/^Connection closed unexpectedly\b/i, { command: 'CONN', code: 'ECONNECTION' }],
];

/** Node's socket and DNS errors: "connect ECONNREFUSED 127.0.0.1:2525", "getaddrinfo ENOTFOUND smtp.x", "queryA ETIMEOUT …". */
const SYSTEM_CODE = /\b(E[A-Z0-9_]{3,})\b/;

export function factsFromMailerText(text: string): SmtpErrorFacts {
  const message = text.trim();
  const prefix = PREFIXES.find(([pattern]) => pattern.test(message));
  // The reply follows the prefix after ": " when the server said something ("535 5.7.8 …").
  const reply = /:\s*([2-5]\d\d(?:[ -].*)?)$/s.exec(message)?.[1];
  const facts: SmtpErrorFacts = { message, ...prefix?.[1] };
  if (reply) {
    facts.response = reply;
    facts.responseCode = Number(reply.slice(0, 3));
  }
  if (!prefix) {
    const code = SYSTEM_CODE.exec(message)?.[1];
    if (code) facts.code = code;
  }
  return facts;
}
