import { SetupError } from '../../../shared/errors.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import type { HandlerContext, NativeDialogs } from '../handler-context.js';
import { browseRoots } from '../browse-roots.js';
import { browseFolder, makeFolder } from '../folder-browser.js';
import { storeUploadedTemplate } from '../template-uploads.js';

type Channels = 'uploadTemplate' | 'browseFolder' | 'makeFolder' | 'chooseFolder' | 'chooseFile';

export function fileHandlers(services: AppServices): HandlerGroup<Channels> {
  return {
    uploadTemplate: ({ profileName, kind, html }) => storeUploadedTemplate(services.dataFolder, profileName, kind, html),
    browseFolder: async ({ path }) => {
      // The export folder comes from the draft kept here, never from the request, and counts only where
      // browseRoots allows it: the page writes the draft, so it must not widen its own reach with it.
      const outDir = (await services.drafts.load())?.draft.outDir;
      return browseFolder(await browseRoots(services.homeFolder, outDir || undefined, services.serverFolders), path);
    },
    makeFolder: async ({ parent, name }) => {
      const outDir = (await services.drafts.load())?.draft.outDir;
      return makeFolder(await browseRoots(services.homeFolder, outDir || undefined, services.serverFolders), parent, name);
    },
    chooseFolder: async (options, context) => ({ path: await dialogsOf(context).chooseFolder(options) }),
    chooseFile: async (options, context) => ({ path: await dialogsOf(context).chooseFile(options) }),
  };
}

function dialogsOf(context: HandlerContext): NativeDialogs {
  if (context.dialogs) return context.dialogs;
  throw new SetupError({
    code: 'NO_NATIVE_DIALOG',
    message: 'A browser cannot open the file dialogs of the machine running `n8n-setup serve`.',
    fix: 'Use the folder browser (browseFolder), type the path, or upload the file.',
  });
}
