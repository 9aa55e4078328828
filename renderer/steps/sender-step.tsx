/** The From address n8n puts on its emails. */
import { SMTP_PRESETS } from '../../shared/smtp/smtp-presets.js';
import { useBlocker, useDraftForm } from '../wizard/draft-form.js';
import { TextField } from '../wizard/fields.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

export default function SenderStep() {
  const form = useDraftForm(['sender'] as const);
  const presetId = useWizard((s) => s.draft.presetId);
  const blocker = useBlocker(['sender']);
  const senderNote = SMTP_PRESETS.find((p) => p.id === presetId)?.notes.find((n) => /sender|from/i.test(n));
  return (
    <>
      <StepHeading lead="Invitations and password resets come from this address (N8N_SMTP_SENDER).">Sender</StepHeading>
      <TextField id="sender" label="From" hint={senderNote ?? 'An address, or "Name <address>", e.g. n8n <n8n@example.com>. Most providers accept only addresses they have verified.'} registration={form.register('sender')} error={form.formState.errors.sender?.message} />
      <StepNav blocker={blocker} />
    </>
  );
}
