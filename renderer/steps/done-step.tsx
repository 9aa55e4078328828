/** What to do on the server now, how to run the same test there or inside the n8n container, and a check of the running n8n. */
import { StepHeading } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';
import { InstanceCheck } from '../wizard/instance-check.js';

export default function DoneStep() {
  const draft = useWizard((s) => s.draft);
  const to = draft.testTo || 'you@example.com';
  return (
    <>
      <StepHeading lead="The files are in place. Two commands on the server finish the job.">Done</StepHeading>
      <ol className="next-steps">
        <li>
          <p>Recreate n8n with the new settings, in {draft.outDir || 'the compose folder'}:</p>
          <pre>docker compose up -d</pre>
          <p className="muted">Not docker compose restart: a restart keeps the old environment and ignores the new .env.</p>
        </li>
        {draft.emailMode === 'smtp' && (
          <li>
            <p>Send the same test from the server, inside the n8n container (its network may block ports your desktop can reach):</p>
            <pre>{`docker compose cp dist/n8n-setup.cjs n8n:/tmp/ && docker compose exec n8n node /tmp/n8n-setup.cjs smtp-test --from-env --to ${to}`}</pre>
            <p className="muted">Or on the server itself: n8n-setup smtp-test --from-env --to {to}</p>
          </li>
        )}
        <li>
          <p>{draft.emailMode === 'smtp' ? 'Invite a user from n8n\'s Settings → Users and open the link from the email.' : 'Invite users from Settings → Users and send them the link n8n shows you. Password resets are not possible without email.'}</p>
        </li>
      </ol>
      <InstanceCheck />
    </>
  );
}
