/** Host, port and security, with auto-detect probing the usual ports; a private CA if the server needs one. */
import { useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from '../wizard/app-api.js';
import { useBlocker, useDraftForm } from '../wizard/draft-form.js';
import { ChoiceGroup, Notice, TextField } from '../wizard/fields.js';
import { StepHeading, StepNav } from '../wizard/step-frame.js';
import { useWizard } from '../wizard/wizard-store.js';

const FIELDS = ['host', 'port', 'caFile'] as const;

export default function ServerStep() {
  const form = useDraftForm(FIELDS);
  const security = useWizard((s) => s.draft.security);
  const update = useWizard((s) => s.update);
  const blocker = useBlocker([...FIELDS, 'security']);
  const [detection, setDetection] = useState<OutputOf<'detectSmtp'>>();
  const [detectError, setDetectError] = useState<string>();
  const [runId, setRunId] = useState<string>();
  const errors = form.formState.errors;

  const detect = async () => {
    const id = crypto.randomUUID();
    setRunId(id);
    setDetection(undefined);
    setDetectError(undefined);
    // The port typed here is probed too, in the security chosen for it.
    const typedPort = Number(form.getValues('port'));
    const result = await api.detectSmtp({ host: form.getValues('host'), runId: id, ...(Number.isInteger(typedPort) && typedPort >= 1 && typedPort <= 65535 && { port: typedPort, security }) });
    setRunId(undefined);
    if (result.ok) setDetection(result.data);
    else setDetectError(result.error.message);
  };
  const useRecommended = (port: number, chosen: typeof security) => {
    form.setValue('port', String(port), { shouldValidate: true });
    update({ port: String(port), security: chosen });
  };

  return (
    <>
      <StepHeading lead="Where n8n delivers its mail. Detect tries ports 465, 587, 2525 and 25 and recommends one.">Mail server</StepHeading>
      <div className="row">
        <TextField id="host" label="Host" hint="Only the name, e.g. smtp.example.com" registration={form.register('host')} error={errors.host?.message} />
        <TextField id="port" label="Port" width="short" inputMode="numeric" registration={form.register('port')} error={errors.port?.message} />
      </div>
      <div className="actions">
        <button type="button" className="secondary" disabled={Boolean(runId) || !form.watch('host')} onClick={() => void detect()}>
          {runId ? 'Detecting…' : 'Detect'}
        </button>
        {runId && (
          <button type="button" className="secondary" onClick={() => void api.cancelSmtp({ runId })}>
            Cancel
          </button>
        )}
      </div>
      {detectError && <Notice tone="error">{detectError}</Notice>}
      {detection && <DetectionResult detection={detection} onUse={useRecommended} />}
      <ChoiceGroup
        legend="Security"
        name="security"
        value={security}
        onChange={(chosen) => update({ security: chosen })}
        choices={[
          { value: 'starttls', label: 'STARTTLS', detail: 'Connects in plain text, then upgrades. Usually port 587 (N8N_SMTP_SSL=false, N8N_SMTP_STARTTLS=true).' },
          { value: 'tls', label: 'TLS from the start', detail: 'Encrypted from the first byte. Usually port 465 (N8N_SMTP_SSL=true).' },
          { value: 'none', label: 'No encryption', detail: 'Only for a relay on a trusted network: mail and login travel in plain text.' },
        ]}
      />
      <details className="advanced">
        <summary>Private certificate authority</summary>
        <TextField id="ca-file" label="CA file (PEM, optional)" hint="For a server whose certificate is signed by your own CA; mounted into /opt/custom-certificates." registration={form.register('caFile')} error={errors.caFile?.message} />
      </details>
      <StepNav blocker={blocker} />
    </>
  );
}

function DetectionResult({ detection, onUse }: { detection: OutputOf<'detectSmtp'>; onUse: (port: number, security: 'tls' | 'starttls') => void }) {
  const recommended = detection.recommended;
  return (
    <div className="panel" role="status">
      {detection.failure && <p>{detection.failure.message}</p>}
      <table>
        <caption>Ports of {detection.host}</caption>
        <thead>
          <tr>
            <th scope="col">Port</th>
            <th scope="col">Answered</th>
            <th scope="col">Encryption</th>
          </tr>
        </thead>
        <tbody>
          {detection.ports.map((p) => (
            <tr key={`${p.port}-${p.mode}`}>
              <td>{p.port}</td>
              <td>{p.reachable ? 'yes' : 'no'}</td>
              <td>{p.tls ? (p.mode === 'tls' ? 'TLS' : 'STARTTLS') : p.reachable ? 'none' : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {recommended && recommended.security !== 'none' && (
        <p>
          Recommended: port {recommended.port} with {recommended.security === 'tls' ? 'TLS' : 'STARTTLS'}. {recommended.reason}{' '}
          <button type="button" className="secondary" onClick={() => onUse(recommended.port, recommended.security as 'tls' | 'starttls')}>
            Use this
          </button>
        </p>
      )}
    </div>
  );
}
