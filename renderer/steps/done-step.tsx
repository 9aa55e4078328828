/** What to do on the server now, with commands built from what the export wrote, and a check of the running n8n. */
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { doneCommands } from '../../shared/export/done-commands.js';
import { api } from '../wizard/app-api.js';
import { CommandBlock } from '../wizard/command-block.js';
import { exportRequest } from '../wizard/export-request.js';
import { StepHeading } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';
import { InstanceCheck } from '../wizard/instance-check.js';
import { ApplyNow } from '../wizard/apply-now.js';
import { commandInFolder, parseSshTarget, type RemoteLocation } from '../../shared/remote/remote-location.js';
import type { WizardDraft } from '../wizard/wizard-draft.js';

type Report = OutputOf<'writeExport'>;

export default function DoneStep() {
  const draft = useWizard((s) => s.draft);
  const written = useWizard((s) => s.exportResult);
  const { report, problem } = useFolderReport(written);
  const smtp = draft.emailMode === 'smtp';
  // Until the folder is read, only what holds for any folder is shown: no guessed file or service names.
  const given = report ? doneCommands({ project: report.project, files: report.files.map((file) => file.path), to: draft.testTo, smtp }) : undefined;
  const folder = draft.outDir || 'the compose project folder';
  // On a server: each command as typed here, through ssh into the folder there.
  const there = serverLocation(draft);
  const wrap = (command: string, tty = false) => (there ? commandInFolder(there, command, { tty }) : command);
  // docker compose exec wants a terminal: through ssh, -t gives it one.
  const commands = given && { ...given, up: wrap(given.up), ...(given.hostTest && { hostTest: wrap(given.hostTest) }), ...(given.containerTest && { containerTest: wrap(given.containerTest, true) }) };
  return (
    <>
      <StepHeading lead={there ? `The files are in place on ${draft.server.trim()}, in ${folder}. From this computer:` : `The files are in place. On the server, in ${folder}:`}>Done</StepHeading>
      <ol className="next-steps">
        <li>
          <h2 className="step-item">Recreate n8n with the new settings</h2>
          <CommandBlock label="Recreate n8n" command={commands?.up ?? wrap('docker compose up -d')} />
          {draft.outDir && <ApplyNow draft={draft} command={commands?.up ?? wrap('docker compose up -d')} />}
          <p className="muted">Not docker compose restart: a restart keeps the old environment and ignores the new .env.</p>
        </li>
        {!commands && <li className="muted">{problem ? `The folder could not be read (${problem}), so the test commands cannot be given.` : 'Reading what the export wrote…'}</li>}
        {commands && commands.proxy.length > 0 && (
          <li>
            <h2 className="step-item">Hand the proxy its part</h2>
            <ul className="proxy-files">
              {commands.proxy.map((p) => (
                <li key={p.file}>
                  <code>{p.file}</code> — {p.use}
                </li>
              ))}
            </ul>
          </li>
        )}
        {smtp && commands?.hostTest && (
          <li>
            <h2 className="step-item">Send the same test from the server</h2>
            <p>The server's network may block mail ports that this computer reaches. In the folder, with the server's Node (20 or later):</p>
            <CommandBlock label="Test email from the server" command={commands.hostTest} />
            {commands.containerTest && (
              <>
                <p>Or inside the n8n container, with its own Node and exactly its settings, once it runs:</p>
                <CommandBlock label="Test email from the n8n container" command={commands.containerTest} />
              </>
            )}
            {commands.toolMissing && <p className="muted">This installation has no single-file n8n-setup to put into the folder: install n8n-setup on the server to run the test there.</p>}
          </li>
        )}
        <li>
          <h2 className="step-item">{smtp ? 'Invite someone' : 'Invite users by link'}</h2>
          <p>{smtp ? "Invite a user from n8n's Settings → Users and open the link from the email." : 'Invite users from Settings → Users and send them the link n8n shows you. Password resets are not possible without email.'}</p>
        </li>
      </ol>
      <InstanceCheck />
    </>
  );
}

/** The folder on the server, when the draft names one. */
function serverLocation(draft: WizardDraft): RemoteLocation | undefined {
  if (draft.where !== 'server' || !draft.server.trim() || !draft.outDir.startsWith('/')) return undefined;
  try {
    return { kind: 'remote', ...parseSshTarget(draft.server.trim()), path: draft.outDir };
  } catch {
    return undefined;
  }
}

/** The write's own report; on a later visit, a dry run of the folder says the same (its files, its n8n service). */
function useFolderReport(written: Report | undefined): { report?: Report; problem?: string } {
  const draft = useWizard((s) => s.draft);
  const [preview, setPreview] = useState<{ report?: Report; problem?: string }>({});
  const request = written ? undefined : exportRequest(draft, '', false, []);
  const key = JSON.stringify(request ?? null);
  useEffect(() => {
    if (!request) return;
    let current = true;
    void api.previewExport(request).then((reply) => current && setPreview(reply.ok ? { report: reply.data } : { problem: reply.error.message }));
    return () => {
      current = false;
    };
  }, [key]);
  if (written) return { report: written };
  return request ? preview : { problem: 'the settings are incomplete' };
}
