import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { parseBackupName } from '../../services/files/backup-names.js';
import { makeScratchFolder, modeOf, removeScratchFolder } from '../../services/files/test-support/scratch-folders.js';
import { inspectAfterCrash } from './inspect-after-crash.js';
import { PAYLOAD, SECRET } from './replace-forever.js';
import { parseVersion } from './versioned-content.js';

/**
 * Kills a real writer process with SIGKILL at random moments while it replaces a 1–4 MB payload and a secret
 * (with backups), and checks the folder after every kill. The writer is bundled with esbuild because node
 * cannot run our TypeScript directly: type stripping does not map the `.js` import specifiers to `.ts` files.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 60);
const MAX_DELAY_MS = 300;
const KEEP_BACKUPS = 2;

type Moment = 'while replacing the payload' | 'between the payload and the secret' | 'after both were replaced';

let root: string;
let writer: string;

beforeAll(async () => {
  root = await makeScratchFolder('sigkill');
  writer = join(root, 'replace-forever.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./replace-forever.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: writer,
    logLevel: 'silent',
  });
});

afterAll(async () => {
  await removeScratchFolder(root);
});

interface KilledRun {
  lastStarted: number;
  completed: number;
}

/** Starts the writer, waits until it has begun writing, then kills it after a random delay. */
async function runAndKill(dir: string): Promise<KilledRun> {
  const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('start ')) resolve();
    });
    void exited.then(() => resolve());
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_DELAY_MS));
  child.kill('SIGKILL');
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the writer stopped by itself before the kill:\n${stderr}`);

  const started = [...stdout.matchAll(/^start (\d+)$/gm)].map((match) => Number(match[1]));
  return { lastStarted: Math.max(...started), completed: [...stdout.matchAll(/^done \d+$/gm)].length };
}

function isCompleteVersion(_target: string, bytes: Buffer): string | undefined {
  const parsed = parseVersion(bytes);
  return parsed.complete ? undefined : parsed.why;
}

/** The version a file holds; -1 when it does not exist yet (isCompleteVersion has already vouched for the rest). */
function versionOf(bytes: Buffer | undefined): number {
  const parsed = bytes && parseVersion(bytes);
  return parsed && parsed.complete ? parsed.version : -1;
}

/** Backups are verified after every kill; only the newest few are kept so 60 runs of 4 MB writes stay small. */
async function pruneBackups(folder: string): Promise<void> {
  const keptPerTarget = new Map<string, number>();
  // Newest first: the stamp in the name sorts as text.
  const names = await readdir(folder).catch(() => [] as string[]); // the first kill may come before secrets/ exists
  const backups = names.filter((name) => parseBackupName(name)).sort((a, b) => parseBackupName(b)!.stamp.localeCompare(parseBackupName(a)!.stamp));
  for (const name of backups) {
    const target = parseBackupName(name)!.target;
    const kept = keptPerTarget.get(target) ?? 0;
    if (kept < KEEP_BACKUPS) keptPerTarget.set(target, kept + 1);
    else await rm(join(folder, name));
  }
}

describe('replaceFiles killed with SIGKILL at random moments', () => {
  it(`leaves each file as one complete version, old or new, with complete backups; the next run takes over the dead run's lock (${KILLS} kills)`, { timeout: 180_000 }, async () => {
    const dir = join(root, 'setup');
    await mkdir(dir);
    const moments: Record<Moment, number> = {
      'while replacing the payload': 0,
      'between the payload and the secret': 0,
      'after both were replaced': 0,
    };
    let versionsWritten = 0;
    let backupsChecked = 0;
    const tempFilesLeft = { 'of a backup': 0, 'of a file': 0 };
    const started = Date.now();
    let previous = { payload: -1, secret: -1 };
    let locksLeft = 0;

    for (let kill = 1; kill <= KILLS; kill++) {
      const run = await runAndKill(dir);
      versionsWritten += run.completed;

      const inspection = await inspectAfterCrash(dir, [PAYLOAD, SECRET], isCompleteVersion);
      expect(inspection.problems, `after kill ${kill}`).toEqual([]);
      const payload = versionOf(inspection.files.get(PAYLOAD));
      const secret = versionOf(inspection.files.get(SECRET));
      // Old is what the last completed replacement wrote, or, if none completed, what the previous kill left.
      const oldOrNew = (before: number) => [run.completed > 0 ? run.lastStarted - 1 : before, run.lastStarted];
      expect(oldOrNew(previous.payload), `payload after kill ${kill}`).toContain(payload);
      expect(oldOrNew(previous.secret), `secret after kill ${kill}`).toContain(secret);
      previous = { payload, secret };
      if (inspection.files.get(PAYLOAD)) expect(await modeOf(join(dir, PAYLOAD))).toBe(0o600);
      if (inspection.files.get(SECRET)) expect(await modeOf(join(dir, SECRET))).toBe(0o600);
      if (await stat(join(dir, 'secrets')).catch(() => undefined)) expect(await modeOf(join(dir, 'secrets'))).toBe(0o700);

      moments[payload < run.lastStarted ? 'while replacing the payload' : secret < run.lastStarted ? 'between the payload and the secret' : 'after both were replaced']++;
      backupsChecked += inspection.backups;
      if (inspection.lockLeft) locksLeft++;
      for (const temp of inspection.tempFiles) tempFilesLeft[temp.includes('.bak.tmp-') ? 'of a backup' : 'of a file']++;
      await pruneBackups(dir);
      await pruneBackups(join(dir, 'secrets'));
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `SIGKILL crash test: ${KILLS} kills in ${seconds} s; ${versionsWritten} replacements completed between kills; ` +
        `killed ${Object.entries(moments).map(([moment, count]) => `${moment}: ${count}`).join(', ')}; ` +
        `${backupsChecked} backup checks, all complete; recognisable temp files left by kills (removed by the next run): ` +
        `${tempFilesLeft['of a file']} of a file, ${tempFilesLeft['of a backup']} of a backup; ${locksLeft} locks of killed runs taken over; 0 torn files.`,
    );
    expect(Object.values(moments).reduce((sum, count) => sum + count, 0)).toBe(KILLS);
    // Kills mid-write left the lock of a dead process, and the next writer took it over (else it had failed BUSY).
    expect(locksLeft).toBeGreaterThan(0);
    // Shows the kills really landed mid-write, not only between writes.
    expect(moments['while replacing the payload']).toBeGreaterThan(0);
  });
});
