/**
 * "Trust this server's certificate", for a test that failed on a self-signed or private-CA certificate (never
 * on a name mismatch): the certificates the server presents, with their fingerprints to compare; the chosen
 * one becomes the CA file and the test runs again.
 */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { certificateToTrust } from '../../shared/smtp/server-certificate.js';
import { api } from './app-api.js';
import { Notice } from './fields.js';

type Chain = OutputOf<'smtpCertificates'>['chain'];

/** The failures trusting a certificate fixes. A hostname mismatch is not one: the server must be named as its certificate says. */
export const TRUSTABLE_FAILURES: ReadonlySet<string> = new Set(['CERT_SELF_SIGNED', 'CERT_UNTRUSTED']);

export function TrustCertificate({ host, port, security, onTrusted }: { host: string; port: number; security: 'tls' | 'starttls'; onTrusted: (caFile: string) => void }) {
  const [chain, setChain] = useState<Chain>();
  const [chosen, setChosen] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const fetchChain = async () => {
    setBusy(true);
    setError(undefined);
    const reply = await api.smtpCertificates({ host, port, security });
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    if (reply.data.failure) return setError(reply.data.failure.message);
    setChain(reply.data.chain);
    setChosen(certificateToTrust(reply.data.chain)?.sha256);
  };
  const trust = async () => {
    const certificate = chain?.find((c) => c.sha256 === chosen);
    if (!certificate) return;
    setBusy(true);
    const reply = await api.trustSmtpCertificate({ host, port, pem: certificate.pem });
    setBusy(false);
    if (reply.ok) onTrusted(reply.data.caFile);
    else setError(reply.error.message);
  };

  if (!chain) {
    return (
      <div className="trust">
        <button type="button" className="primary" disabled={busy} onClick={() => void fetchChain()}>
          {busy ? 'Fetching the certificates…' : "Trust this server's certificate…"}
        </button>
        {error && <Notice tone="error">{error}</Notice>}
      </div>
    );
  }
  return (
    <fieldset className="trust panel">
      <legend>Which certificate should n8n trust for {host}?</legend>
      <p>
        Compare the SHA-256 fingerprint with the one the mail server's administrator gives you. Trusting the wrong certificate would let whoever sits in between read the mail and the password.
      </p>
      {chain.map((certificate, index) => (
        <label key={certificate.sha256} className="certificate">
          <input
            type="radio"
            name="trust-certificate"
            checked={chosen === certificate.sha256}
            disabled={!certificate.ca && !certificate.selfSigned}
            onChange={() => setChosen(certificate.sha256)}
            aria-labelledby={`certificate-${index}`}
            aria-describedby={`certificate-${index}-details`}
          />
          <span>
            <strong id={`certificate-${index}`}>{certificate.subject}</strong>{' '}
            <span id={`certificate-${index}-details`}>
            <span className="muted">{index === 0 ? '(the server itself' : '(sent to chain it'}{certificate.selfSigned ? ', self-signed' : ''}{certificate.ca ? ', a CA' : ''})</span>
            <br />
            Issued by {certificate.issuer} · valid until {new Date(certificate.validTo).toLocaleDateString()}
            <br />
            SHA-256 <code className="fingerprint">{certificate.sha256}</code>
            </span>
          </span>
        </label>
      ))}
      {!chosen && (
        <Notice tone="warning" title="The server does not send its CA">
          <p>It presents only its own certificate, which cannot be trusted on its own. Ask the mail server's administrator for the CA certificate (PEM) and enter its path as the CA file on the Mail server step.</p>
        </Notice>
      )}
      {error && <Notice tone="error">{error}</Notice>}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !chosen} onClick={() => void trust()}>
          Trust it and test again
        </button>
        <button type="button" className="secondary" onClick={() => setChain(undefined)}>
          Cancel
        </button>
      </div>
      <p className="muted">It is saved as this server's CA file; the export copies it into the folder as certs/smtp-ca.pem for n8n.</p>
    </fieldset>
  );
}
