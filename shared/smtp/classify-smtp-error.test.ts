import { describe, expect, it } from 'vitest';
import { classifySmtpError, type ClassifyContext, type SmtpErrorFacts } from './classify-smtp-error.js';
import type { SmtpFailureClass } from './smtp-diagnoses.js';
import { NO_SESSION, type SessionFacts } from './smtp-session.js';

const greeted: SessionFacts = { ...NO_SESSION, greeted: true, startTlsOffered: true, encrypted: true, authMechanisms: ['PLAIN', 'LOGIN'] };

function context(overrides: Partial<ClassifyContext> = {}): ClassifyContext {
  return { secure: false, ignoreTLS: false, port: 587, login: 'password', userWithoutSecret: false, to: 'admin@example.com', session: greeted, ...overrides };
}

/** Replies as real servers send them (Gmail, Microsoft 365, Postfix, Amazon SES, Exim) and errors as nodemailer 8/10 shape them. */
const CASES: Array<[string, SmtpErrorFacts, Partial<ClassifyContext>, SmtpFailureClass]> = [
  ['getaddrinfo ENOTFOUND', { code: 'EDNS', originalCode: 'ENOTFOUND' }, { session: NO_SESSION }, 'DNS_NOT_FOUND'],
  ['nodemailer 8 keeps ENOTFOUND as the code', { code: 'ENOTFOUND' }, { session: NO_SESSION }, 'DNS_NOT_FOUND'],
  ['getaddrinfo EAI_AGAIN (resolver got no answer)', { code: 'EDNS', originalCode: 'EAI_AGAIN' }, { session: NO_SESSION }, 'DNS_TIMEOUT'],
  ['our own DNS deadline', { code: 'EDNS', timeoutType: 'DNS_TIMEOUT' }, { session: NO_SESSION }, 'DNS_TIMEOUT'],
  ['ECONNREFUSED', { code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, { session: NO_SESSION }, 'CONNECTION_REFUSED'],
  ['ENETUNREACH', { code: 'ECONNECTION', originalCode: 'ENETUNREACH' }, { session: NO_SESSION }, 'NETWORK_UNREACHABLE'],
  ['EHOSTUNREACH', { code: 'ESOCKET', originalCode: 'EHOSTUNREACH' }, { session: NO_SESSION }, 'NETWORK_UNREACHABLE'],
  ['connect deadline', { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }, { session: NO_SESSION }, 'CONNECT_TIMEOUT'],
  ['TLS to a plain port: wrong version number', { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'ssl3_get_record:wrong version number' }, { secure: true, session: NO_SESSION }, 'SSL_ON_PLAIN_PORT'],
  ['nodemailer 8: only the OpenSSL text', { code: 'ESOCKET', message: '40E7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' }, { secure: true, session: NO_SESSION }, 'SSL_ON_PLAIN_PORT'],
  ['wrong version number during STARTTLS', { code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }, {}, 'TLS_FAILED'],
  ['greeting timeout on a plain connection to 465', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, { port: 465, session: NO_SESSION }, 'PLAIN_ON_SSL_PORT'],
  ['greeting timeout elsewhere', { code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, { session: NO_SESSION }, 'NO_GREETING'],
  ['TLS probe found implicit TLS (the send was stopped)', { code: 'EABORT' }, { tlsProbeAnswered: true, session: NO_SESSION }, 'PLAIN_ON_SSL_PORT'],
  ['nodemailer 8 "Timeout" before the greeting', { code: 'ETIMEDOUT', message: 'Timeout', timeoutType: 'SOCKET_TIMEOUT' }, { session: NO_SESSION }, 'NO_GREETING'],
  ['handshake timeout', { code: 'ETIMEDOUT', timeoutType: 'UPGRADE_TIMEOUT' }, {}, 'TLS_HANDSHAKE_TIMEOUT'],
  ['self-signed (STARTTLS: ESOCKET)', { code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, {}, 'CERT_SELF_SIGNED'],
  ['self-signed in chain, 8.x text only', { code: 'ESOCKET', message: 'self-signed certificate in certificate chain' }, {}, 'CERT_SELF_SIGNED'],
  ['host name mismatch', { code: 'ESOCKET', originalCode: 'ERR_TLS_CERT_ALTNAME_INVALID' }, {}, 'CERT_HOSTNAME_MISMATCH'],
  ['expired', { code: 'ESOCKET', originalCode: 'CERT_HAS_EXPIRED' }, {}, 'CERT_EXPIRED'],
  ['private CA', { code: 'ESOCKET', originalCode: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, {}, 'CERT_UNTRUSTED'],
  ['554 greeting', { code: 'EPROTOCOL', command: 'CONN', response: '554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org', responseCode: 554 }, { session: NO_SESSION }, 'SERVER_REFUSED'],
  ['421 greeting then close', { code: 'ECONNECTION', command: 'CONN', response: '421 4.3.2 Service shutting down', responseCode: 421 }, { session: NO_SESSION }, 'SERVER_REFUSED'],
  ['EHLO refused', { code: 'EPROTOCOL', command: 'HELO', response: '550 5.7.1 Helo command rejected', responseCode: 550 }, {}, 'HELO_REJECTED'],
  ['STARTTLS refused', { code: 'ETLS', command: 'STARTTLS', response: '454 4.7.0 TLS not available due to local problem', responseCode: 454 }, {}, 'TLS_FAILED'],
  // The test requires STARTTLS when it is expected (requireTLS): sent although EHLO did not list it, as n8n would not.
  ['STARTTLS not listed, then refused (a downgrade)', { code: 'ETLS', command: 'STARTTLS', response: '500 5.5.2 Error: command not recognized', responseCode: 500 }, { session: { ...greeted, startTlsOffered: false, encrypted: false } }, 'STARTTLS_NOT_OFFERED'],
  ['STARTTLS not listed, upgrade failed', { code: 'ETLS', command: 'STARTTLS', message: 'Error initiating TLS - socket hang up' }, { session: { ...greeted, startTlsOffered: false, encrypted: false } }, 'STARTTLS_NOT_OFFERED'],
  ['STARTTLS not listed, switched off', { code: 'ETLS', command: 'STARTTLS', response: '500 5.5.2 Error: command not recognized', responseCode: 500 }, { ignoreTLS: true, session: { ...greeted, startTlsOffered: false, encrypted: false } }, 'TLS_FAILED'],
  ['closed during the handshake', { code: 'ESOCKET', originalCode: 'ECONNRESET' }, { secure: true, session: NO_SESSION }, 'TLS_FAILED'],
  ['closed mid-session', { code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, {}, 'CONNECTION_CLOSED'],
  ['Gmail without an app password', { code: 'EAUTH', command: 'AUTH PLAIN', response: '534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor', responseCode: 534 }, {}, 'APP_PASSWORD_REQUIRED'],
  ['Gmail wrong password', { code: 'EAUTH', command: 'AUTH PLAIN', response: '535-5.7.8 Username and Password not accepted.', responseCode: 535 }, {}, 'AUTH_FAILED'],
  ['Microsoft 365 SMTP AUTH disabled', { code: 'EAUTH', command: 'AUTH LOGIN', response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', responseCode: 535 }, {}, 'SMTP_AUTH_DISABLED'],
  ['Microsoft 365 5.7.3', { code: 'EAUTH', command: 'AUTH LOGIN', response: '535 5.7.3 Authentication unsuccessful', responseCode: 535 }, {}, 'SMTP_AUTH_DISABLED'],
  ['login only after STARTTLS', { code: 'EAUTH', command: 'AUTH PLAIN', response: '538 5.7.11 Encryption required for requested authentication mechanism', responseCode: 538 }, {}, 'TLS_REQUIRED_FOR_AUTH'],
  ['temporary auth failure', { code: 'EAUTH', command: 'AUTH PLAIN', response: '454 4.7.0 Temporary authentication failure', responseCode: 454 }, {}, 'AUTH_TEMPORARY'],
  ['nodemailer: missing credentials', { code: 'EAUTH', command: 'API', message: 'Missing credentials for "PLAIN"' }, {}, 'CREDENTIALS_MISSING'],
  ['OAuth2 token request refused', { code: 'EAUTH', originalCode: 'EOAUTH2', command: 'AUTH XOAUTH2', message: 'unauthorized_client: Client is unauthorized' }, { login: 'oauth2' }, 'OAUTH2_FAILED'],
  ['OAuth2 token endpoint unreachable', { code: 'EAUTH', originalCode: 'ECONNREFUSED', command: 'AUTH XOAUTH2' }, { login: 'oauth2' }, 'OAUTH2_FAILED'],
  ['XOAUTH2 token refused by the server', { code: 'EAUTH', command: 'AUTH XOAUTH2', response: '535-5.7.8 Username and Password not accepted.', responseCode: 535 }, { login: 'oauth2' }, 'OAUTH2_FAILED'],
  ['STARTTLS required, STARTTLS switched off', { code: 'EENVELOPE', command: 'MAIL FROM', response: '530 5.7.0 Must issue a STARTTLS command first', responseCode: 530 }, { ignoreTLS: true, session: { ...greeted, encrypted: false } }, 'TLS_REQUIRED'],
  ['STARTTLS required, never offered', { code: 'EENVELOPE', command: 'MAIL FROM', response: '530 5.7.0 Must issue a STARTTLS command first', responseCode: 530 }, { session: { ...greeted, startTlsOffered: false, encrypted: false } }, 'STARTTLS_NOT_OFFERED'],
  ['login required', { code: 'EENVELOPE', command: 'MAIL FROM', response: '530 5.7.0 Authentication required', responseCode: 530 }, { login: 'none' }, 'AUTH_REQUIRED'],
  ['login required, user without password', { code: 'EENVELOPE', command: 'MAIL FROM', response: '530 5.7.0 Authentication required', responseCode: 530 }, { login: 'none', userWithoutSecret: true }, 'CREDENTIALS_MISSING'],
  ['Postfix relay denied', { code: 'EENVELOPE', command: 'RCPT TO', response: '554 5.7.1 <someone@elsewhere.example>: Relay access denied', responseCode: 554 }, {}, 'RELAY_DENIED'],
  ['Postfix sender-login mismatch at RCPT TO', { code: 'EENVELOPE', command: 'RCPT TO', response: '553 5.7.1 <ceo@example.com>: Sender address rejected: not owned by user n8n', responseCode: 553 }, {}, 'SENDER_REJECTED'],
  ['sender refused at MAIL FROM', { code: 'EENVELOPE', command: 'MAIL FROM', response: '553 5.7.1 Sender address not allowed', responseCode: 553 }, {}, 'SENDER_REJECTED'],
  ['SendGrid unverified sender', { code: 'EENVELOPE', command: 'MAIL FROM', response: '550 The from address does not match a verified Sender Identity.', responseCode: 550 }, {}, 'SENDER_REJECTED'],
  ['greylisting', { code: 'EENVELOPE', command: 'RCPT TO', response: '450 4.2.0 <admin@example.com>: Recipient address rejected: Greylisted', responseCode: 450 }, {}, 'TEMPORARY_REJECT'],
  ['unknown recipient', { code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 <admin@example.com>: Recipient address rejected: User unknown', responseCode: 550 }, {}, 'RECIPIENT_REJECTED'],
  ['malformed address', { code: 'EENVELOPE', command: 'MAIL FROM', response: '501 5.1.7 Bad sender address syntax', responseCode: 501 }, {}, 'ADDRESS_INVALID'],
  ['nodemailer refuses an address before sending', { code: 'EENVELOPE', command: 'API', message: 'Invalid sender "a\\nb"' }, {}, 'ADDRESS_INVALID'],
  ['SES sandbox, recipient not verified', { code: 'EMESSAGE', command: 'DATA', response: '554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: admin@example.com', responseCode: 554 }, {}, 'RECIPIENT_REJECTED'],
  ['SES, sender not verified', { code: 'EMESSAGE', command: 'DATA', response: '554 Message rejected: Email address is not verified. The following identities failed the check in region EU-WEST-1: n8n@example.com', responseCode: 554 }, {}, 'SENDER_REJECTED'],
  ['content refused', { code: 'EMESSAGE', command: 'DATA', response: '554 5.7.1 Message rejected as spam', responseCode: 554 }, {}, 'MESSAGE_REJECTED'],
  ['data deferred', { code: 'EMESSAGE', command: 'DATA', response: '451 4.3.0 Please try again later', responseCode: 451 }, {}, 'TEMPORARY_REJECT'],
  ['cancelled', { code: 'EABORT' }, {}, 'CANCELLED'],
];

describe('classifySmtpError', () => {
  it.each(CASES)('%s', (_name, error, overrides, expected) => {
    expect(classifySmtpError(error, context(overrides))).toBe(expected);
  });

  it('reads the status from the reply when nodemailer left responseCode out', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', command: 'RCPT TO', response: '550 5.1.1 no such user' }, context())).toBe('RECIPIENT_REJECTED');
  });
});
