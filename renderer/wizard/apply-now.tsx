/**
 * Running `docker compose up -d` from the Done step: the exact command is shown and run only after a
 * confirmation; each line it prints appears as it comes (applyOutput events); it can be stopped. What stops a
 * server from running it at all (no docker, no daemon, no permission, no compose plugin) comes back in words
 * with its fix.
 */
import { useEffect, useRef, useState } from 'react';
import { api } from './app-api.js';
import { Notice } from './fields.js';
import { onServer } from './export-request.js';
import type { WizardDraft } from './wizard-draft.js';

type Outcome = { ok: true } | { ok: false; text: string };

export function ApplyNow({ draft, command }: { draft: WizardDraft; command: string }) {
  const [asking, setAsking] = useState(false);
  const [runId, setRunId] = useState<string>();
  const [lines, setLines] = useState<string[]>([]);
  const [outcome, setOutcome] = useState<Outcome>();
  const live = useRef<string | undefined>(undefined);
  useEffect(() => api.onApplyOutput((event) => event.runId === live.current && setLines((all) => [...all.slice(-499), event.line])), []);
  const where = draft.where === 'server' ? draft.server.trim() : 'this computer';

  const run = async () => {
    setAsking(false);
    setLines([]);
    setOutcome(undefined);
    const id = crypto.randomUUID();
    live.current = id;
    setRunId(id);
    const reply = await api.applySetup({ runId: id, outDir: draft.outDir, ...onServer(draft) });
    live.current = undefined;
    setRunId(undefined);
    if (!reply.ok) return setOutcome({ ok: false, text: `${reply.error.message}${reply.error.fix ? ` ${reply.error.fix}` : ''}` });
    setOutcome(reply.data.ok ? { ok: true } : { ok: false, text: `docker compose up -d ended with exit ${reply.data.exitCode}: its output is above. Fix what it says, then run it again.` });
  };

  return (
    <div className="apply-now">
      {!asking && (
        <div className="actions">
          <button type="button" className="secondary" disabled={Boolean(runId)} onClick={() => setAsking(true)}>
            {runId ? 'Running…' : 'Run it now…'}
          </button>
          {runId && (
            <button type="button" className="secondary" onClick={() => void api.cancelSmtp({ runId })} title="Stops waiting here; on a server, docker compose may carry on or stop part-way: docker compose ps there shows where it got to.">
              Stop
            </button>
          )}
        </div>
      )}
      {asking && (
        <div className="confirm" role="group" aria-label="Run docker compose">
          <p>
            This runs, on {where}: <code>{command}</code>. n8n restarts with the new settings; users signed in are briefly disconnected.
          </p>
          <button type="button" className="primary" onClick={() => void run()}>
            Run docker compose up -d
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setAsking(false)}>
            Cancel
          </button>
        </div>
      )}
      {(runId || lines.length > 0) && (
        <pre className="apply-output" aria-label="Output of docker compose" aria-live="polite" tabIndex={0}>
          {lines.join('\n') || 'Waiting for docker compose…'}
        </pre>
      )}
      {outcome?.ok && <Notice tone="success">docker compose up -d finished on {where} without an error: the containers were recreated with the new settings. Check my instance below asks n8n what it now uses.</Notice>}
      {outcome && !outcome.ok && <Notice tone="error">{outcome.text}</Notice>}
    </div>
  );
}
