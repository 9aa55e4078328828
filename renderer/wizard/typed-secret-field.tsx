/** The field for a secret given for one test or export (see typed-secret.ts). */
import { useState } from 'react';
import { TextField } from './fields.js';
import { readServiceAccountKey, typedSecretKind } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

const KEPT = 'Asked once: kept in memory for this server until the app closes, never saved.';

/**
 * `held`: the services already hold this secret for the draft's server (held-secret.ts): the field gives
 * way to a line saying so, with a button to type another.
 */
export function TypedSecretField({ id, draft, value, onChange, held = false }: { id: string; draft: WizardDraft; value: string; onChange: (value: string) => void; held?: boolean }) {
  const [problem, setProblem] = useState<string>();
  const [replacing, setReplacing] = useState(false);
  const kind = typedSecretKind(draft);
  if (kind && held && !replacing && !value) {
    const what = kind === 'smtp-password' ? 'SMTP password' : 'service-account key';
    return (
      <div className="field held-secret">
        <p id={`${id}-held`}>
          The {what} given earlier for {draft.user} at {draft.host}:{draft.port} is used. It is kept in memory until the app closes and never saved.
        </p>
        <button type="button" className="secondary" onClick={() => setReplacing(true)}>
          {kind === 'smtp-password' ? 'Type another password' : 'Load another key file'}
        </button>
      </div>
    );
  }
  if (kind === 'smtp-password') {
    return <TextField id={id} label="SMTP password" hint={KEPT} type="password" autoComplete="current-password" value={value} onChange={onChange} />;
  }
  if (kind !== 'oauth-private-key') return null;
  const read = async (file: File | undefined) => {
    if (!file) return;
    try {
      onChange((await readServiceAccountKey(file)).privateKey);
      setProblem(undefined);
    } catch (error) {
      onChange('');
      setProblem(`This is not a service-account key file (${(error as Error).message}).`);
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>Service-account key file</label>
      <p className="hint" id={`${id}-hint`}>
        {value ? 'Key loaded.' : 'The JSON key of the service account.'} {KEPT}
      </p>
      <input id={id} type="file" accept=".json,application/json" aria-describedby={`${id}-hint`} onChange={(e) => void read(e.target.files?.[0])} />
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
