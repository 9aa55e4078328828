/** The field for a secret given for one test or export (see typed-secret.ts). */
import { useState } from 'react';
import { TextField } from './fields.js';
import { readServiceAccountKey, typedSecretKind } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

export function TypedSecretField({ id, draft, purpose, value, onChange }: { id: string; draft: WizardDraft; purpose: string; value: string; onChange: (value: string) => void }) {
  const [problem, setProblem] = useState<string>();
  const kind = typedSecretKind(draft);
  if (kind === 'smtp-password') {
    return <TextField id={id} label={`SMTP password (${purpose})`} type="password" autoComplete="current-password" value={value} onChange={onChange} />;
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
      <label htmlFor={id}>{`Service-account key file (${purpose})`}</label>
      <p className="hint" id={`${id}-hint`}>
        {value ? 'Key loaded; it is kept only until this step is left.' : 'The JSON key of the service account.'}
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
