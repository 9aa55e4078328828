/**
 * Auto-detect: for a host, probe the submission ports in parallel — 465 with TLS from the first byte,
 * 587, 2525 and 25 plain with STARTTLS when offered — and recommend a setting. One DNS lookup for all;
 * the whole run takes as long as the slowest probe, which is bounded by connect + greeting time.
 *
 *   const found = await detectSmtp('smtp.example.com', { signal });
 */
import { diagnose, type SmtpFailureClass } from '../../shared/smtp/smtp-diagnoses.js';
import { SMTP_LIMITS, type SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { recommendSetting, type PortProbeResult, type SmtpRecommendation } from '../../shared/smtp/recommend-smtp-setting.js';
import { classifySmtpError, type SmtpErrorFacts } from '../../shared/smtp/classify-smtp-error.js';
import { NO_SESSION } from '../../shared/smtp/smtp-session.js';
import { resolveHost, systemLookup, type LookupHost } from './open-smtp-socket.js';
import { probeSmtpPort } from './probe-smtp-port.js';

import { DETECT_PORTS, type DetectPort } from './detect-smtp-ports.js';

export { DETECT_PORTS, type DetectPort };

export interface DetectOptions {
  /** Default DETECT_PORTS; tests probe fixtures on other ports. */
  ports?: readonly DetectPort[];
  signal?: AbortSignal;
  lookup?: LookupHost;
  limits?: Partial<SmtpLimits>;
  /** PEM of a private CA to accept as valid (the profile's caFile). */
  extraCa?: string;
}

export interface SmtpDetectResult {
  host: string;
  address?: string;
  ms: number;
  ports: PortProbeResult[];
  recommended?: SmtpRecommendation;
  /** Set when the host could not be probed at all (DNS), or nothing usable answered. */
  failure?: { class: SmtpFailureClass; message: string };
}

export async function detectSmtp(host: string, options: DetectOptions = {}): Promise<SmtpDetectResult> {
  const started = performance.now();
  const limits = { ...SMTP_LIMITS, ...options.limits };
  const elapsed = () => Math.round(performance.now() - started);
  let address: string;
  try {
    address = await resolveHost(host, { lookup: options.lookup ?? systemLookup, timeoutMs: limits.dnsMs, ...(options.signal && { signal: options.signal }) });
  } catch (error) {
    const failed = classifySmtpError(error as SmtpErrorFacts, { secure: false, ignoreTLS: false, port: 0, login: 'none', userWithoutSecret: false, to: '', session: NO_SESSION });
    return { host, ms: elapsed(), ports: [], failure: { class: failed, message: diagnose(failed, { host, port: 0, sender: '', to: '' }).message } };
  }
  const ports = await Promise.all(
    (options.ports ?? DETECT_PORTS).map((p) => probeSmtpPort({ host, address, ...p, limits, ...(options.extraCa && { extraCa: options.extraCa }), ...(options.signal && { signal: options.signal }) })),
  );
  const recommended = recommendSetting(ports);
  const result: SmtpDetectResult = { host, address, ms: elapsed(), ports, ...(recommended && { recommended }) };
  if (!recommended) {
    const cancelled = ports.some((p) => p.failure === 'CANCELLED');
    const failed: SmtpFailureClass = cancelled ? 'CANCELLED' : ports.every((p) => p.failure === 'CONNECT_TIMEOUT') ? 'CONNECT_TIMEOUT' : (ports[0]?.failure ?? 'CONNECTION_REFUSED');
    const message = cancelled
      ? diagnose('CANCELLED', { host, port: 0, sender: '', to: '' }).message
      : `No mail port of ${host} answered usefully (${ports.map((p) => `${p.port}: ${p.failure ?? 'no greeting'}`).join(', ')}): outgoing mail ports are probably blocked here, or the host is not a mail server.`;
    result.failure = { class: failed, message };
  }
  return result;
}
