/**
 * The nodemailer options for a test: exactly the transport n8n builds (host, port, secure, ignoreTLS, auth)
 * plus only what makes the test bounded, observable and safe. One deliberate difference: with STARTTLS
 * expected, the test requires it (requireTLS), so no login crosses in clear where n8n — which has no
 * requireTLS and carries on unencrypted — would send it; the test reports that as STARTTLS_NOT_OFFERED.
 * No EHLO name, no relaxed certificate checks.
 */
import { isIP } from 'node:net';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { N8nMailer } from '../../shared/smtp/n8n-mailer.js';
import type { SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { trustedCertificates } from './trusted-certificates.js';

export interface TransportAdditions {
  /** Opens the connection with our own DNS and connect deadlines (see open-smtp-socket.ts). */
  getSocket: NonNullable<SMTPTransport.Options['getSocket']>;
  logger: NonNullable<SMTPTransport.Options['logger']>;
  limits: SmtpLimits;
  /** PEM of a CA trusted besides the system roots (a private CA the admin mounts for n8n too). */
  extraCa?: string;
  /** Where the OAuth2 token request goes instead of Google's endpoint; n8n cannot change it (tests). */
  oauthTokenUrl?: string;
}

export function testTransportOptions(mailer: N8nMailer, additions: TransportAdditions): SMTPTransport.Options {
  const { host, port, secure, ignoreTLS, auth } = mailer.transport;
  const { limits } = additions;
  const oauth = auth && 'serviceClient' in auth;
  return {
    // n8n's shape, unchanged.
    host,
    port,
    secure,
    ignoreTLS,
    // Ours: never a login or a message in clear when STARTTLS is expected.
    requireTLS: expectsStartTls(mailer),
    ...(auth && {
      auth: {
        ...auth,
        // The token request must end within the test's bounds too.
        ...(oauth && { requestTimeout: limits.socketMs, ...(additions.oauthTokenUrl && { accessUrl: additions.oauthTokenUrl }) }),
      },
    }),
    // Ours: the socket comes from our resolver; certificates are checked against the host name.
    getSocket: additions.getSocket,
    tls: {
      ...(!isIP(host) && { servername: host }),
      ...(additions.extraCa && { ca: trustedCertificates(additions.extraCa) }),
    },
    // The whole setup (DNS, connect, greeting, each handshake) fits in this; the phases have their own bounds.
    connectionTimeout: limits.dnsMs + limits.connectMs + 2 * limits.greetingMs,
    greetingTimeout: limits.greetingMs,
    socketTimeout: limits.socketMs,
    // Close at once when done or cancelled: no half-closed socket keeps the process (or the server) waiting.
    socketCloseTimeout: 0,
    logger: additions.logger,
    debug: true,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}


/** Plain connect, then STARTTLS: n8n's N8N_SMTP_SSL=false with N8N_SMTP_STARTTLS=true. */
export function expectsStartTls(mailer: N8nMailer): boolean {
  return !mailer.transport.secure && !mailer.transport.ignoreTLS;
}
