import { homedir } from 'node:os';
import { join } from 'node:path';

/** package.json productName: Electron names its per-user data folder after it. */
export const PRODUCT_NAME = 'n8n Setup';

/**
 * The folder Electron's app.getPath('userData') gives the desktop app, computed without Electron, so
 * `serve` on the same machine finds the same profiles and draft.
 */
export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}
