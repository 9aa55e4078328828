/** The mail provider: a preset fills host, port and security and explains its rules; or a custom server. */
import { SMTP_PRESETS, type SmtpPreset } from '../../shared/smtp/smtp-presets.js';
import { DocsLink } from '../wizard/docs-link.js';
import { Notice } from '../wizard/fields.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

export default function ProviderStep() {
  const presetId = useWizard((s) => s.draft.presetId);
  const update = useWizard((s) => s.update);
  const preset = SMTP_PRESETS.find((p) => p.id === presetId);

  const choose = (chosen: SmtpPreset | undefined) => {
    if (!chosen) return update({ presetId: 'custom' });
    const [recommended] = chosen.ports;
    update({ presetId: chosen.id, host: chosen.host, ...(recommended && { port: String(recommended.port), security: recommended.security }) });
  };

  const blocker = !presetId ? 'To continue: choose a provider or "Another server".' : preset && !preset.supported ? `To continue: choose another provider — n8n cannot log in to ${preset.name}.` : undefined;
  return (
    <>
      <StepHeading lead="Pick your provider to fill in the server settings and see its rules, or enter any other server.">Which mail provider?</StepHeading>
      <fieldset className="choices provider-grid">
        <legend>Provider</legend>
        {SMTP_PRESETS.map((p) => (
          <label key={p.id} className="choice">
            <input type="radio" name="provider" value={p.id} checked={presetId === p.id} onChange={() => choose(p)} />
            <span>
              <strong>{p.name}</strong>
              <span className="choice-detail">{p.supported ? p.host : 'Not usable with n8n'}</span>
            </span>
          </label>
        ))}
        <label className="choice">
          <input type="radio" name="provider" value="custom" checked={presetId === 'custom'} onChange={() => choose(undefined)} />
          <span>
            <strong>Another server</strong>
            <span className="choice-detail">Your own mail server or relay</span>
          </span>
        </label>
      </fieldset>
      {preset && (
        <section className="panel" aria-labelledby="preset-heading">
          <h2 id="preset-heading">{preset.name}</h2>
          <dl className="facts">
            <dt>Server</dt>
            <dd>
              <code>{preset.host}</code>, {preset.ports.map((p) => `${p.port} (${p.security === 'tls' ? 'TLS' : 'STARTTLS'})`).join(', ')}
            </dd>
            <dt>User name</dt>
            <dd>{preset.user}</dd>
            <dt>Password</dt>
            <dd>{preset.secretName}</dd>
          </dl>
          {!preset.supported && <Notice tone="warning">{preset.notes[0]}</Notice>}
          <ul className="notes">{(preset.supported ? preset.notes : preset.notes.slice(1)).map((note) => <li key={note}>{note}</li>)}</ul>
          <DocsLink url={preset.docs}>{`${preset.name} documentation`}</DocsLink>
        </section>
      )}
      <StepNav blocker={blocker} />
    </>
  );
}
