import type { BrowserWindow, Dialog, OpenDialogOptions } from 'electron';
import type { NativeDialogs } from '../../services/app/handler-context.js';

const FILTERS: Record<string, OpenDialogOptions['filters']> = {
  compose: [{ name: 'Compose file', extensions: ['yaml', 'yml'] }],
  html: [{ name: 'HTML template', extensions: ['html', 'htm', 'hbs', 'handlebars'] }],
  pem: [{ name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] }],
  json: [{ name: 'Profile', extensions: ['json'] }],
};

/** The system's open dialogs, attached to the window that asked. A `.env` has no extension to filter on. */
export function nativeDialogs(dialog: Pick<Dialog, 'showOpenDialog'>, window: BrowserWindow | null): NativeDialogs {
  const open = async (options: OpenDialogOptions) => {
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    chooseFolder: ({ title, defaultPath }) => open({ properties: ['openDirectory', 'createDirectory'], ...(title && { title }), ...(defaultPath && { defaultPath }) }),
    chooseFile: ({ title, defaultPath, kind }) => {
      const filters = FILTERS[kind];
      return open({ properties: ['openFile', 'showHiddenFiles'], ...(filters && { filters }), ...(title && { title }), ...(defaultPath && { defaultPath }) });
    },
  };
}
