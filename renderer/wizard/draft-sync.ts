/**
 * The draft lives with the services, not in browser storage: loaded once at startup, saved shortly after
 * every change, so a restart (or `serve` on another port) finds the admin where they were.
 */
import { api } from './app-api.js';
import { draftFromJson, EMPTY_DRAFT } from './wizard-draft.js';
import { isStepId } from './step-ids.js';
import { useWizard } from './wizard-store.js';

const SAVE_DELAY_MS = 300;

export async function loadDraft(): Promise<void> {
  const result = await api.loadDraft({});
  const stored = result.ok ? result.data.draft : null;
  const draft = stored ? draftFromJson({ ...stored.profile, ...(stored.outDir && { outDir: stored.outDir }) }) : EMPTY_DRAFT;
  useWizard.getState().hydrate(draft, stored && isStepId(stored.step) ? stored.step : undefined);
}

/** Starts saving; returns the function that stops it. */
export function keepDraftSaved(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const unsubscribe = useWizard.subscribe((state, previous) => {
    if (!state.loaded || (state.draft === previous.draft && state.step === previous.step)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const { draft, step } = useWizard.getState();
      const { outDir, ...profile } = draft;
      // A folder here is also a root of serve's folder browser; a folder on a server is only remembered.
      if (draft.where === 'server') return void api.saveDraft({ draft: { profile: { ...profile, outDir }, step } });
      void api.saveDraft({ draft: { profile: { ...profile }, step, ...(outDir.startsWith('/') || /^[A-Za-z]:[\\/]/.test(outDir) ? { outDir } : {}) } });
    }, SAVE_DELAY_MS);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
