/**
 * Child process for the SIGKILL test: replaces a large payload and a small secret in `dir` with new,
 * self-verifying versions, forever, until it is killed, each time under the folder's lock. Prints `start <v>` before and `done <v>` after each
 * replacement (synchronously, so the lines survive a kill). Bundled with esbuild by the test, then run by node.
 */
import { readFile } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lockFolder } from '../../services/files/folder-lock.js';
import { replaceFiles } from '../../services/files/replace-files.js';
import { withTargetFolder } from '../../services/files/target-folder.js';
import { makeVersion, parseVersion } from './versioned-content.js';

export const PAYLOAD = 'payload.bin';
export const SECRET = 'secrets/token';

async function currentVersion(dir: string): Promise<number> {
  const bytes = await readFile(join(dir, PAYLOAD)).catch(() => undefined);
  if (!bytes) return 0;
  const parsed = parseVersion(bytes);
  if (!parsed.complete) throw new Error(`${PAYLOAD} is torn before this run started: ${parsed.why}`);
  return parsed.version;
}

async function replaceForever(dir: string): Promise<never> {
  for (let version = (await currentVersion(dir)) + 1; ; version++) {
    const megabytes = 1 + Math.floor(Math.random() * 4);
    const changes = [
      { path: PAYLOAD, content: makeVersion(version, megabytes * 1024 * 1024 - 200 + Math.floor(Math.random() * 100)), mode: 0o600, holdsSecret: true },
      { path: SECRET, content: makeVersion(version, 64), mode: 0o600, holdsSecret: true },
    ];
    writeSync(1, `start ${version}\n`);
    // As export does: under the folder's lock, which a kill leaves behind for the next run to take over.
    await withTargetFolder(dir, async (folder) => {
      const lock = await lockFolder(folder, 'crash test');
      await replaceFiles(folder, changes, { dirModes: { secrets: 0o700 } });
      await lock.release();
    });
    writeSync(1, `done ${version}\n`);
  }
}

const dir = process.argv[2];
const runAsScript = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runAsScript && dir !== undefined) {
  replaceForever(dir).catch((error: unknown) => {
    writeSync(2, `${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
