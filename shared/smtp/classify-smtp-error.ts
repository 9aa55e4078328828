/**
 * Error → failure class. Reads the fields nodemailer puts on its errors (8.x and 10.x alike: `code`,
 * `command`, `response`, `responseCode`; 10.x adds `originalCode` and `timeoutType`) together with what
 * the transcript shows, because the fields alone mislead: certificate errors during STARTTLS arrive as
 * ESOCKET, and Postfix rejects a sender at RCPT TO, not at MAIL FROM.
 */
import type { SmtpFailureClass } from './smtp-diagnoses.js';
import type { SessionFacts } from './smtp-session.js';

/** The parts of a nodemailer error (or of the service's own DNS/connect errors, shaped alike) that matter. */
export interface SmtpErrorFacts {
  code?: string;
  originalCode?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  message?: string;
  timeoutType?: string;
}

export interface ClassifyContext {
  secure: boolean;
  ignoreTLS: boolean;
  port: number;
  /** The login n8n attempts ("none" when the user is set without a password). */
  login: 'none' | 'password' | 'oauth2';
  /** N8N_SMTP_USER is set but n8n has no password for it. */
  userWithoutSecret: boolean;
  to: string;
  session: SessionFacts;
  /** A TLS handshake probe beside the silent plain session succeeded: the port speaks implicit TLS. */
  tlsProbeAnswered?: boolean;
}

const CERTIFICATE_CODES: Readonly<Record<string, SmtpFailureClass>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'CERT_SELF_SIGNED',
  SELF_SIGNED_CERT_IN_CHAIN: 'CERT_SELF_SIGNED',
  ERR_TLS_CERT_ALTNAME_INVALID: 'CERT_HOSTNAME_MISMATCH',
  HOSTNAME_MISMATCH: 'CERT_HOSTNAME_MISMATCH',
  CERT_HAS_EXPIRED: 'CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'CERT_EXPIRED',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'CERT_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'CERT_UNTRUSTED',
  UNABLE_TO_GET_ISSUER_CERT: 'CERT_UNTRUSTED',
  CERT_UNTRUSTED: 'CERT_UNTRUSTED',
  CERT_SIGNATURE_FAILURE: 'CERT_UNTRUSTED',
  CERT_REJECTED: 'CERT_UNTRUSTED',
  INVALID_CA: 'CERT_UNTRUSTED',
  CERT_CHAIN_TOO_LONG: 'CERT_UNTRUSTED',
  INVALID_PURPOSE: 'CERT_UNTRUSTED',
};

/** 8.x keeps only the OpenSSL text; match it when no code says it. */
const CERTIFICATE_TEXTS: ReadonlyArray<[RegExp, SmtpFailureClass]> = [
  [/self[- ]signed certificate/i, 'CERT_SELF_SIGNED'],
  [/altnames|hostname\/ip does not match/i, 'CERT_HOSTNAME_MISMATCH'],
  [/certificate has expired|certificate is not yet valid/i, 'CERT_EXPIRED'],
  [/unable to (verify the first certificate|get (local )?issuer certificate)/i, 'CERT_UNTRUSTED'],
];

const NETWORK_CODES: Readonly<Record<string, SmtpFailureClass>> = {
  ENOTFOUND: 'DNS_NOT_FOUND',
  EAI_NONAME: 'DNS_NOT_FOUND',
  ENODATA: 'DNS_NOT_FOUND',
  // getaddrinfo's "temporary failure": the resolver got no answer.
  EAI_AGAIN: 'DNS_TIMEOUT',
  ETIMEOUT: 'DNS_TIMEOUT',
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ENETUNREACH: 'NETWORK_UNREACHABLE',
  EHOSTUNREACH: 'NETWORK_UNREACHABLE',
  ENETDOWN: 'NETWORK_UNREACHABLE',
  EHOSTDOWN: 'NETWORK_UNREACHABLE',
  EADDRNOTAVAIL: 'NETWORK_UNREACHABLE',
};

/** What OpenSSL says when the peer's first bytes are not TLS (a plain "220 …" greeting). */
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL']);
const NOT_TLS_TEXT = /wrong version number|packet length too long|unknown protocol|http request/i;

export function classifySmtpError(error: SmtpErrorFacts, context: ClassifyContext): SmtpFailureClass {
  const codes = [error.originalCode, error.code].filter((c): c is string => Boolean(c));
  const text = error.message ?? '';
  const reply = error.response ?? '';
  const status = error.responseCode ?? Number(/^[2-5]\d\d/.exec(reply)?.[0] ?? 0);
  const command = (error.command ?? '').toUpperCase();

  if (context.tlsProbeAnswered && !context.session.greeted) return 'PLAIN_ON_SSL_PORT';
  if (codes.includes('EABORT')) return 'CANCELLED';
  const timeout = classifyTimeout(error.timeoutType, context);
  if (timeout) return timeout;
  // The test requires STARTTLS when it is expected; n8n upgrades only when the EHLO reply lists it, and goes on in clear otherwise.
  if (command === 'STARTTLS' && !context.secure && !context.ignoreTLS && !context.session.startTlsOffered) return 'STARTTLS_NOT_OFFERED';
  // The token request itself failed (Google refused it, or its endpoint was unreachable): not the SMTP server.
  if (codes.includes('EOAUTH2') || (command === 'AUTH XOAUTH2' && !status)) return 'OAUTH2_FAILED';
  for (const code of codes) {
    const found = CERTIFICATE_CODES[code] ?? NETWORK_CODES[code];
    if (found) return found;
  }
  const certificate = CERTIFICATE_TEXTS.find(([pattern]) => pattern.test(text));
  if (certificate) return certificate[1];
  if (codes.some((c) => NOT_TLS_CODES.has(c)) || NOT_TLS_TEXT.test(text)) return context.secure && !context.session.greeted ? 'SSL_ON_PLAIN_PORT' : 'TLS_FAILED';
  if (status >= 400) return classifyReply(status, reply, command, context);
  if (/missing credentials/i.test(text) || codes.includes('ENOAUTH')) return 'CREDENTIALS_MISSING';
  if (codes.includes('EENVELOPE')) return 'ADDRESS_INVALID';
  // Reset or closed before the session began over TLS: the handshake itself failed.
  if (codes.includes('ETLS') || (context.secure && !context.session.greeted)) return 'TLS_FAILED';
  return 'CONNECTION_CLOSED';
}

function classifyTimeout(timeoutType: string | undefined, context: ClassifyContext): SmtpFailureClass | undefined {
  const silent: SmtpFailureClass = !context.secure && context.port === 465 ? 'PLAIN_ON_SSL_PORT' : 'NO_GREETING';
  switch (timeoutType) {
    case 'DNS_TIMEOUT':
      return 'DNS_TIMEOUT';
    case 'CONNECT_TIMEOUT':
      return 'CONNECT_TIMEOUT';
    case 'GREETING_TIMEOUT':
      return silent;
    case 'UPGRADE_TIMEOUT':
      return 'TLS_HANDSHAKE_TIMEOUT';
    case 'SOCKET_TIMEOUT':
      return context.session.greeted ? 'CONNECTION_CLOSED' : silent;
    default:
      return undefined;
  }
}

function classifyReply(status: number, reply: string, command: string, context: ClassifyContext): SmtpFailureClass {
  if (!context.session.greeted && (command === 'CONN' || command === '')) return 'SERVER_REFUSED';
  if (/^(EHLO|HELO|LHLO)/.test(command)) return 'HELO_REJECTED';
  if (command === 'STARTTLS') return 'TLS_FAILED';
  if (command.startsWith('AUTH')) return classifyAuthReply(status, reply, command, context);
  if (command === 'MAIL FROM' || command === 'RCPT TO' || command === 'DATA') return classifyTransactionReply(status, reply, command, context);
  return status < 500 ? 'TEMPORARY_REJECT' : 'CONNECTION_CLOSED';
}

function classifyAuthReply(status: number, reply: string, command: string, context: ClassifyContext): SmtpFailureClass {
  if (context.login === 'oauth2' || command === 'AUTH XOAUTH2') return 'OAUTH2_FAILED';
  if (/5\.7\.9\b|application-specific password|app password/i.test(reply)) return 'APP_PASSWORD_REQUIRED';
  // Microsoft 365: 5.7.139 "SmtpClientAuthentication is disabled", 5.7.3 when the mailbox may not use SMTP AUTH.
  if (/5\.7\.139\b|5\.7\.3\b|SmtpClientAuthentication|basic authentication is disabled/i.test(reply)) return 'SMTP_AUTH_DISABLED';
  if (status === 538 || /must issue a STARTTLS|encryption required|requires? (an )?encrypt|TLS (is )?required/i.test(reply)) return 'TLS_REQUIRED_FOR_AUTH';
  if (status < 500) return 'AUTH_TEMPORARY';
  return 'AUTH_FAILED';
}

/** MAIL FROM, RCPT TO and DATA: the server's words decide; the command only breaks ties. */
function classifyTransactionReply(status: number, reply: string, command: string, context: ClassifyContext): SmtpFailureClass {
  if (/STARTTLS|\bTLS\b|encrypt/i.test(reply) && (status === 530 || /must|required|first/i.test(reply))) {
    return !context.secure && !context.ignoreTLS && !context.session.startTlsOffered ? 'STARTTLS_NOT_OFFERED' : 'TLS_REQUIRED';
  }
  if (/relay(ing)? (access )?(denied|not permitted|prohibited)|unable to relay|not (allowed|permitted) to relay/i.test(reply)) return 'RELAY_DENIED';
  if (status === 530 || /auth(entication)? (is )?required|must (first )?(be )?auth|not authenticated|please (log ?in|authenticate)/i.test(reply)) {
    return context.userWithoutSecret ? 'CREDENTIALS_MISSING' : 'AUTH_REQUIRED';
  }
  // Amazon SES names the unverified identities; the recipient's address tells which side failed.
  if (/not verified/i.test(reply)) return context.to && reply.toLowerCase().includes(context.to.toLowerCase()) ? 'RECIPIENT_REJECTED' : 'SENDER_REJECTED';
  if (/sender address rejected|not owned by|sender .*(not|isn't) (allowed|authori[sz]ed|permitted)|unauthori[sz]ed sender|from address/i.test(reply)) return 'SENDER_REJECTED';
  if (status < 500) return 'TEMPORARY_REJECT';
  if ((status === 501 || status === 553) && /syntax|malformed|invalid (e-?mail )?address|bad address/i.test(reply)) return 'ADDRESS_INVALID';
  if (command === 'MAIL FROM') return 'SENDER_REJECTED';
  return command === 'RCPT TO' ? 'RECIPIENT_REJECTED' : 'MESSAGE_REJECTED';
}
