/**
 * How n8n logs in. The password (or the service account's key) goes from its field straight to the OS
 * keychain and is not kept anywhere in the page. Without a keychain the admin chooses, explicitly, how
 * the secret travels instead; nothing falls back to a file.
 */
import { useEffect, useRef, useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { describeSmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';
import { SMTP_PRESETS } from '../../shared/smtp/smtp-presets.js';
import { api } from '../wizard/app-api.js';
import { useBlocker, useDraftForm } from '../wizard/draft-form.js';
import { ChoiceGroup, Notice, TextField } from '../wizard/fields.js';
import { PROFILE_NAME } from '../wizard/profile-from-draft.js';
import { draftEndpoint } from '../wizard/secret-endpoint.js';
import { readServiceAccountKey } from '../wizard/typed-secret.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';
import { keychainFallbackPatch } from '../wizard/wizard-draft.js';

type SecretStatus = OutputOf<'secretStatus'>;

export default function LoginStep() {
  const form = useDraftForm(['user', 'serviceClient'] as const);
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const [status, setStatus] = useState<SecretStatus>();
  const [password, setPassword] = useState('');
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string }>();
  const preset = SMTP_PRESETS.find((p) => p.id === draft.presetId);
  const googleServer = preset?.id === 'gmail' || preset?.id === 'google-relay' || /(^|\.)(gmail|google|googlemail)\.com$/i.test(draft.host.trim());
  const errors = form.formState.errors;

  // Only the latest answer counts: a slow first look at the keychain must not overwrite what a save just changed.
  const asked = useRef(0);
  const refresh = () => {
    const ask = ++asked.current;
    void api.secretStatus({ profileName: PROFILE_NAME }).then((r) => r.ok && ask === asked.current && setStatus(r.data));
  };
  useEffect(refresh, []);

  const keychainDown = status && !status.keychain.available;
  const useKeychain = !keychainDown && draft.secretHandling === 'keychain';
  const kind = draft.authType === 'google-service-account' ? 'oauth-private-key' : 'smtp-password';
  const saved = status?.secrets.find((s) => s.kind === kind);
  const stored = saved?.stored ?? false;
  // The secret is saved for the server and user the draft names now; the test and export ask before sending it anywhere else.
  const endpoint = draftEndpoint(draft);

  useEffect(() => {
    const patch = status && keychainFallbackPatch(draft, status.keychain.available);
    if (patch) update(patch);
  }, [status, draft.secretHandling, draft.keychainFallback, update]);

  const store = async (value: string) => {
    if (!endpoint) return setMessage({ tone: 'error', text: 'Enter the user name first: the secret is saved for this server and user.' });
    const result = await api.setSecret({ profileName: PROFILE_NAME, kind, value, endpoint });
    if (result.ok) {
      setPassword('');
      setMessage({ tone: 'success', text: `Saved in ${result.data.backend}.` });
      refresh();
    } else setMessage({ tone: 'error', text: `${result.error.message}${result.error.fix ? ` ${result.error.fix}` : ''}` });
  };
  const readKeyFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      const key = await readServiceAccountKey(file);
      // The key names its own client ID: the field is filled from it (one typed by hand that differs is kept, and the schema says why).
      if (form.getValues('serviceClient') === '') form.setValue('serviceClient', key.clientId, { shouldValidate: true });
      form.setValue('serviceClient', key.clientId, { shouldValidate: true });
      if (useKeychain) await store(key.privateKey);
      else setMessage({ tone: 'success', text: 'Key file read; give it again when you test and export.' });
    } catch (error) {
      setMessage({ tone: 'error', text: `This is not a service-account key file (${(error as Error).message}). Download a JSON key for the service account in Google Cloud.` });
    }
  };

  const fieldBlocker = useBlocker(['user', 'serviceClient']);
  const blocker = fieldBlocker ?? (draft.authType !== 'none' && useKeychain && status && !stored ? `To continue: save the ${kind === 'smtp-password' ? 'password' : 'key'} in the keychain.` : undefined);
  return (
    <>
      <StepHeading lead="Most providers need a user name and a password, app password or API key.">Login</StepHeading>
      <ChoiceGroup
        legend="How does n8n log in?"
        name="auth-type"
        value={draft.authType}
        onChange={(authType) => update({ authType })}
        choices={[
          { value: 'password', label: 'User name and password', detail: preset ? `${preset.name}: ${preset.secretName}.` : undefined },
          // Only Google's SMTP servers take a service account: offered for them (and kept when already chosen).
          ...(googleServer || draft.authType === 'google-service-account' ? [{ value: 'google-service-account' as const, label: 'Google service account', detail: 'Workspace only: 2-legged OAuth2 with domain-wide delegation.' }] : []),
          { value: 'none', label: 'No login', detail: 'A relay that trusts this server by its address.' },
        ]}
      />
      {keychainDown && draft.authType !== 'none' && (
        <Notice tone="warning" title="The system keychain cannot be used">
          {/* Plain words first; the keychain's own cause (D-Bus, $DISPLAY…) for whoever wants it. Its `fix` names command-line options, and the choices below are the fix here. */}
          <p>n8n Setup cannot use the system keychain here right now (usual on a server or over SSH; Details says why). Choose below how the secret travels instead.</p>
          {status.keychain.error?.message && (
            <details>
              <summary>Details</summary>
              <p>{status.keychain.error.message}</p>
            </details>
          )}
          <ChoiceGroup
            legend="What should happen to the secret instead?"
            name="secret-handling"
            value={draft.secretHandling === 'keychain' ? 'each-time' : draft.secretHandling}
            onChange={(secretHandling) => update({ secretHandling, keychainFallback: '' })}
            choices={[
              { value: 'each-time', label: 'I type it when asked', detail: 'Asked once while n8n Setup runs and kept only in its memory, for this server; the export writes it into .env (readable only by you).' },
              { value: 'file-only', label: 'Keep it only in the exported secret file', detail: 'Written once into a Docker secret file (N8N_SMTP_PASS_FILE), never into .env.' },
            ]}
          />
        </Notice>
      )}
      {draft.authType !== 'none' && (
        <TextField id="user" label="User name" hint={preset?.user} registration={form.register('user')} error={errors.user?.message} autoComplete="username" />
      )}
      {draft.authType === 'password' && useKeychain && (
        <div className="row align-end">
          <TextField id="password" label={preset?.secretName ?? 'Password'} type="password" autoComplete="new-password" value={password} onChange={setPassword} hint={stored ? savedHint(saved?.boundTo) : 'Saved in the system keychain, never in a file.'} />
          <button type="button" className="secondary" disabled={!password || !endpoint} onClick={() => void store(password)}>
            Save in keychain
          </button>
        </div>
      )}
      {draft.authType === 'google-service-account' && (
        <>
          <div className="field">
            <span className="label">Key file (JSON)</span>
            <p className="hint" id="key-file-hint">
              The service account&apos;s JSON key from Google Cloud; its client ID fills the field below.
            </p>
            <label className="button secondary">
              Choose key file…
              <input className="visually-hidden" type="file" accept=".json,application/json" aria-label="Key file (JSON)" aria-describedby="key-file-hint" onChange={(e) => void readKeyFile(e.target.files?.[0])} />
            </label>
          </div>
          <TextField id="service-client" label="Service account client ID" hint="Filled in from the key file." registration={form.register('serviceClient')} error={errors.serviceClient?.message} />
        </>
      )}
      {message && <Notice tone={message.tone}>{message.text}</Notice>}
      <StepNav blocker={blocker} />
    </>
  );
}

function savedHint(boundTo: SecretStatus['secrets'][number]['boundTo']): string {
  return boundTo ? `A password is saved in the keychain for ${describeSmtpEndpoint(boundTo)}; enter a new one to replace it.` : 'A password is saved in the keychain (for no particular server yet); enter a new one to replace it.';
}
