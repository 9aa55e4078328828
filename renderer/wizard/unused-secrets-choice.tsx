/**
 * The review's choice of secrets in .env that nothing reads any more: one checkbox each, unticked until the
 * admin ticks it, kept for the folder it was ticked in and sent with the export request. Names and lines
 * only: a value never reaches the page.
 */
import { describeUnusedSecret } from '../../shared/deployment/unused-secrets.js';
import type { OutputOf } from '../../shared/ipc/contract.js';
import { useWizard } from './wizard-store.js';

const NO_KEYS: readonly string[] = [];

/** The keys ticked for removal in `outDir` (none for another folder), and how to change them. */
export function useUnusedSecretRemoval(outDir: string) {
  const removal = useWizard((s) => s.unusedSecretRemoval);
  const set = useWizard((s) => s.set);
  const keys = removal.outDir === outDir ? removal.keys : NO_KEYS;
  return {
    keys,
    tick: (key: string, remove: boolean) => set({ unusedSecretRemoval: { outDir, keys: remove ? [...keys, key] : keys.filter((k) => k !== key) } }),
    /** After a write: the ticked keys are gone, and a later write decides anew. */
    clear: () => set({ unusedSecretRemoval: { outDir, keys: NO_KEYS } }),
    /** The services refused a ticked key (the files changed since it was listed): untick them all, so the next preview lists what is there now. */
    untickIfRefused: (error: { code: string }) => {
      if (error.code === 'NOT_AN_UNUSED_SECRET') set({ unusedSecretRemoval: { outDir, keys: NO_KEYS } });
    },
  };
}

export function UnusedSecretsChoice({ report, outDir }: { report: OutputOf<'previewExport'>; outDir: string }) {
  const removal = useUnusedSecretRemoval(outDir);
  if (report.unusedSecrets.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="unused-secrets-heading">
      <h2 id="unused-secrets-heading">Secrets no service reads any more</h2>
      <p>Export leaves them where they are unless you tick them. A ticked key loses only its line; the backup of the file keeps it.</p>
      <fieldset className="choices">
        <legend className="visually-hidden">Secrets to remove</legend>
        {report.unusedSecrets.map((secret) => (
          <label key={secret.key} className="choice">
            <input type="checkbox" checked={removal.keys.includes(secret.key)} onChange={(event) => removal.tick(secret.key, event.target.checked)} />
            <span>
              <strong>
                Remove <code>{secret.key}</code> from {secret.file}
              </strong>
              <span className="choice-detail">{describeUnusedSecret(secret)}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </section>
  );
}
