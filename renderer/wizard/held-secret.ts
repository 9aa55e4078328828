/**
 * Whether the services hold, for this session, the secret the draft's server needs: typed once (on any
 * step) for its host, port and user, it is used by every test, preview and export after it, and asked
 * again only for another server. The secret itself never comes back to the page.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './app-api.js';
import { draftEndpoint } from './secret-endpoint.js';
import { typedSecretKind } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

export interface HeldSecret {
  held: boolean;
  /** Ask again (after a run that was given a secret). */
  refresh(): void;
}

export function useHeldSecret(draft: WizardDraft): HeldSecret {
  const kind = typedSecretKind(draft);
  const endpoint = kind ? draftEndpoint(draft) : undefined;
  const key = JSON.stringify([kind, endpoint]);
  const [state, setState] = useState<{ key: string; held: boolean }>({ key: '', held: false });
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!kind || !endpoint) return;
    let current = true;
    void api.sessionSecrets({ endpoint }).then((reply) => current && setState({ key, held: reply.ok && reply.data.held.includes(kind) }));
    return () => {
      current = false;
    };
  }, [key, asked]);

  const refresh = useCallback(() => setAsked((n) => n + 1), []);
  // An answer for another server does not count.
  return { held: state.key === key && state.held, refresh };
}
