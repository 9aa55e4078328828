/**
 * A service error in the wizard's words: the services' own texts name the command line's flags and the
 * profile's fields (`--password-stdin`, `deploy.encryptionKey`), which a desktop user never sees. The ones
 * the wizard can meet are said again here with the field on the page that fixes them.
 */
import type { SetupErrorData } from '../../shared/errors.js';
import { typedSecretKind } from './typed-secret.js';
import { FIELD_LABELS, FIELD_OF_PATH } from './profile-from-draft.js';
import type { DraftField, WizardDraft } from './wizard-draft.js';

export function wizardErrorText(error: Pick<SetupErrorData, 'code' | 'message' | 'fix' | 'field'>, draft: WizardDraft): string {
  if (error.code === 'MISSING_SECRET') {
    const kind = typedSecretKind(draft);
    const what = kind === 'oauth-private-key' ? 'service-account key' : 'SMTP password';
    const where = kind === 'smtp-password' ? 'type it in "SMTP password" above' : kind === 'oauth-private-key' ? 'load it in "Service-account key file" above' : 'save it in the keychain on the Login step';
    return `No ${what} was given, and the folder has none to keep: ${where}, then write again.`;
  }
  // The command line's fix names --accept-host-key; here the key is checked and trusted on the Start step.
  if (error.code === 'SSH_HOST_KEY_UNKNOWN') return `The host key of ${draft.server.trim() || 'the server'} is not known to this computer. Check and trust it under "Where does n8n run?" on the Start step.`;
  // A profile field the services name: the wizard's field (its label on the page), and the step it is on.
  const field = error.field ? FIELD_OF_PATH[error.field] : undefined;
  const label = field && FIELD_LABELS[field];
  if (field && label && STEP_OF_FIELD[field]) return `${error.message} Check "${label}" on the ${STEP_OF_FIELD[field]} step.`;
  return `${error.message}${error.fix ? ` ${error.fix}` : ''}`;
}

/** The step (its title in the stepper) each field is on. */
const STEP_OF_FIELD: Partial<Record<DraftField, string>> = {
  host: 'Server',
  port: 'Server',
  security: 'Server',
  caFile: 'Server',
  user: 'Login',
  serviceClient: 'Login',
  sender: 'Sender',
  publicUrl: 'Public URL',
  proxyHops: 'Public URL',
  acmeEmail: 'Public URL',
};
