/**
 * After a message was accepted: "accepted by the server" is not "in the inbox". The sender domain's DNS
 * (MX, SPF with the provider, its DKIM selectors, DMARC), each finding with its fix. Asked for, not run
 * by itself: it queries the public DNS for the admin's domain.
 */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from './app-api.js';
import { Notice } from './fields.js';

type Report = OutputOf<'checkSenderDomain'>;

const MARKS: Record<Report['findings'][number]['status'], { mark: string; words: string }> = {
  ok: { mark: '✓', words: 'in place' },
  warning: { mark: '!', words: 'needs attention' },
  'not-checked': { mark: '?', words: 'not checked' },
  info: { mark: 'i', words: 'note' },
};

export function SenderDomainCheck({ sender, smtpHost }: { sender: string; smtpHost: string }) {
  const [report, setReport] = useState<Report>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async () => {
    setBusy(true);
    setError(undefined);
    const reply = await api.checkSenderDomain({ sender, ...(smtpHost && { smtpHost }) });
    setBusy(false);
    if (reply.ok) setReport(reply.data);
    else setError(`${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}`);
  };
  return (
    <section className="sender-domain" aria-labelledby="sender-domain-heading">
      <h3 id="sender-domain-heading">Will it reach the inbox?</h3>
      <p className="muted">Accepted by the server is not yet delivered: receivers also judge the sender domain's DNS records.</p>
      <button type="button" className="secondary" disabled={busy || !sender.includes('@')} onClick={() => void run()}>
        {busy ? 'Looking up the sender domain…' : 'Check the sender domain'}
      </button>
      {error && <Notice tone="error">{error}</Notice>}
      {report && (
        <ul className="domain-findings" aria-label={`Sender domain ${report.domain}`}>
          {report.findings.map((finding, index) => (
            <li key={index} className={`finding-${finding.status}`}>
              <span aria-hidden="true" className="finding-mark">
                {MARKS[finding.status].mark}
              </span>{' '}
              <span className="visually-hidden">{MARKS[finding.status].words}: </span>
              {finding.message}
              {finding.fix && <span className="fix"> Fix: {finding.fix}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
