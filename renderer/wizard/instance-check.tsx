/** The done step's "Check my instance": asks the running n8n which settings it uses, as `n8n-setup check` does. */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from './app-api.js';
import { TextField } from './fields.js';
import { checkDraft, PROFILE_NAME } from './profile-from-draft.js';
import { useWizard } from './wizard-store.js';

type Report = OutputOf<'checkInstance'>;
type Finding = Report['findings'][number];

const TOPIC: Record<Finding['topic'], string> = { url: 'Instance URL', smtp: 'SMTP set up', cookie: 'Login cookie', push: 'Editor connection', proxy: 'Proxy hops' };
const STATUS: Record<Finding['status'], string> = { ok: 'as set up', mismatch: 'mismatch', unknown: 'unknown' };

export function InstanceCheck() {
  const draft = useWizard((s) => s.draft);
  const [url, setUrl] = useState(draft.publicUrl);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<{ message: string; fix?: string | undefined }>();

  const run = async () => {
    setBusy(true);
    setReport(undefined);
    setError(undefined);
    const check = checkDraft(draft);
    const reply = await api.checkInstance({ url: url.trim(), ...(check.ok && { profile: { ...check.profile, name: PROFILE_NAME } }) });
    setBusy(false);
    if (reply.ok) setReport(reply.data);
    else setError(reply.error);
  };

  return (
    <section className="panel" aria-labelledby="instance-check-heading">
      <h2 id="instance-check-heading">Check my instance</h2>
      <p className="muted">After docker compose up -d, ask n8n which URL, email and cookie settings it runs with, and compare them with this setup.</p>
      <TextField id="check-url" label="Address of n8n" type="url" hint="Its public address, or http://localhost:5678 on the server" value={url} onChange={setUrl} />
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !url.trim()} onClick={() => void run()}>
          {busy ? 'Checking…' : 'Check my instance'}
        </button>
      </div>
      <div className="check-results" aria-live="polite" aria-busy={busy}>
        {error && (
          <p className="error">
            Not reachable: {error.message} {error.fix}
          </p>
        )}
        {report && (
          <>
            <p>
              <strong>{report.ok ? 'n8n runs as set up.' : `${report.findings.filter((f) => f.status === 'mismatch').length} mismatch(es) found.`}</strong>
            </p>
            <ul className="findings">
              <li>
                <strong>Reachable:</strong> yes, {report.url} answered in {report.healthMs} ms.
              </li>
              {report.findings.map((finding) => (
                <FindingItem key={finding.code} finding={finding} />
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={`finding finding-${finding.status}`}>
      <strong>
        {TOPIC[finding.topic]}: {STATUS[finding.status]}.
      </strong>{' '}
      {finding.message}
      {finding.status === 'mismatch' && (
        <>
          {finding.causes && finding.causes.length > 0 && (
            <>
              <p>Likely causes, most likely first:</p>
              <ol>
                {finding.causes.map((cause) => (
                  <li key={cause}>{cause}</li>
                ))}
              </ol>
            </>
          )}
          {finding.fix && (
            <p>
              <strong>Fix:</strong> {finding.fix}
            </p>
          )}
        </>
      )}
    </li>
  );
}
