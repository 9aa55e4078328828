/**
 * The CAs a TLS connection of the test trusts: Node's own store plus the admin's private CA. Setting `ca`
 * replaces Node's store, so the list starts from what Node holds — NODE_EXTRA_CA_CERTS included where
 * Node can list it (getCACertificates, Node ≥ 22.15), the bundled roots on older Node.
 */
import * as tls from 'node:tls';

export function trustedCertificates(extraCa: string | undefined): string[] | undefined {
  if (!extraCa) return undefined;
  const base = typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates];
  return [...base, extraCa];
}
