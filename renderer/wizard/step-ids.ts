/** The wizard's steps in order, with the title the stepper shows; which apply depends on the email mode. */
import type { WizardDraft } from './wizard-draft.js';

export const STEPS = [
  { id: 'welcome', title: 'Start' },
  { id: 'email-mode', title: 'Email' },
  { id: 'provider', title: 'Provider', smtpOnly: true },
  { id: 'server', title: 'Server', smtpOnly: true },
  { id: 'login', title: 'Login', smtpOnly: true },
  { id: 'sender', title: 'Sender', smtpOnly: true },
  { id: 'test-email', title: 'Test email', smtpOnly: true },
  { id: 'public-url', title: 'Public URL' },
  { id: 'templates', title: 'Templates', smtpOnly: true },
  { id: 'review', title: 'Review' },
  { id: 'export', title: 'Export' },
  { id: 'done', title: 'Done' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];

export const STEP_IDS: readonly StepId[] = STEPS.map((s) => s.id);

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && (STEP_IDS as readonly string[]).includes(value);
}

export function stepsFor(draft: Pick<WizardDraft, 'emailMode'>): ReadonlyArray<(typeof STEPS)[number]> {
  return STEPS.filter((s) => !('smtpOnly' in s) || draft.emailMode === 'smtp');
}

export function neighbour(draft: Pick<WizardDraft, 'emailMode'>, step: StepId, direction: 1 | -1): StepId | undefined {
  const steps = stepsFor(draft);
  const index = steps.findIndex((s) => s.id === step);
  return steps[index + direction]?.id;
}
