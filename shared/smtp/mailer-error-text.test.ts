/**
 * n8n's invitation error is nodemailer 8's message text: each wording nodemailer 8.0.10 produces (smtp-connection
 * `_formatError` and Node's socket errors, as n8n 2.41.1 returns them in `data[0].error`) is read back into the
 * fields the classifier needs, and lands in the class the SMTP test gives the same failure. The acceptance tier
 * checks three of them against a real n8n.
 */
import { describe, expect, it } from 'vitest';
import { classifySmtpError, type ClassifyContext } from './classify-smtp-error.js';
import { factsFromMailerText } from './mailer-error-text.js';
import { NO_SESSION } from './smtp-session.js';

const starttls: ClassifyContext = { secure: false, ignoreTLS: false, port: 587, login: 'password', userWithoutSecret: false, to: 'invitee@example.com', session: NO_SESSION };
const implicitTls: ClassifyContext = { ...starttls, secure: true, port: 465 };
const greeted = (context: ClassifyContext) => ({ ...context, session: { ...NO_SESSION, greeted: true } });

const CASES: Array<[string, string, ClassifyContext]> = [
  ['Invalid login: 535 5.7.8 Error: authentication failed: authentication failure', 'AUTH_FAILED', greeted(starttls)],
  ['Invalid login: 534-5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor', 'APP_PASSWORD_REQUIRED', greeted(starttls)],
  ['Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 'SMTP_AUTH_DISABLED', greeted(starttls)],
  ['Invalid login: 454 4.7.0 Temporary authentication failure', 'AUTH_TEMPORARY', greeted(starttls)],
  ['Mail command failed: 553 5.7.1 <n8n@example.test>: Sender address rejected: not owned by user', 'SENDER_REJECTED', greeted(starttls)],
  ['Mail command failed: 554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: n8n@example.com', 'SENDER_REJECTED', greeted(starttls)],
  ['Mail command failed: 530 5.7.0 Must issue a STARTTLS command first', 'STARTTLS_NOT_OFFERED', greeted(starttls)],
  ["Can't send mail - all recipients were rejected: 554 5.7.1 <invitee@example.com>: Relay access denied", 'RELAY_DENIED', greeted(starttls)],
  ["Can't send mail - all recipients were rejected: 550 5.1.1 <invitee@example.com>: Recipient address rejected: User unknown", 'RECIPIENT_REJECTED', greeted(starttls)],
  ['Data command failed: 554 5.7.1 Message rejected as spam', 'MESSAGE_REJECTED', greeted(starttls)],
  ['Missing credentials for "PLAIN"', 'CREDENTIALS_MISSING', starttls],
  ['connect ECONNREFUSED 127.0.0.1:2525', 'CONNECTION_REFUSED', starttls],
  ['getaddrinfo ENOTFOUND smtp.exmaple.com', 'DNS_NOT_FOUND', starttls],
  ['queryA ETIMEOUT smtp.example.com', 'DNS_TIMEOUT', starttls],
  ['connect ENETUNREACH 2001:db8::1:587 - Local (:::0)', 'NETWORK_UNREACHABLE', starttls],
  ['Connection timeout', 'CONNECT_TIMEOUT', starttls],
  ['Greeting never received', 'NO_GREETING', starttls],
  ['Greeting never received', 'NO_GREETING', implicitTls],
  ['self-signed certificate', 'CERT_SELF_SIGNED', starttls],
  ['self-signed certificate in certificate chain', 'CERT_SELF_SIGNED', starttls],
  ["Hostname/IP does not match certificate's altnames: Host: 127.0.0.1. is not in the cert's altnames: DNS:mail.example.test", 'CERT_HOSTNAME_MISMATCH', starttls],
  ['certificate has expired', 'CERT_EXPIRED', starttls],
  ['unable to verify the first certificate', 'CERT_UNTRUSTED', starttls],
  ['C0F7A1E6B57F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:355:\n', 'SSL_ON_PLAIN_PORT', implicitTls],
  ['Connection closed unexpectedly', 'CONNECTION_CLOSED', greeted(starttls)],
];

describe('factsFromMailerText: nodemailer 8 error texts, as n8n reports them, classified as the SMTP test classifies', () => {
  it.each(CASES)('%s → %s', (text, expected, context) => {
    expect(classifySmtpError(factsFromMailerText(text), context)).toBe(expected);
  });

  it('reads the command and the server reply out of the text', () => {
    expect(factsFromMailerText('Invalid login: 535 5.7.8 Error: authentication failed')).toMatchObject({ command: 'AUTH', code: 'EAUTH', response: '535 5.7.8 Error: authentication failed', responseCode: 535 });
    expect(factsFromMailerText("Can't send mail - all recipients were rejected: 550 5.1.1 <a@b.c>: User unknown")).toMatchObject({ command: 'RCPT TO', responseCode: 550 });
    expect(factsFromMailerText('connect ECONNREFUSED 127.0.0.1:2525')).toEqual({ message: 'connect ECONNREFUSED 127.0.0.1:2525', code: 'ECONNREFUSED' });
  });

  it('takes anything without failing: empty, unknown words, a multi-line reply', () => {
    expect(factsFromMailerText('')).toEqual({ message: '' });
    expect(factsFromMailerText('something else entirely')).toEqual({ message: 'something else entirely' });
    expect(factsFromMailerText('Mail command failed: 550-5.7.1 first line\n550 5.7.1 second line')).toMatchObject({ responseCode: 550, response: '550-5.7.1 first line\n550 5.7.1 second line' });
  });
});
