/** Start: a new instance, or an existing one whose .env (and compose file) are read first. */
import { useState } from 'react';
import { presetForHost } from '../../shared/smtp/smtp-presets.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { api } from '../wizard/app-api.js';
import { DeploymentServices } from '../wizard/deployment-services.js';
import { ChoiceGroup, Notice, TextField } from '../wizard/fields.js';
import { onServer } from '../wizard/export-request.js';
import { WhereChoice } from '../wizard/server-choice.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import type { WizardDraft } from '../wizard/wizard-draft.js';
import { useWizard } from '../wizard/wizard-store.js';

export default function WelcomeStep() {
  const draft = useWizard((s) => s.draft);
  const imported = useWizard((s) => s.imported);
  const update = useWizard((s) => s.update);
  const set = useWizard((s) => s.set);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const runImport = async () => {
    setBusy(true);
    setError(undefined);
    const result = await api.importSetup({ envFile: draft.envFile, ...(draft.composeFile && { composeFile: draft.composeFile }), ...onServer(draft) });
    setBusy(false);
    if (!result.ok) return setError(`${result.error.message}${result.error.fix ? ` ${result.error.fix}` : ''}`);
    set({ imported: result.data });
    update({ ...draftFromImport(result.data.profile), outDir: folderOf(draft.envFile) });
  };

  const serverKnown = useWizard((s) => s.serverKnown);
  const onAServer = draft.where === 'server';
  const blocker =
    onAServer && (!draft.server.trim() || serverKnown !== draft.server.trim())
      ? 'To continue: name the server and check its key.'
      : draft.start === 'existing' && !imported
        ? 'To continue: import the existing .env (or choose a new instance).'
        : undefined;
  const on = onAServer ? ' on the server' : '';
  return (
    <>
      <StepHeading lead="This wizard sets up email for invitations and password resets, and the public address n8n puts in its links. It writes .env and the compose file for you, and shows every change first.">
        Set up n8n email and links
      </StepHeading>
      <WhereChoice />
      <ChoiceGroup
        legend="What are you setting up?"
        name="start"
        value={draft.start}
        onChange={(start) => update({ start })}
        choices={[
          { value: 'new', label: 'A new n8n instance', detail: 'Creates .env and docker-compose.yml in a folder you choose.' },
          { value: 'existing', label: 'An existing instance', detail: 'Reads its .env and compose file, changes only the keys this wizard manages, and backs up what it replaces.' },
        ]}
      />
      {draft.start === 'existing' && (
        <section className="panel" aria-labelledby="import-heading">
          <h2 id="import-heading">Your current files</h2>
          <TextField id="env-file" label=".env file" hint={`The full path${on}, e.g. /srv/n8n/.env`} value={draft.envFile} onChange={(envFile) => update({ envFile })} />
          <TextField id="compose-file" label="Compose file (optional)" hint={`e.g. /srv/n8n/docker-compose.yml${on}`} value={draft.composeFile} onChange={(composeFile) => update({ composeFile })} />
          <button type="button" className="secondary" disabled={busy || !draft.envFile || (onAServer && serverKnown !== draft.server.trim())} onClick={() => void runImport()}>
            {busy ? 'Reading…' : 'Import'}
          </button>
          {error && <Notice tone="error">{error}</Notice>}
          {imported?.deployment && <DeploymentServices summary={imported.deployment} />}
          {imported && <ImportFindings imported={imported} />}
        </section>
      )}
      <StepNav blocker={blocker} />
    </>
  );
}

function ImportFindings({ imported }: { imported: NonNullable<ReturnType<typeof useWizard.getState>['imported']> }) {
  if (!imported.findings.length && !imported.parseErrors.length) return <Notice tone="success">Imported. n8n reads every variable in this file as intended.</Notice>;
  return (
    <div className="findings">
      <h3>What n8n would ignore or alter</h3>
      <ul>
        {imported.findings.map((f) => (
          <li key={`${f.code}-${f.variable}`}>
            <code>{f.variable}</code>: {f.message}
            {f.fix && <span className="fix"> {f.fix}</span>}
          </li>
        ))}
        {imported.parseErrors.map((p) => (
          <li key={`line-${p.line}`}>
            Line {p.line}: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/** The imported profile in the wizard's fields; what it does not say keeps the defaults. */
function draftFromImport(profile: Profile): Partial<WizardDraft> {
  const patch: Partial<WizardDraft> = {};
  const email = profile.email as Partial<Profile['email']> | undefined;
  if (email?.mode === 'none') patch.emailMode = 'none';
  if (email?.mode === 'smtp') {
    patch.emailMode = 'smtp';
    // A known provider's server is that provider (its rules apply); anything else is "Another server".
    patch.presetId = (email.host !== undefined && presetForHost(email.host)?.id) || 'custom';
    if (email.host !== undefined) patch.host = email.host;
    if (email.port !== undefined) patch.port = String(email.port);
    if (email.security) patch.security = email.security;
    if (email.sender !== undefined) patch.sender = email.sender;
    if (email.auth) {
      patch.authType = email.auth.type;
      if (email.auth.type !== 'none') patch.user = email.auth.user;
      if (email.auth.type === 'google-service-account') patch.serviceClient = email.auth.serviceClient;
    }
  }
  if (profile.url?.public) patch.publicUrl = profile.url.public;
  if (profile.url?.proxyHops !== undefined) patch.proxyHops = String(profile.url.proxyHops);
  if (profile.deploy?.proxy) patch.proxy = profile.deploy.proxy;
  if (profile.deploy?.acmeEmail) patch.acmeEmail = profile.deploy.acmeEmail;
  if (profile.deploy?.secrets) patch.secretsIn = profile.deploy.secrets;
  return patch;
}
