/** SMTP, or copying invite links by hand, with what that costs. */
import { ChoiceGroup, Notice } from '../wizard/fields.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

export default function EmailModeStep() {
  const emailMode = useWizard((s) => s.draft.emailMode);
  const update = useWizard((s) => s.update);
  return (
    <>
      <StepHeading lead="n8n emails people when they are invited and when they forget their password.">How should n8n send email?</StepHeading>
      <ChoiceGroup
        legend="Email mode"
        name="email-mode"
        value={emailMode}
        onChange={(mode) => update({ emailMode: mode })}
        choices={[
          { value: 'smtp', label: 'Through an SMTP server', detail: 'Invitations and password resets arrive by email. You will send a real test message before anything is written.' },
          { value: 'none', label: 'No email: I copy invite links by hand', detail: 'n8n shows each invite link to the admin, who passes it on. Sets N8N_EMAIL_MODE to empty.' },
        ]}
      />
      {emailMode === 'none' && (
        <Notice tone="warning" title="Nobody can reset a forgotten password">
          <p>Without email, n8n cannot send password-reset links: a user who forgets their password needs the owner to remove and re-invite them. You can add SMTP later by running this wizard again.</p>
        </Notice>
      )}
      <StepNav />
    </>
  );
}
