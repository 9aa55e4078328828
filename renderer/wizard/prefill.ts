/**
 * Fields filled in from what the admin already typed, when a step opens with them empty: the sender from a
 * login that is an address (n8n itself sends from the login when N8N_SMTP_SENDER is empty), the test
 * recipient and the Let's Encrypt email from an address of the admin's own. A field with anything in it is
 * never touched; the admin sees the value and can change it.
 */
import type { StepId } from './step-ids.js';
import type { WizardDraft } from './wizard-draft.js';

const ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

/** The address in "Name <addr>" or a bare address; undefined when there is none. */
export function addressIn(text: string): string | undefined {
  const inAngles = /<([^<>]+)>\s*$/.exec(text)?.[1]?.trim();
  const candidate = inAngles ?? text.trim();
  return ADDRESS.test(candidate) ? candidate : undefined;
}

/** An address the admin reads: the login when it is one, else the sender's. */
function adminAddress(draft: WizardDraft): string | undefined {
  return (draft.authType !== 'none' ? addressIn(draft.user) : undefined) ?? addressIn(draft.sender);
}

export function prefillFor(step: StepId, draft: WizardDraft): Partial<WizardDraft> {
  if (step === 'sender' && draft.sender === '' && draft.authType !== 'none') {
    const login = addressIn(draft.user);
    return login ? { sender: login } : {};
  }
  if (step === 'test-email' && draft.testTo === '') {
    const address = adminAddress(draft);
    return address ? { testTo: address } : {};
  }
  return {};
}

/** The Let's Encrypt account email, once a proxy that asks for one is chosen. */
export function acmeEmailSuggestion(draft: WizardDraft): string | undefined {
  if (draft.acmeEmail !== '' || (draft.proxy !== 'caddy' && draft.proxy !== 'traefik')) return undefined;
  return addressIn(draft.testTo) ?? adminAddress(draft);
}
