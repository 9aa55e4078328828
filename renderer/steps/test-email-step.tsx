/**
 * A real message through the transport n8n builds: live stages, Cancel, the verdict in one sentence, the
 * server's reply, one-click fixes, lint warnings, and the redacted transcript for whoever helps.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import type { ProfilePatch } from '../../shared/smtp/smtp-test-result.js';
import { api } from '../wizard/app-api.js';
import { Notice, TextField } from '../wizard/fields.js';
import { checkDraft, PROFILE_NAME } from '../wizard/profile-from-draft.js';
import { useSecretEndpointQuestion } from '../wizard/secret-endpoint-question.js';
import { TypedSecretField } from '../wizard/typed-secret-field.js';
import { useHeldSecret } from '../wizard/held-secret.js';
import { useFocusOutcome } from '../wizard/focus-outcome.js';
import { wizardErrorText } from '../wizard/wizard-errors.js';
import { typedSecretKind, typedSecrets } from '../wizard/typed-secret.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { TrustCertificate, TRUSTABLE_FAILURES } from '../wizard/trust-certificate.js';
import { SenderDomainCheck } from '../wizard/sender-domain-check.js';
import { NewHostKey, type HostKeyQuestion } from '../wizard/server-choice.js';
import { useWizard } from '../wizard/wizard-store.js';

type Stage = { stage: string; ms: number; detail?: string | undefined };
type TestResult = OutputOf<'testSmtp'>;

const STAGE_NAMES: Record<string, string> = {
  resolve: 'Look up the host',
  connect: 'Connect',
  tls: 'Encrypt (TLS)',
  greeting: 'Server greeting',
  ehlo: 'Introduce (EHLO)',
  starttls: 'Upgrade (STARTTLS)',
  auth: 'Log in',
  'mail-from': 'Sender accepted',
  'rcpt-to': 'Recipient accepted',
  data: 'Message sent',
  done: 'Done',
};

export default function TestEmailStep() {
  const draft = useWizard((s) => s.draft);
  const imported = useWizard((s) => s.imported);
  const update = useWizard((s) => s.update);
  const result = useWizard((s) => s.testResult);
  const set = useWizard((s) => s.set);
  const [stages, setStages] = useState<Stage[]>([]);
  const [runId, setRunId] = useState<string>();
  const [error, setError] = useState<string>();
  const [password, setPassword] = useState('');
  const [copied, setCopied] = useState(false);
  const live = useRef<string | undefined>(undefined);
  const question = useSecretEndpointQuestion();
  const heldSecret = useHeldSecret(draft);
  const outcome = useFocusOutcome();

  useEffect(() => api.onSmtpStage((event) => event.runId === live.current && setStages((s) => [...s, event])), []);
  // The stages belong to the result: when a changed setting clears it, they go too.
  useEffect(() => {
    if (!result && !runId) setStages([]);
  }, [result, runId]);

  // The test uses only the email settings: the public URL and proxy come later and must not hold it up.
  const check = checkDraft({ ...draft, publicUrl: 'https://n8n.example.com/', proxy: 'none', proxyHops: '' });
  const recipientOk = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/.test(draft.testTo);

  // The answer to the question is passed on at once: the store's update reaches `question.confirmed` only on the next render.
  // n8n's own server, when the wizard works on one: the test from there is one click away.
  const [server, setServer] = useState(draft.where === 'server' ? draft.server.trim() : '');
  const [sentFrom, setSentFrom] = useState<string>();
  const [hostKey, setHostKey] = useState<HostKeyQuestion>();
  const send = async (secretForNewServer = question.confirmed, onServer?: string) => {
    if (!check.ok) return;
    setSentFrom(onServer);
    setHostKey(undefined);
    const id = crypto.randomUUID();
    live.current = id;
    setRunId(id);
    setStages([]);
    setError(undefined);
    set({ testResult: undefined });
    const reply = await api.testSmtp({
      runId: id,
      profile: { ...check.profile, name: PROFILE_NAME },
      to: draft.testTo,
      ...(draft.outDir && { outDir: draft.outDir }),
      ...(typedSecretKind(draft) && password && { secrets: typedSecrets(draft, password) }),
      ...(secretForNewServer && { secretForNewServer }),
      ...(onServer && { onServer }),
      ...(onServer && { ...projectOnServer(draft, imported, onServer) }),
    });
    live.current = undefined;
    setRunId(undefined);
    // A secret given with the run is now held for this server: it is not asked again.
    if (password) {
      setPassword('');
      heldSecret.refresh();
    }
    if (reply.ok) set({ testResult: reply.data });
    else if (!question.ask(reply.error, () => void send(true, onServer))) setError(wizardErrorText(reply.error, draft));
    outcome.done();
  };
  // From the server: its host key must be known first; a new one is shown for the admin to check.
  const sendFromServer = async () => {
    setError(undefined);
    const target = server.trim();
    const known = await api.sshHostKey({ server: target });
    if (!known.ok) return void setError(`${known.error.message} ${known.error.fix ?? ''}`);
    if (known.data.known) return void send(question.confirmed, target);
    setHostKey({ server: target, name: known.data.name, keys: known.data.keys });
  };
  const trustAndSend = async (fingerprint: string) => {
    if (!hostKey) return;
    const trusted = await api.trustSshHostKey({ server: hostKey.server, fingerprint });
    if (!trusted.ok) return void setError(`${trusted.error.message} ${trusted.error.fix ?? ''}`);
    void send(question.confirmed, hostKey.server);
  };
  // A fix is tried at once: the test runs again with the changed settings (once the store has them).
  const rerun = useRef(false);
  const applyFix = (patch: ProfilePatch) => {
    update({ ...(patch.email.security && { security: patch.email.security }), ...(patch.email.port !== undefined && { port: String(patch.email.port) }) });
    set({ testResult: undefined });
    rerun.current = true;
  };
  // A trusted certificate becomes the CA file; the test runs again with it.
  const trustCertificate = (caFile: string) => {
    set({ testResult: undefined });
    // The same file again (trusted anew, or another choice for the same server): nothing changes in the draft, so run now.
    if (caFile === draft.caFile) return void send();
    update({ caFile });
    rerun.current = true;
  };
  useEffect(() => {
    if (!rerun.current) return;
    rerun.current = false;
    void send();
  }, [draft.security, draft.port, draft.caFile]);
  const copyDiagnostics = async () => {
    if (!result) return;
    await navigator.clipboard.writeText(JSON.stringify(result, null, 2)).then(() => setCopied(true), () => setCopied(false));
  };

  const blocker = !check.ok ? `To continue: ${check.problems[0]?.message}` : undefined;
  return (
    <>
      <StepHeading lead={`A real message through ${draft.host}:${draft.port}, sent exactly as n8n would send it.`}>Send a test email</StepHeading>
      <div className="row align-end">
        <TextField id="test-to" label="Send the test to" type="email" autoComplete="email" value={draft.testTo} onChange={(testTo) => update({ testTo })} />
        <TypedSecretField id="test-password" draft={draft} value={password} onChange={setPassword} held={heldSecret.held} />
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={Boolean(runId) || !recipientOk || !check.ok} onClick={() => void send()}>
          {runId ? 'Sending…' : 'Send test email'}
        </button>
        {runId && (
          <button type="button" className="secondary" onClick={() => void api.cancelSmtp({ runId })}>
            Cancel
          </button>
        )}
      </div>
      <details className="on-server">
        <summary>Send it from the server n8n runs on (SSH)</summary>
        <p className="hint">Cloud hosts often block mail ports that this computer reaches. This tool is copied to a temp folder on the server for the test, runs with its Node, and is removed; your ~/.ssh/config, agent and keys are used.</p>
        <div className="row align-end">
          <TextField id="test-server" label="Server (SSH)" hint="user@host, a Host from ~/.ssh/config, or ssh://user@host:2222" value={server} onChange={setServer} />
          <button type="button" className="secondary" disabled={Boolean(runId) || !recipientOk || !check.ok || !server.trim()} onClick={() => void sendFromServer()}>
            Send from the server
          </button>
        </div>
        {hostKey && <NewHostKey hostKey={hostKey} verb="and send" onTrust={(fingerprint) => void trustAndSend(fingerprint)} onCancel={() => setHostKey(undefined)} />}
      </details>
      {(runId || stages.length > 0) && (
        <ol className="stages" aria-label="Progress" aria-live="polite">
          {stages.map((s, i) => {
            const mark = stageMark(i === stages.length - 1, runId !== undefined, result);
            return (
              <li key={`${s.stage}-${s.ms}`} className={`stage-${mark}`}>
                <span aria-hidden="true" className="stage-mark">
                  {{ passed: '✓', running: '…', failed: '✗', stopped: '–' }[mark]}
                </span>{' '}
                <span>{STAGE_NAMES[s.stage] ?? s.stage}</span> <span className="visually-hidden">{STAGE_STATE_WORDS[mark]}</span>{' '}
                <span className="muted">
                  {s.ms} ms{s.detail ? ` · ${s.detail}` : ''}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div ref={outcome.ref} tabIndex={-1} className="outcome" role="group" aria-label="Result of the test">
        {error && <Notice tone="error">{error}</Notice>}
        {question.view}
        {result && sentFrom && <p className="muted">Sent from {sentFrom}, with this tool copied there for the test.</p>}
        {result && (
          <TestVerdict
            result={result}
            onFix={applyFix}
            onCopy={() => void copyDiagnostics()}
            copied={copied}
            trust={draft.security !== 'none' && <TrustCertificate host={draft.host} port={Number(draft.port)} security={draft.security} onTrusted={trustCertificate} />}
            delivery={<SenderDomainCheck sender={draft.sender} smtpHost={draft.host} />}
          />
        )}
      </div>
      <StepNav blocker={blocker} nextLabel={result?.ok ? 'Next' : 'Continue without a passing test'} />
    </>
  );
}

type StageMark = 'passed' | 'running' | 'failed' | 'stopped';

const STAGE_STATE_WORDS: Record<StageMark, string> = { passed: '(passed)', running: '(in progress)', failed: '(failed)', stopped: '(stopped)' };

/**
 * A stage is reported when it starts: it passed once a later one started, or when the message went
 * through. The last one is still running, failed (the test ended with a failure there), or stopped
 * (cancelled, or no answer came).
 */
function stageMark(last: boolean, running: boolean, result: TestResult | undefined): StageMark {
  if (!last || result?.ok) return 'passed';
  if (running) return 'running';
  return result ? 'failed' : 'stopped';
}

function TestVerdict({ result, onFix, onCopy, copied, trust, delivery }: { result: TestResult; onFix: (patch: ProfilePatch) => void; onCopy: () => void; copied: boolean; trust: ReactNode; delivery: ReactNode }) {
  return (
    <section className="verdict" aria-labelledby="verdict-heading">
      <h2 id="verdict-heading" className="visually-hidden">
        Result
      </h2>
      {result.ok ? (
        <>
          <Notice tone="success" title="The test email was accepted">
            <p>
              The server accepted the message for {result.accepted.join(', ')} in {result.ms} ms. Check that inbox (and its spam folder).
            </p>
            <p>
              Server reply: <code>{result.response}</code>
            </p>
          </Notice>
          {delivery}
        </>
      ) : (
        <Notice tone="error" title={`The test failed: ${result.class}`}>
          <p>{result.message}</p>
          {result.serverReply && (
            <p>
              Server reply: <code>{result.serverReply}</code>
            </p>
          )}
          {result.patch && (
            <button type="button" className="primary" onClick={() => onFix(result.patch as ProfilePatch)}>
              Apply fix: {describePatch(result.patch as ProfilePatch)}
            </button>
          )}
          {TRUSTABLE_FAILURES.has(result.class) && trust}
        </Notice>
      )}
      {result.warnings.length > 0 && (
        <div className="warnings">
          <h3>Warnings</h3>
          <ul>
            {result.warnings.map((w) => (
              <li key={w.code}>
                <code>{w.code}</code> {w.message}{' '}
                {w.patch && (
                  <button type="button" className="secondary" onClick={() => onFix(w.patch as ProfilePatch)}>
                    Apply fix: {describePatch(w.patch as ProfilePatch)}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      <details className="transcript">
        <summary>Conversation with the server (passwords removed)</summary>
        <pre>{result.transcript.map((line) => `${String(line.ms).padStart(5)} ${line.dir}: ${line.text}`).join('\n')}</pre>
      </details>
      <button type="button" className="secondary" onClick={onCopy}>
        {copied ? 'Copied' : 'Copy diagnostics'}
      </button>
    </section>
  );
}

function describePatch(patch: ProfilePatch): string {
  const parts: string[] = [];
  if (patch.email.security) parts.push(patch.email.security === 'starttls' ? 'use STARTTLS' : patch.email.security === 'tls' ? 'use TLS from the start' : 'no encryption');
  if (patch.email.port !== undefined) parts.push(`port ${patch.email.port}`);
  return parts.join(', ');
}

/**
 * The compose project on the server the test goes from, when the wizard works on that server's folder: a server
 * without Node then runs the test inside n8n's running container.
 */
function projectOnServer(draft: { where: string; server: string; outDir: string }, imported: { deployment?: { composeFile: string; services: Array<{ name: string; role?: string }> } } | undefined, onServer: string) {
  const main = imported?.deployment?.services.find((service) => service.role === 'main');
  if (draft.where !== 'server' || draft.server.trim() !== onServer || !draft.outDir || !imported?.deployment || !main) return {};
  return { inProject: { folder: draft.outDir, composeFile: imported.deployment.composeFile, service: main.name } };
}
