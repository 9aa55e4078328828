/**
 * Test support for services/files and test/crash: throwaway folders, read-only and full disks, snapshots.
 * Not imported by product code.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { TestContext } from 'vitest';
import { afterEach, beforeEach, expect } from 'vitest';
import { SetupError } from '../../../shared/errors.js';
import { skipOutsideCi, skipSayingWhy } from '../../../test/support/external-tools.js';
import { testProgram, type ListedProgram } from '../../../scripts/test-programs.mjs';
import type { FileAt } from '../target-folder.js';

const isRoot = process.getuid?.() === 0;

/** Skips the running test, saying why, unless it runs as root. CI runs as root, so there it runs. */
export function requireRoot(context: TestContext, what: string): void {
  if (!isRoot) skipSayingWhy(context, `${what} needs root and this runs as uid ${process.getuid?.()}`);
}

/**
 * Skips a test whose disk condition cannot be set up here: always when not root (chmod and mounts need it),
 * else only outside CI, whose root must manage it.
 */
function cannotArrange(context: TestContext, reason: string): never {
  return isRoot ? skipOutsideCi(context, reason) : skipSayingWhy(context, reason);
}

export async function makeScratchFolder(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `n8n-setup-${label}-`));
}

export async function removeScratchFolder(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** Gives each test a fresh folder (passed to `use`) and runs it under umask 022, the common default. */
export function useScratchFolder(label: string, use: (dir: string) => void): void {
  let dir = '';
  let savedUmask = 0;
  beforeEach(async () => {
    dir = await makeScratchFolder(label);
    use(dir);
    savedUmask = process.umask(0o022);
  });
  afterEach(async () => {
    process.umask(savedUmask);
    await removeScratchFolder(dir);
  });
}

/** Awaits a promise that must fail with a SetupError, and returns the error. */
export async function expectSetupError(promise: Promise<unknown>): Promise<SetupError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SetupError);
  return error as SetupError;
}

/** Runs `body` while `dir` cannot be written to, or skips the test saying why that cannot be arranged here. */
export async function whileReadOnly(dir: string, context: TestContext, body: (how: string) => Promise<void>): Promise<void> {
  const readOnly = await makeReadOnly(dir);
  if ('reason' in readOnly) return cannotArrange(context, readOnly.reason);
  try {
    await body(readOnly.how);
  } finally {
    await readOnly.undo();
  }
}

/** Runs `body` with a new folder inside `parent` that is a tmpfs of `size`, or skips the test saying why not. */
export async function onTinyDisk(parent: string, size: string, context: TestContext, body: (disk: string) => Promise<void>): Promise<void> {
  const disk = join(parent, 'disk');
  await mkdir(disk);
  const tiny = await mountTinyDisk(disk, size);
  if ('reason' in tiny) return cannotArrange(context, tiny.reason);
  try {
    await body(disk);
  } finally {
    await tiny.undo();
  }
}

type Prepared = { how: string; undo: () => Promise<void> } | { reason: string };

/**
 * Makes a populated folder unwritable. chmod 0500 is enough for a normal user; root ignores it, so then the
 * folder is bind-mounted over itself read-only (needs mount rights, which CI's root has).
 */
async function makeReadOnly(dir: string): Promise<Prepared> {
  await chmod(dir, 0o500);
  const probe = join(dir, '.write-probe');
  try {
    await writeFile(probe, '');
  } catch {
    return { how: 'chmod 0500', undo: () => chmod(dir, 0o700) };
  }
  await unlink(probe);
  await chmod(dir, 0o700);

  const bound = run(testProgram('mount'), ['--bind', dir, dir]);
  if (bound !== undefined) return { reason: `running as uid ${process.getuid?.()}, chmod does not stop writes, and bind-mounting failed: ${bound}` };
  const remounted = run(testProgram('mount'), ['-o', 'remount,bind,ro', dir]);
  if (remounted !== undefined) {
    run(testProgram('umount'), [dir]);
    return { reason: `cannot remount ${dir} read-only: ${remounted}` };
  }
  return { how: 'read-only bind mount', undo: async () => void run(testProgram('umount'), [dir]) };
}

/** Mounts a tmpfs of `size` (e.g. '64k') on `dir`, so the disk really fills up. Needs root. */
async function mountTinyDisk(dir: string, size: string): Promise<Prepared> {
  if (!isRoot) return { reason: `mounting a ${size} tmpfs needs root and this runs as uid ${process.getuid?.()}` };
  const failed = run(testProgram('mount'), ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  if (failed !== undefined) return { reason: `mount -t tmpfs failed: ${failed}` };
  return { how: `tmpfs size=${size}`, undo: async () => void run(testProgram('umount'), [dir]) };
}

/** Every entry under `dir` with its mode and a hash of its bytes, to compare before and after. */
export async function snapshotFolder(dir: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  async function walk(folder: string): Promise<void> {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const stats = await stat(path);
      const mode = (stats.mode & 0o777).toString(8);
      if (stats.isDirectory()) {
        snapshot[relative(dir, path)] = `folder ${mode}`;
        await walk(path);
      } else {
        snapshot[relative(dir, path)] = `file ${mode} ${createHash('sha256').update(await readFile(path)).digest('hex')}`;
      }
    }
  }
  await walk(dir);
  return snapshot;
}

export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/** Returns undefined on success, else why it failed. */
function run(command: ListedProgram, args: string[]): string | undefined {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  }
}

/** The FileAt of a plain path, for tests of the functions that take one. */
export function fileAtPath(path: string): FileAt {
  return { dir: dirname(path), name: basename(path), shown: path, rel: basename(path) };
}
