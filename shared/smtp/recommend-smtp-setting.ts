/**
 * Auto-detect's verdict: what each probed port showed, and the setting to use. A port that encrypts with a
 * certificate n8n accepts beats one that does not; among equals, one that offers a login, then the
 * probe order (465, 587, 2525, 25).
 */
import type { Security } from '../profile/profile-schema.js';
import type { SmtpFailureClass } from './smtp-diagnoses.js';
import type { ProfilePatch } from './smtp-test-result.js';

export interface PortProbeResult {
  port: number;
  /** "tls": TLS from the first byte; "starttls": plain, upgraded when the server offers STARTTLS. */
  mode: 'tls' | 'starttls';
  ms: number;
  /** A TCP connection was accepted. */
  reachable: boolean;
  /** The 220 line (after the handshake in "tls" mode). */
  greeting?: string;
  startTlsOffered?: boolean;
  /** The session got encrypted (handshake done, whatever the certificate). */
  tls: boolean;
  certificate?: { valid: boolean; problem?: SmtpFailureClass; subject?: string; validTo?: string };
  /** From the last EHLO reply (after TLS where there was TLS). */
  authMechanisms: string[];
  /** Why the port is unusable, when it is. */
  failure?: SmtpFailureClass;
}

export interface SmtpRecommendation {
  port: number;
  security: Security;
  patch: ProfilePatch;
  variables: { N8N_SMTP_PORT: string; N8N_SMTP_SSL: string; N8N_SMTP_STARTTLS: string };
  reason: string;
}

export function recommendSetting(probes: readonly PortProbeResult[]): SmtpRecommendation | undefined {
  // A probe that failed after the greeting (a stalled handshake, a reset, garbage) shows nothing usable.
  const usable = probes.filter((p) => p.reachable && p.greeting !== undefined && p.failure === undefined);
  const score = (p: PortProbeResult) => (p.tls ? (p.certificate?.valid ? 4 : 2) : 0) + (p.authMechanisms.length ? 1 : 0);
  const best = usable.reduce<PortProbeResult | undefined>((top, p) => (top === undefined || score(p) > score(top) ? p : top), undefined);
  if (!best) return undefined;
  const security: Security = best.tls ? best.mode : 'none';
  const login = best.authMechanisms.length ? `offers login (${best.authMechanisms.join(' ')})` : 'offers no login';
  const encryption = !best.tls
    ? 'answers without encryption (no STARTTLS): mail and passwords would travel in plain text'
    : best.certificate?.valid
      ? `answers with ${best.mode === 'tls' ? 'implicit TLS' : 'STARTTLS'} and a certificate n8n accepts`
      : `answers with ${best.mode === 'tls' ? 'implicit TLS' : 'STARTTLS'}, but n8n will reject its certificate (${best.certificate?.problem ?? 'invalid'})`;
  return {
    port: best.port,
    security,
    patch: { email: { port: best.port, security } },
    variables: { N8N_SMTP_PORT: String(best.port), N8N_SMTP_SSL: String(security === 'tls'), N8N_SMTP_STARTTLS: String(security === 'starttls') },
    reason: `Port ${best.port} ${encryption}, and ${login}.`,
  };
}
