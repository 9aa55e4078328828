import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';

export function draftHandlers(services: AppServices): HandlerGroup<'loadDraft' | 'saveDraft' | 'clearDraft'> {
  const { drafts } = services;
  return {
    loadDraft: async () => {
      const saved = await drafts.load();
      return { draft: saved?.draft ?? null, savedAt: saved?.savedAt ?? null };
    },
    saveDraft: async ({ draft }) => ({ savedAt: await drafts.save(draft) }),
    clearDraft: async () => ({ cleared: await drafts.clear() }),
  };
}
