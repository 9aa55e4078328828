/** The server the wizard's secret is for, as the draft names it: what a saved secret is bound to. */
import type { SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';
import type { WizardDraft } from './wizard-draft.js';

/** undefined until host, port and user are filled in. */
export function draftEndpoint(draft: WizardDraft): SmtpEndpoint | undefined {
  const port = Number(draft.port);
  if (!draft.host || !draft.user || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: draft.host, port, user: draft.user };
}
