/**
 * How long the SMTP test and auto-detect wait for each step. n8n's own mailer has no bounds of its own
 * (nodemailer's defaults: 120 s connect, 30 s greeting, 10 min socket, a DNS lookup that can hang for
 * minutes), which is why a failing n8n "times out" after minutes; the test gives a verdict in seconds.
 */
export interface SmtpLimits {
  /** Our own `dns.lookup`, raced against this deadline (nodemailer 8 cannot bound its lookup). */
  dnsMs: number;
  /** TCP connect, from the first SYN to established. */
  connectMs: number;
  /** From connected to the server's 220 line, and for each TLS handshake. */
  greetingMs: number;
  /** Inactivity once the session runs (server silent after a command). */
  socketMs: number;
  /** Silence after connecting before a TLS handshake probe starts beside the plain session. */
  plainProbeAfterMs: number;
}

export const SMTP_LIMITS: SmtpLimits = {
  dnsMs: 5_000,
  connectMs: 8_000,
  greetingMs: 10_000,
  socketMs: 20_000,
  plainProbeAfterMs: 1_500,
};
