/**
 * The exports recorded in the folder, each restorable as a whole (every file it changed gets its backup back,
 * every file it created goes), after a confirmation that lists what would change — checked against the folder
 * by a dry run. Single backups stay available behind "Details", with the risk said.
 */
import { useEffect, useState } from 'react';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { api } from './app-api.js';
import { Notice } from './fields.js';

type Listing = OutputOf<'listBackups'>;
type Plan = OutputOf<'restoreExport'>;

const RESTORE_WORDS: Record<Plan['restored'][number]['action'], string> = {
  updated: 'put back as it was before',
  created: 'put back (it is missing now)',
  removed: 'removed (that export created it)',
  unchanged: 'already as it was before',
};

export function EarlierExports({ outDir, server, refreshKey, onRestored }: { outDir: string; server?: string | undefined; refreshKey: unknown; onRestored: () => void }) {
  const at = server ? { server } : {};
  const [listing, setListing] = useState<Listing>({ backups: [], exports: [] });
  const [asked, setAsked] = useState<{ exportId: string; plan: Plan }>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();
  const refresh = () => void api.listBackups({ outDir, ...at }).then((reply) => setListing(reply.ok ? reply.data : { backups: [], exports: [] }));
  useEffect(refresh, [outDir, server, refreshKey]);

  const ask = async (exportId: string) => {
    setError(undefined);
    setDone(undefined);
    const reply = await api.restoreExport({ outDir, ...at, exportId, dryRun: true });
    if (reply.ok) setAsked({ exportId, plan: reply.data });
    else setError(reply.error.message);
  };
  const restore = async () => {
    if (!asked) return;
    // Exactly what was shown, or nothing: the folder may have changed since the question.
    const reply = await api.restoreExport({ outDir, ...at, exportId: asked.exportId, ...(asked.plan.fingerprint && { expect: asked.plan.fingerprint }) });
    setAsked(undefined);
    if (!reply.ok) return setError(reply.error.message);
    const changed = reply.data.restored.filter((file) => file.action !== 'unchanged');
    setDone(`Restored ${changed.length} file${changed.length === 1 ? '' : 's'} as they were before that export. What they held is backed up, and this restore is listed below: restore it to undo.`);
    refresh();
    onRestored();
  };
  const restoreOne = async (backup: string) => {
    const reply = await api.restoreBackup({ outDir, ...at, backup });
    if (!reply.ok) return setError(reply.error.message);
    setDone(`Restored ${reply.data.restored}${reply.data.backup ? `; the replaced file is in ${reply.data.backup}` : ''}.`);
    refresh();
    onRestored();
  };

  if (listing.exports.length === 0 && !done && !error) return null;
  return (
    <section className="panel" aria-labelledby="earlier-exports-heading">
      <h2 id="earlier-exports-heading">Earlier exports in this folder</h2>
      {done && <Notice tone="success">{done}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
      <ul className="exports">
        {listing.exports.map((record) => {
          const touched = record.files.filter((file) => file.action !== 'unchanged');
          return (
            <li key={record.id}>
              <span>
                {record.kind === 'restore' ? 'Restore' : 'Export'} of {new Date(record.at).toLocaleString()} <span className="muted">· {touched.map((file) => file.path).join(', ') || 'no file changed'}</span>
              </span>{' '}
              {touched.length > 0 && (
                <button type="button" className="secondary" onClick={() => void ask(record.id)} aria-label={`Undo the ${record.kind} of ${new Date(record.at).toLocaleString()}…`}>
                  Undo…
                </button>
              )}
              {asked?.exportId === record.id && <RestoreQuestion plan={asked.plan} onConfirm={() => void restore()} onCancel={() => setAsked(undefined)} />}
            </li>
          );
        })}
      </ul>
      {listing.backups.length > 0 && (
        <details>
          <summary>Restore one file only</summary>
          <p className="muted">One file put back alone can leave the others on the newer settings (a compose file that mounts a secret file that is gone, say). Undo the whole export above unless you know you need just this file.</p>
          <ul className="backups">
            {listing.backups.map((b) => (
              <li key={b.backup}>
                <code>{b.backup}</code> <span className="muted">of {b.target}, {new Date(b.takenAt).toLocaleString()}</span>{' '}
                <button type="button" className="secondary" onClick={() => void restoreOne(b.backup)} aria-label={`Restore ${b.target} from ${b.backup}`}>
                  Restore
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function RestoreQuestion({ plan, onConfirm, onCancel }: { plan: Plan; onConfirm: () => void; onCancel: () => void }) {
  const changing = plan.restored.filter((file) => file.action !== 'unchanged');
  return (
    <div className="restore-question" role="group" aria-label="Confirm the restore">
      <p>{changing.length === 0 ? 'Every file is already as it was before that export: nothing would change.' : 'Undoing it changes these files:'}</p>
      <ul>
        {plan.restored.map((file) => (
          <li key={file.path}>
            <code>{file.path}</code> — {RESTORE_WORDS[file.action]}
          </li>
        ))}
      </ul>
      {plan.changedSince.length > 0 && (
        <Notice tone="warning" title="Changed since that export">
          <p>{plan.changedSince.join(', ')} changed after that export (by hand or by a later export). What they hold now is backed up first.</p>
        </Notice>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={changing.length === 0} onClick={onConfirm}>
          Restore {changing.length} file{changing.length === 1 ? '' : 's'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
