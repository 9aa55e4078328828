import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listExportBackups, restoreExportBackup } from '../../services/export/export-backups.js';
import { manifestFiles, newManifestId, writeManifest } from '../../services/export/export-manifest.js';
import { LOCK_FILE } from '../../services/files/folder-lock.js';
import { replaceFiles } from '../../services/files/replace-files.js';
import { withTargetFolder } from '../../services/files/target-folder.js';
import { modeOf, useScratchFolder } from '../../services/files/test-support/scratch-folders.js';
import type { WriteFaults, WriteStep } from '../../services/files/write-file-atomic.js';
import { inspectAfterCrash } from './inspect-after-crash.js';

/**
 * Crashes each write at every named step, once per file it touches, two ways: the fault throws (the error
 * path: cleanup and put-back must run) and the fault freezes (the process dies there: we look at the disk as
 * it is at that instant, then run again as the next start would).
 */
const ALL_STEPS: WriteStep[] = ['after-temp-write', 'after-fsync', 'before-rename', 'after-rename', 'during-backup'];
const ENV = '.env';
const SECRET = 'secrets/smtp_password';
const TARGETS = [ENV, SECRET];
type Contents = Record<string, string>;
const EARLIER: Contents = { [ENV]: 'N8N_HOST=earlier.example.com\n', [SECRET]: 'earlier-password' };
const OLD: Contents = { [ENV]: 'N8N_HOST=old.example.com\n', [SECRET]: 'old-password' };
const NEW: Contents = { [ENV]: 'N8N_HOST=new.example.com\nN8N_SMTP_PASS_FILE=/run/secrets/smtp_password\n', [SECRET]: 'new-password' };
const NOW = new Date('2025-03-04T12:05:06.007Z');

class SimulatedCrash extends Error {}

interface Scenario {
  name: string;
  run: (dir: string, faults?: WriteFaults) => Promise<unknown>;
  /** What each target holds after a complete run. */
  finished: Contents;
}

const scenarios: Scenario[] = [
  {
    name: 'replaceFiles (two files, both backed up)',
    run: (dir, faults) =>
      withTargetFolder(dir, (folder) =>
        replaceFiles(
          folder,
          TARGETS.map((path) => ({ path, content: NEW[path]!, mode: 0o600, holdsSecret: true })),
          { now: NOW, dirModes: { secrets: 0o700 }, ...(faults && { faults }) },
        ),
      ),
    finished: NEW,
  },
  {
    name: 'restoreExportBackup (backs up the current file first, under the folder lock)',
    run: async (dir, faults) => restoreExportBackup(dir, (await listExportBackups(dir))[0]!.backup, { now: NOW, ...(faults && { faults }) }),
    finished: { ...OLD, [ENV]: EARLIER[ENV]! },
  },
];

/** Every byte string a target or its backups may legitimately hold. */
function isOneVersion(target: string, bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  const known = [EARLIER, OLD, NEW].map((version) => version[target]);
  return known.includes(text) ? undefined : `holds ${JSON.stringify(text.slice(0, 40))}, which is no complete version`;
}

let root: string;
useScratchFolder('faults', (created) => (root = created));

let folders = 0;
/** The earlier .env, replaced by the old files in a recorded export (which backed the earlier one up). */
async function folderWithOldFiles(): Promise<string> {
  const dir = join(root, `run-${++folders}`);
  await mkdir(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(join(dir, ENV), EARLIER[ENV]!, { mode: 0o600 });
  const then = new Date('2024-01-01T00:00:00.000Z');
  await withTargetFolder(dir, async (folder) => {
    const outcomes = await replaceFiles(folder, TARGETS.map((path) => ({ path, content: OLD[path]!, mode: 0o600, holdsSecret: true })), { now: then });
    await writeManifest(folder, { version: 1, id: newManifestId(then), kind: 'export', at: then.toISOString(), files: manifestFiles(outcomes) });
  });
  return dir;
}

/** The copy of a folder whose writer "died": its lock names a process that no longer runs, as after a real crash. */
async function lockOfDeadProcess(dir: string): Promise<void> {
  const lock = await readFile(join(dir, LOCK_FILE), 'utf8').catch(() => undefined);
  if (lock === undefined) return;
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...JSON.parse(lock), pid: dead }));
}

async function crashPointsOf(scenario: Scenario): Promise<Array<{ step: WriteStep; path: string }>> {
  const points: Array<{ step: WriteStep; path: string }> = [];
  await scenario.run(await folderWithOldFiles(), (step, path) => void points.push({ step, path }));
  return points;
}

async function expectIntact(dir: string, allowTempFiles: boolean): Promise<Map<string, Buffer | undefined>> {
  const inspection = await inspectAfterCrash(dir, TARGETS, isOneVersion);
  expect(inspection.problems).toEqual([]);
  if (!allowTempFiles) expect(inspection.tempFiles).toEqual([]);
  expect(inspection.backups).toBeGreaterThanOrEqual(1); // the earlier backup is never lost
  for (const target of TARGETS) {
    expect(inspection.files.get(target), `${target} must exist`).toBeDefined();
    expect(await modeOf(join(dir, target))).toBe(0o600);
  }
  return inspection.files;
}

async function expectFinished(dir: string, scenario: Scenario): Promise<void> {
  const files = await expectIntact(dir, false);
  for (const target of TARGETS) expect(files.get(target)!.toString('utf8')).toBe(scenario.finished[target]);
}

describe.each(scenarios)('a crash during $name', (scenario) => {
  it('can happen at every named step', async () => {
    const steps = new Set((await crashPointsOf(scenario)).map((point) => point.step));
    expect([...steps].sort()).toEqual([...ALL_STEPS].sort());
  });

  it('that throws leaves every file old or complete, backups intact and no temp files', async () => {
    const points = await crashPointsOf(scenario);
    for (const [index, point] of points.entries()) {
      const dir = await folderWithOldFiles();
      let seen = 0;
      const outcome = await scenario.run(dir, () => {
        if (seen++ === index) throw new SimulatedCrash(`${point.step} of ${point.path}`);
      }).catch((error: unknown) => error);
      expect(outcome, `${point.step} #${index}`).toBeInstanceOf(SimulatedCrash);
      await expectIntact(dir, false);

      await scenario.run(dir);
      await expectFinished(dir, scenario);
    }
  });

  it('that kills the process leaves every file old or complete and only recognisable temp files, which the next run removes', async () => {
    const points = await crashPointsOf(scenario);
    let tempFilesSeen = 0;
    for (const [index, point] of points.entries()) {
      const dir = await folderWithOldFiles();
      const afterCrash = `${dir}-after-crash`;
      let seen = 0;
      let frozen!: () => void;
      const reached = new Promise<void>((resolve) => (frozen = resolve));
      let release!: (error: Error) => void;
      const gate = new Promise<void>((_, reject) => (release = reject));
      const running = scenario.run(dir, async () => {
        if (seen++ !== index) return;
        frozen();
        await gate; // the process "dies" here: nothing after this point runs before we copy the disk
      });
      await reached;
      await cp(dir, afterCrash, { recursive: true });
      await lockOfDeadProcess(afterCrash);
      release(new SimulatedCrash(`${point.step} of ${point.path}`));
      await running.catch(() => undefined);

      const inspection = await inspectAfterCrash(afterCrash, TARGETS, isOneVersion);
      tempFilesSeen += inspection.tempFiles.length;
      await expectIntact(afterCrash, true);

      await scenario.run(afterCrash);
      await expectFinished(afterCrash, scenario);
    }
    // Crashes before the rename must have left a temp file; this proves the freeze really stopped mid-write.
    expect(tempFilesSeen).toBeGreaterThan(0);
  });
});
