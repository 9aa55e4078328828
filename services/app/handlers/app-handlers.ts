import { SetupError } from '../../../shared/errors.js';
import { isAllowedDocsUrl } from '../../../shared/ipc/docs-links.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';

export function appHandlers(services: AppServices): HandlerGroup<'openDocs' | 'appInfo'> {
  return {
    openDocs: async ({ url }, context) => {
      if (!isAllowedDocsUrl(url)) {
        throw new SetupError({ code: 'URL_NOT_ALLOWED', field: 'url', message: 'Only https documentation pages on the allow-list can be opened.', fix: 'Open the page from your browser instead.' });
      }
      if (!context.openExternal) return { url, opened: false };
      await context.openExternal(url);
      return { url, opened: true };
    },
    appInfo: async (_input, context) => ({
      version: services.version,
      transport: context.transport,
      platform: services.platform,
      homeFolder: services.homeFolder,
      dataFolder: services.dataFolder,
    }),
  };
}
