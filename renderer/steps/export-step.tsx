/** Writes the files (with backups of what they replace), and lets the admin put a backup back. */
import { useEffect, useRef, useState } from 'react';
import { api } from '../wizard/app-api.js';
import { exportRequest, onServer, shownFolder } from '../wizard/export-request.js';
import { Notice } from '../wizard/fields.js';
import { useSecretEndpointQuestion } from '../wizard/secret-endpoint-question.js';
import { TypedSecretField } from '../wizard/typed-secret-field.js';
import { useHeldSecret } from '../wizard/held-secret.js';
import { useFocusOutcome } from '../wizard/focus-outcome.js';
import { wizardErrorText } from '../wizard/wizard-errors.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useUnusedSecretRemoval } from '../wizard/unused-secrets-choice.js';
import { useWizard } from '../wizard/wizard-store.js';
import { ReportView } from './review-step.js';
import { EarlierExports } from '../wizard/earlier-exports.js';

type ServerStep = 'locked' | 'staged' | 'done';

/** What each step of a write on a server means, in the order the server reaches them. */
const SERVER_STEPS: ReadonlyArray<{ step: ServerStep; label: string }> = [
  { step: 'locked', label: 'Folder locked: no other run writes there meanwhile' },
  { step: 'staged', label: 'New contents on the server, nothing replaced yet' },
  { step: 'done', label: 'Files replaced, each old one backed up beside it' },
];

export default function ExportStep() {
  const draft = useWizard((s) => s.draft);
  const result = useWizard((s) => s.exportResult);
  const set = useWizard((s) => s.set);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const question = useSecretEndpointQuestion();
  const heldSecret = useHeldSecret(draft);
  const outcome = useFocusOutcome();
  // The secrets ticked for removal on the review go with the write, exactly as the review showed them.
  const removal = useUnusedSecretRemoval(draft.outDir);
  const ready = exportRequest(draft, password, question.confirmed, removal.keys) !== undefined;


  // Back on this step with no result in hand (after a restart, say): a dry run tells whether the folder already
  // holds exactly these settings, so that Next is not held for files that are written.
  const [upToDate, setUpToDate] = useState(false);
  const checkKey = JSON.stringify(exportRequest(draft, '', false, removal.keys) ?? null);
  useEffect(() => {
    setUpToDate(false);
    const request = exportRequest(draft, '', false, removal.keys);
    if (result || !request) return;
    let current = true;
    void api.previewExport(request).then((reply) => current && setUpToDate(reply.ok && reply.data.changes.length === 0 && reply.data.files.every((file) => file.action === 'unchanged')));
    return () => {
      current = false;
    };
  }, [checkKey, Boolean(result)]);

  // On a server: the write's steps as they happen, and Stop until the files are replaced.
  const [steps, setSteps] = useState<ServerStep[]>([]);
  const [runId, setRunId] = useState<string>();
  const live = useRef<string | undefined>(undefined);
  useEffect(() => api.onExportStep((event) => event.runId === live.current && setSteps((all) => (all.includes(event.step) ? all : [...all, event.step]))), []);

  // The answer to the question is passed on at once: the store's update reaches `question.confirmed` only on the next render.
  const write = async (secretForNewServer = question.confirmed) => {
    const request = exportRequest(draft, password, secretForNewServer, removal.keys);
    if (!request) return;
    setBusy(true);
    setError(undefined);
    setSteps([]);
    const id = request.server ? crypto.randomUUID() : undefined;
    live.current = id;
    setRunId(id);
    const reply = await api.writeExport({ ...request, ...(id && { runId: id }) });
    live.current = undefined;
    setRunId(undefined);
    setBusy(false);
    if (request.secrets) heldSecret.refresh();
    if (reply.ok) {
      set({ exportResult: reply.data });
      removal.clear();
      setPassword('');
    } else if (!question.ask(reply.error, () => void write(true))) {
      removal.untickIfRefused(reply.error);
      setError(wizardErrorText(reply.error, draft));
    }
    outcome.done();
  };


  return (
    <>
      <StepHeading lead={`The files go into ${shownFolder(draft)}. Every file replaced is backed up first. To write elsewhere, go back to the review.`}>Export</StepHeading>
      {!result && <TypedSecretField id="export-password" draft={draft} value={password} onChange={setPassword} held={heldSecret.held} />}
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !ready} onClick={() => void write()}>
          {busy ? 'Writing…' : result ? 'Write again' : 'Write the files'}
        </button>
        {runId && !steps.includes('staged') && (
          <button type="button" className="secondary" onClick={() => void api.cancelSmtp({ runId })}>
            Stop
          </button>
        )}
      </div>
      {(runId || steps.length > 0) && (
        <ol className="stages" aria-label="On the server" aria-live="polite">
          {SERVER_STEPS.map(({ step, label }) => (
            <li key={step} className={steps.includes(step) ? 'stage-passed' : 'stage-pending'}>
              <span aria-hidden="true" className="stage-mark">
                {steps.includes(step) ? '✓' : '·'}
              </span>{' '}
              {label}
              {!steps.includes(step) && <span className="visually-hidden"> (not yet)</span>}
            </li>
          ))}
        </ol>
      )}
      <div ref={outcome.ref} tabIndex={-1} className="outcome" role="group" aria-label="Result of the export">
        {error && <Notice tone="error">{error}</Notice>}
        {question.view}
        {result && (
          <Notice tone="success" title="The files are written">
            <p>{draft.where === 'server' ? `They are on ${draft.server.trim()}: apply them there with docker compose up -d (the next step shows the command).` : 'Apply them on the server with docker compose up -d (the next step explains).'}</p>
          </Notice>
        )}
      </div>
      {result && (
        <>
          {result.generatedEncryptionKey && (
            <Notice tone="warning" title="Store this encryption key now">
              <p>
                A new N8N_ENCRYPTION_KEY was generated: <code>{result.generatedEncryptionKey}</code>. Keep a copy in your password manager; n8n cannot decrypt its credentials without it.
              </p>
            </Notice>
          )}
          <ReportView report={result} />
        </>
      )}
      <EarlierExports outDir={draft.outDir} server={onServer(draft).server} refreshKey={result} onRestored={() => set({ exportResult: undefined })} />
      {!result && upToDate && <Notice tone="success" title="The folder already holds these settings">Nothing would change: write again only after changing something.</Notice>}
      <StepNav blocker={result || upToDate ? undefined : 'To continue: write the files.'} />
    </>
  );
}
