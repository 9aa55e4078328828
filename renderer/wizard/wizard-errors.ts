/**
 * A service error in the wizard's words: the services' own texts name the command line's flags and the
 * profile's fields (`--password-stdin`, `deploy.encryptionKey`), which a desktop user never sees. The ones
 * the wizard can meet are said again here with the field on the page that fixes them.
 */
import type { SetupErrorData } from '../../shared/errors.js';
import { typedSecretKind } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

export function wizardErrorText(error: Pick<SetupErrorData, 'code' | 'message' | 'fix' | 'field'>, draft: WizardDraft): string {
  if (error.code === 'MISSING_SECRET') {
    const kind = typedSecretKind(draft);
    const what = kind === 'oauth-private-key' ? 'service-account key' : 'SMTP password';
    const where = kind === 'smtp-password' ? 'type it in "SMTP password" above' : kind === 'oauth-private-key' ? 'load it in "Service-account key file" above' : 'save it in the keychain on the Login step';
    return `No ${what} was given, and the folder has none to keep: ${where}, then write again.`;
  }
  // A profile field the services name: the wizard's field, and the step it is on.
  const field = error.field ? FIELD_STEPS[error.field] : undefined;
  if (field) return `${error.message} Check "${field.label}" on the ${field.step} step.`;
  return `${error.message}${error.fix ? ` ${error.fix}` : ''}`;
}

const FIELD_STEPS: Record<string, { label: string; step: string }> = {
  'email.caFile': { label: 'CA file', step: 'Server' },
  'email.host': { label: 'Host', step: 'Server' },
  'email.port': { label: 'Port', step: 'Server' },
  'email.auth.user': { label: 'User name', step: 'Login' },
  'email.sender': { label: 'From', step: 'Sender' },
  'url.public': { label: 'Public URL', step: 'Public URL' },
};
