/**
 * Finds an Electron binary without triggering the npm package's download on first use (which fails
 * without network access and is not something a test should do). Returns the path, or why there is none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { path: string; reason?: undefined } | { path?: undefined; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const install = 'install it with `npx install-electron` on a machine with network access (or set ELECTRON_OVERRIDE_DIST_PATH)';
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, name ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(path) ? { path } : { reason: `ELECTRON_OVERRIDE_DIST_PATH names ${path}, which does not exist` };
  }
  if (!name) return { reason: `no Electron binary has been downloaded (${pathFile} is missing): ${install}` };
  const path = join(packageDir, 'dist', name);
  return existsSync(path) ? { path } : { reason: `the Electron binary ${path} is missing: ${install}` };
}
