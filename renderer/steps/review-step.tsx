/** Every file the export would write or change, key by key against what is there, and where secrets go. */
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from '../wizard/app-api.js';
import { exportRequest, folderReady, isAbsolute } from '../wizard/export-request.js';
import { Notice, TextField } from '../wizard/fields.js';
import { checkDraft } from '../wizard/profile-from-draft.js';
import { FolderField } from '../wizard/folder-field.js';
import { TOOL_FILE } from '../../shared/export/tool-file.js';
import { changesNoServiceShows, shownValue } from '../../shared/export/service-change-words.js';
import { ServiceChangesView } from '../wizard/service-changes-view.js';
import { FileDiffsView } from '../wizard/file-diffs-view.js';
import { useSecretEndpointQuestion } from '../wizard/secret-endpoint-question.js';
import { TypedSecretField } from '../wizard/typed-secret-field.js';
import { useHeldSecret } from '../wizard/held-secret.js';
import { wizardErrorText } from '../wizard/wizard-errors.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { UnusedSecretsChoice, useUnusedSecretRemoval } from '../wizard/unused-secrets-choice.js';
import { useWizard } from '../wizard/wizard-store.js';

type Report = OutputOf<'previewExport'>;

export default function ReviewStep() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const set = useWizard((s) => s.set);
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [password, setPassword] = useState('');
  const question = useSecretEndpointQuestion();
  const heldSecret = useHeldSecret(draft);
  const removal = useUnusedSecretRemoval(draft.outDir);
  const request = exportRequest(draft, password, question.confirmed, removal.keys);
  const requestKey = JSON.stringify(request ?? null);

  useEffect(() => {
    if (!request) return;
    let current = true;
    const timer = setTimeout(() => {
      void api.previewExport(request).then((result) => {
        if (!current) return;
        // A password typed here is now held for this server: the export step does not ask again.
        if (request.secrets) heldSecret.refresh();
        setReport(result.ok ? result.data : undefined);
        if (!result.ok) removal.untickIfRefused(result.error);
        // The question is asked instead; once answered "use it", the request changes and the preview runs again.
        setError(result.ok || question.ask(result.error) ? undefined : wizardErrorText(result.error, draft));
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [requestKey]);

  const check = checkDraft(draft);
  const onAServer = draft.where === 'server';
  const folderProblem = !draft.outDir ? undefined : onAServer ? (draft.outDir.startsWith('/') ? undefined : 'Folder on the server must be an absolute path (/opt/n8n).') : isAbsolute(draft.outDir) ? undefined : 'Compose project folder must be an absolute path.';
  const blocker = !check.ok ? `To continue: ${check.problems[0]?.message}` : !folderReady(draft) ? 'To continue: enter the folder of the compose project (an absolute path).' : !report ? 'Waiting for the preview.' : undefined;
  const changeFolder = (outDir: string) => {
    update({ outDir });
    // A result shown on the export step belongs to the folder it was written to.
    set({ exportResult: undefined });
  };
  return (
    <>
      <StepHeading lead="Nothing has been written yet. This is every change the export will make.">Review the changes</StepHeading>
      <div className="row align-end">
        {onAServer ? (
          <TextField id="out-dir" label="Folder on the server" hint={`On ${draft.server.trim()}: where docker-compose.yml and .env live (or will), e.g. /opt/n8n`} value={draft.outDir} onChange={changeFolder} error={folderProblem} />
        ) : (
          <FolderField id="out-dir" label="Compose project folder" hint="Where docker-compose.yml and .env live (or will), e.g. /srv/n8n" value={draft.outDir} onChange={changeFolder} error={folderProblem} />
        )}
        <TypedSecretField id="review-password" draft={draft} value={password} onChange={setPassword} held={heldSecret.held} />
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {question.view}
      {report && <ReportView report={report} />}
      {report && <UnusedSecretsChoice report={report} outDir={draft.outDir} />}
      <StepNav blocker={blocker} />
    </>
  );
}

export function ReportView({ report }: { report: Report }) {
  return (
    <>
      <section className="panel" aria-labelledby="files-heading">
        <h2 id="files-heading">Files</h2>
        <ul className="files">
          {report.files.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> <span className={`tag tag-${f.action}`}>{actionWords(f.action)}</span>
              {f.mode && <span className="muted"> permissions {f.mode}</span>}
              {f.backup && <span className="muted"> · backup {f.backup}</span>}
              {f.path === TOOL_FILE && <span className="muted"> · this tool as one file, for the commands on the last step</span>}
            </li>
          ))}
        </ul>
      </section>
      {report.services ? (
        <>
          <ServiceChangesView services={report.services} />
          <OtherChanges changes={changesNoServiceShows(report.changes, report.services)} />
        </>
      ) : (
        <KeyChangesPanel changes={report.changes} />
      )}
      <FileDiffsView report={report} />
      {report.secrets.length > 0 && (
        <section className="panel" aria-labelledby="secrets-heading">
          <h2 id="secrets-heading">Where secrets go</h2>
          <ul>
            {report.secrets.map((s) => {
              const mode = report.files.find((f) => f.path === s.file)?.mode;
              return (
                <li key={s.variable}>
                  <code>{s.variable}</code> → <code>{s.file}</code>
                  {mode && ` (permissions ${mode})`}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {report.warnings.length > 0 && (
        <Notice tone="warning" title="Worth knowing">
          <ul>
            {report.warnings.map((w) => (
              <li key={`${w.code}-${w.field ?? ''}`}>{w.message}</li>
            ))}
          </ul>
        </Notice>
      )}
    </>
  );
}

/** Beside the changes per service: what changes in the files that no service reads (a secret nothing reads, removed). */
function OtherChanges({ changes }: { changes: Report['changes'] }) {
  if (changes.length === 0) return null;
  return <KeyChangesPanel changes={changes} title="Changed keys no service reads" />;
}

/** Without changes per service (a new folder, or a compose file written whole): every changed key, file by file. */
function KeyChangesPanel({ changes, title = 'Changed keys' }: { changes: Report['changes']; title?: string }) {
  return (
    <section className="panel" aria-labelledby="changes-heading">
      <h2 id="changes-heading">{title}</h2>
      {changes.length === 0 ? (
        <p>No key changes: the files already say this.</p>
      ) : (
        <table className="diff">
          <caption className="visually-hidden">{title}, secrets masked</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Key</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={`${c.file}:${c.key}`} className={`diff-${c.action}`}>
                <td>{c.file}</td>
                <th scope="row">
                  <code>{c.key}</code>
                </th>
                <td>{c.before === undefined ? <span className="muted">(none)</span> : <code>{shownValue(c.before)}</code>}</td>
                <td>{c.after === undefined ? <span className="muted">(removed)</span> : <code>{shownValue(c.after)}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function actionWords(action: Report['files'][number]['action']): string {
  return { created: 'created', updated: 'updated', unchanged: 'unchanged', removed: 'removed', 'would-create': 'will be created', 'would-update': 'will be changed' }[action];
}
