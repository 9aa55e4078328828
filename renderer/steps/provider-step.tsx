/** The mail provider: a preset fills host, port and security and explains its rules; or a custom server. */
import { Fragment, useEffect, useRef } from 'react';
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
          <Fragment key={p.id}>
            <label className="choice">
              <input type="radio" name="provider" value={p.id} checked={presetId === p.id} onChange={() => choose(p)} />
              <span>
                <strong>{p.name}</strong>
                <span className="choice-detail">{p.supported ? p.host : 'Not usable with n8n'}</span>
              </span>
            </label>
            {/* The rules of the chosen provider, on the row below its card (the grid fills the rest of that row first). */}
            {preset?.id === p.id && <PresetRules preset={preset} />}
          </Fragment>
        ))}
        <label className="choice">
          <input type="radio" name="provider" value="custom" checked={presetId === 'custom'} onChange={() => choose(undefined)} />
          <span>
            <strong>Another server</strong>
            <span className="choice-detail">Your own mail server or relay</span>
          </span>
        </label>
      </fieldset>
      <StepNav blocker={blocker} />
    </>
  );
}

function PresetRules({ preset }: { preset: SmtpPreset }) {
  // Chosen from a long list: its rules are brought into view.
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
    // What has focus (the card, when chosen with the arrow keys) stays in view before the rules do.
    (document.activeElement as HTMLElement | null)?.closest('label.choice')?.scrollIntoView({ block: 'nearest' });
  }, [preset.id]);
  return (
    <section ref={ref} className="panel provider-rules" aria-labelledby="preset-heading">
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
  );
}
