/**
 * The certificates an SMTP server presents, for "Trust this server's certificate": one connection (TLS
 * from the first byte, or STARTTLS), the chain read whatever its validity, then QUIT. No login, no mail.
 * Bounded like an auto-detect probe; a cancel stops it.
 */
import { X509Certificate } from 'node:crypto';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { ServerCertificate } from '../../shared/smtp/server-certificate.js';
import { diagnose, type SmtpFailureClass } from '../../shared/smtp/smtp-diagnoses.js';
import { classifySmtpError, type SmtpErrorFacts } from '../../shared/smtp/classify-smtp-error.js';
import { NO_SESSION } from '../../shared/smtp/smtp-session.js';
import { SMTP_LIMITS, type SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { resolveHost, systemLookup } from './open-smtp-socket.js';
import { probeSmtpPort } from './probe-smtp-port.js';

export interface CertificateChainResult {
  /** The server's own certificate first, then what it sent to chain it (issuers), as sent. */
  chain: ServerCertificate[];
  failure?: { class: SmtpFailureClass; message: string };
}

/** Most chains are 2–4 certificates; a server that sends more is not trusted for more. */
const MAX_CHAIN = 10;

export async function fetchCertificateChain(target: { host: string; port: number; security: 'tls' | 'starttls' }, options: { signal?: AbortSignal; limits?: Partial<SmtpLimits> } = {}): Promise<CertificateChainResult> {
  const limits = { ...SMTP_LIMITS, ...options.limits };
  const context = { host: target.host, port: target.port, sender: '', to: '' };
  let address: string;
  try {
    address = await resolveHost(target.host, { lookup: systemLookup, timeoutMs: limits.dnsMs, ...(options.signal && { signal: options.signal }) });
  } catch (error) {
    const failed = classifySmtpError(error as SmtpErrorFacts, { secure: false, ignoreTLS: false, port: target.port, login: 'none', userWithoutSecret: false, to: '', session: NO_SESSION });
    return { chain: [], failure: { class: failed, message: diagnose(failed, context).message } };
  }
  let chain: ServerCertificate[] = [];
  const probe = await probeSmtpPort({
    host: target.host,
    address,
    port: target.port,
    mode: target.security,
    limits,
    ...(options.signal && { signal: options.signal }),
    onTls: (socket) => {
      chain = readChain(socket);
    },
  });
  if (chain.length > 0) return { chain };
  const failed: SmtpFailureClass = probe.failure ?? (target.security === 'starttls' && probe.startTlsOffered === false ? 'STARTTLS_NOT_OFFERED' : 'CONNECTION_CLOSED');
  return { chain: [], failure: { class: failed, message: diagnose(failed, context).message } };
}

function readChain(socket: TLSSocket): ServerCertificate[] {
  const chain: ServerCertificate[] = [];
  let peer: PeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (peer?.raw && !seen.has(peer.fingerprint256) && chain.length < MAX_CHAIN) {
    seen.add(peer.fingerprint256);
    chain.push(describeCertificate(new X509Certificate(peer.raw)));
    peer = (peer as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
  }
  return chain;
}

export function describeCertificate(certificate: X509Certificate): ServerCertificate {
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    sha256: certificate.fingerprint256,
    sha1: certificate.fingerprint,
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    selfSigned: certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey),
    ca: certificate.ca,
    pem: certificate.toString(),
  };
}

/** "CN=mail.example.com\nO=Example" → "CN=mail.example.com, O=Example". */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}
