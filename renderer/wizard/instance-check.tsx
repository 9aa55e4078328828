/**
 * The done step's "Check my instance": asks the running n8n which settings it uses, as `n8n-setup check` does;
 * with the owner's login (typed here, kept in this component only, never saved) it also opens the editor's
 * live connection through the URL and can make n8n's own mailer send one invitation or password reset.
 */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from './app-api.js';
import { TextField } from './fields.js';
import { checkDraft, PROFILE_NAME } from './profile-from-draft.js';
import { useWizard } from './wizard-store.js';

type Report = OutputOf<'checkInstance'>;
type Finding = Report['findings'][number];
type MailResult = OutputOf<'sendThroughN8n'>;
type Problem = { message: string; fix?: string | undefined };

const TOPIC: Record<Finding['topic'], string> = { url: 'Instance URL', smtp: 'SMTP set up', cookie: 'Login cookie', push: 'Editor connection', proxy: 'Proxy hops' };
const STATUS: Record<Finding['status'], string> = { ok: 'as set up', mismatch: 'mismatch', unknown: 'unknown' };

export function InstanceCheck() {
  const draft = useWizard((s) => s.draft);
  const [url, setUrl] = useState(draft.publicUrl);
  const [ownerEmail, setOwnerEmail] = useState('');
  const [ownerPassword, setOwnerPassword] = useState('');
  const [mfaCode, setMfaCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<Problem>();

  const login = ownerEmail.trim() && ownerPassword ? { email: ownerEmail.trim(), password: ownerPassword, ...(mfaCode.trim() && { mfaCode: mfaCode.trim() }) } : undefined;
  const profile = () => {
    const check = checkDraft(draft);
    return check.ok ? { profile: { ...check.profile, name: PROFILE_NAME } } : {};
  };

  const run = async () => {
    setBusy(true);
    setReport(undefined);
    setError(undefined);
    const reply = await api.checkInstance({ url: url.trim(), ...profile(), ...(login && { login }) });
    setBusy(false);
    if (reply.ok) setReport(reply.data);
    else setError(reply.error);
  };

  return (
    <section className="panel" aria-labelledby="instance-check-heading">
      <h2 id="instance-check-heading">Check my instance</h2>
      <p className="muted">After docker compose up -d, ask n8n which URL, email and cookie settings it runs with, and compare them with this setup.</p>
      <TextField id="check-url" label="Address of n8n" type="url" hint="Its public address, or http://localhost:5678 on the server" value={url} onChange={setUrl} />
      <fieldset className="owner-login">
        <legend>Sign in as the owner (optional)</legend>
        <p className="hint">Also opens the editor's live connection through this address, as a browser does, to find what a proxy breaks; and lets n8n send a test invitation. Sent to n8n only, never saved.</p>
        <TextField id="owner-email" label="Owner email" type="email" autoComplete="username" value={ownerEmail} onChange={setOwnerEmail} />
        <TextField id="owner-password" label="Owner password" type="password" autoComplete="current-password" value={ownerPassword} onChange={setOwnerPassword} />
        <TextField id="owner-mfa" label="Two-factor code (if the owner has it on)" inputMode="numeric" width="short" value={mfaCode} onChange={setMfaCode} />
      </fieldset>
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
      <MailThroughN8n url={url.trim()} login={login} profile={profile} />
    </section>
  );
}

/** n8n's own mailer, for real: one invitation (n8n's verdict) or one password reset, each asked for first. */
function MailThroughN8n({ url, login, profile }: { url: string; login: { email: string; password: string; mfaCode?: string } | undefined; profile: () => object }) {
  const [to, setTo] = useState('');
  const [asking, setAsking] = useState<'invite-test' | 'send-reset'>();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<MailResult>();
  const [error, setError] = useState<Problem>();

  const send = async (kind: 'invite-test' | 'send-reset') => {
    setAsking(undefined);
    setSending(true);
    setResult(undefined);
    setError(undefined);
    const mail = kind === 'invite-test' && login ? { kind, to: to.trim(), login } : { kind: 'send-reset' as const, to: login?.email ?? '' };
    const reply = await api.sendThroughN8n({ url, ...profile(), mail });
    setSending(false);
    if (reply.ok) setResult(reply.data);
    else setError(reply.error);
  };
  const question =
    asking === 'invite-test'
      ? `n8n at ${url} sends one invitation to ${to.trim()}; it is deleted again right after.`
      : `n8n at ${url} sends one password reset email to ${login?.email ?? ''}. n8n does not say whether it went out: only that inbox can.`;

  return (
    <div className="mail-through-n8n">
      <h3>Send through n8n's own mailer</h3>
      <p className="muted">Sign in above first. The test on the SMTP step used the same settings; this makes the running n8n send, with what it really has.</p>
      <TextField id="invite-test-to" label="Invite (an inbox you read)" type="email" hint="e.g. you+n8n-test@example.com; an address n8n does not know yet" value={to} onChange={setTo} />
      <div className="actions">
        <button type="button" className="secondary" disabled={sending || !login || !url || !to.trim()} onClick={() => setAsking('invite-test')}>
          Send a test invitation…
        </button>
        <button type="button" className="secondary" disabled={sending || !login || !url} onClick={() => setAsking('send-reset')}>
          Send a password reset to the owner…
        </button>
      </div>
      {asking && (
        <div className="confirm" role="group" aria-label="Send this email?">
          <p>{question}</p>
          <button type="button" className="primary" onClick={() => void send(asking)}>
            Send
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setAsking(undefined)}>
            Cancel
          </button>
        </div>
      )}
      <div className="mail-result" aria-live="polite" aria-busy={sending}>
        {sending && <p>Sending through n8n…</p>}
        {error && (
          <p className="error">
            {error.message} {error.fix}
          </p>
        )}
        {result?.kind === 'invite-test' && (
          <div className={`finding finding-${result.ok ? 'ok' : 'mismatch'}`}>
            <p>
              <strong>{result.ok ? 'Sent:' : 'Not sent:'}</strong> {result.message}
            </p>
            {result.n8nError && (
              <p>
                <strong>n8n said:</strong> <code>{result.n8nError}</code>
              </p>
            )}
            {result.variables.length > 0 && (
              <p>
                <strong>Change:</strong> {result.variables.join(', ')}
              </p>
            )}
            <p>{result.removed ? 'The test invitation was deleted again.' : result.leftOver}</p>
          </div>
        )}
        {result?.kind === 'send-reset' && (
          <p className="finding finding-unknown">
            <strong>Asked:</strong> {result.message}
          </p>
        )}
      </div>
    </div>
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
