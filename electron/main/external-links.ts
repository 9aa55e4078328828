import type { Shell } from 'electron';
import { SetupError } from '../../shared/errors.js';
import { isAllowedDocsUrl } from '../../shared/ipc/docs-links.js';

/**
 * The only way the app opens anything outside itself. Checked again here, right before the call, so no
 * other path to shell.openExternal can pass an unchecked URL (a file:, smb: or custom-scheme URL runs programs).
 */
export async function openDocsExternally(shell: Pick<Shell, 'openExternal'>, url: string): Promise<void> {
  if (!isAllowedDocsUrl(url)) throw new SetupError({ code: 'URL_NOT_ALLOWED', field: 'url', message: 'Only https documentation pages on the allow-list can be opened.' });
  await shell.openExternal(url);
}
