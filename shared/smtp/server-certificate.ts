/** A certificate an SMTP server presented, as the trust question shows it (public data: no secret in it). */
export interface ServerCertificate {
  subject: string;
  issuer: string;
  /** Colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  sha256: string;
  sha1: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** May sign other certificates (basicConstraints CA:TRUE). */
  ca: boolean;
  pem: string;
}

/**
 * The certificate to trust by default: the self-signed top of what the server sent (its root CA, or its own
 * self-signed certificate), else the highest CA it sent. None when it sends only its own certificate, signed
 * by a CA it does not send: Node (and so n8n) cannot anchor trust in that certificate alone.
 */
export function certificateToTrust(chain: readonly ServerCertificate[]): ServerCertificate | undefined {
  return chain.find((certificate) => certificate.selfSigned) ?? chain.findLast((certificate) => certificate.ca);
}
