import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { link, readdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_GUARD_PREFIX, DRAFT_MARKER, LOCK_FILE, lockFolder, TAKEOVER_GUARD } from './folder-lock.js';
import { withTargetFolder } from './target-folder.js';
import { expectSetupError, useScratchFolder } from './test-support/scratch-folders.js';

let dir: string;
useScratchFolder('lock', (created) => (dir = created));

const lockIn = (what = 'export') => withTargetFolder(dir, (folder) => lockFolder(folder, what));
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const bootOf = () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('lockFolder', () => {
  it('holds the folder with pid, host and boot id, and releasing removes the lock', async () => {
    const lock = await lockIn();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), what: 'export' });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives a second run BUSY at once, naming the holder, even in the same process', async () => {
    const lock = await lockIn();
    const started = Date.now();
    const error = await expectSetupError(lockIn('restore'));
    expect(Date.now() - started).toBeLessThan(200);
    expect(error.code).toBe('BUSY');
    expect(error.message).toMatch(new RegExp(`^Another n8n-setup \\(export, pid ${process.pid} on .+, since .+\\) is writing to ${dir} right now\\. Nothing was changed\\.$`));
    expect(error.fix).toContain(join(dir, LOCK_FILE));
    await lock.release();
    await (await lockIn()).release();
  });

  it('takes over the lock of a process that is gone, and of one from before a reboot', async () => {
    const mine = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8').catch(async () => {
      const lock = await lockIn();
      const text = await readFile(join(dir, LOCK_FILE), 'utf8');
      await lock.release();
      return text;
    }));
    for (const stale of [{ ...mine, pid: deadPid() }, { ...mine, boot: 'an-earlier-boot' }]) {
      await writeFile(join(dir, LOCK_FILE), JSON.stringify(stale));
      const lock = await lockIn();
      expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
      await lock.release();
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('many runs meeting one stale lock: exactly one holds the folder at any moment (a takeover never frees the name)', async () => {
    const template = { pid: deadPid(), host: hostname(), boot: JSON.parse(await withTargetFolder(dir, async (folder) => {
      const lock = await lockFolder(folder, 'probe');
      const text = await readFile(join(dir, LOCK_FILE), 'utf8');
      await lock.release();
      return text;
    })).boot as string, since: '2026-01-01T00:00:00.000Z', what: 'export' };
    let holders = 0;
    let most = 0;
    let held = 0;
    const run = () =>
      withTargetFolder(dir, async (folder) => {
        const lock = await lockFolder(folder, 'export').catch((error: unknown) => {
          if ((error as { code?: string }).code !== 'BUSY') throw error;
          return undefined;
        });
        if (!lock) return;
        held++;
        most = Math.max(most, ++holders);
        await new Promise((resolve) => setTimeout(resolve, 3));
        holders--;
        await lock.release();
      });
    for (let round = 0; round < 40; round++) {
      await writeFile(join(dir, LOCK_FILE), JSON.stringify(template));
      await Promise.all(Array.from({ length: 8 }, run));
    }
    expect(most).toBe(1);
    expect(held).toBeGreaterThanOrEqual(40);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a takeover left half-done by a run that died: its guard names a pid that is gone, and the next run takes over at once; a live taker’s guard is BUSY, until older than 10 s', async () => {
    const stale = JSON.stringify({ pid: deadPid(), host: hostname(), boot: 'an-earlier-boot', since: '2026-01-01T00:00:00.000Z', what: 'export' });
    await writeFile(join(dir, LOCK_FILE), stale);
    // A live taker (this very process) holds the guard: BUSY.
    await writeFile(join(dir, TAKEOVER_GUARD), JSON.stringify({ pid: process.pid, host: hostname(), boot: bootOf(), since: '2026-01-01T00:00:00.000Z', what: 'export' }));
    expect((await expectSetupError(lockIn())).code).toBe('BUSY');
    await writeFile(join(dir, TAKEOVER_GUARD), JSON.stringify({ pid: deadPid(), host: hostname(), boot: bootOf(), since: '2026-01-01T00:00:00.000Z', what: 'export' }));
    const lock = await lockIn();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    // A takeover takes milliseconds: a guard older than 10 s is dead whoever it names (here a live pid).
    await writeFile(join(dir, LOCK_FILE), stale);
    await writeFile(join(dir, TAKEOVER_GUARD), JSON.stringify({ pid: process.pid, host: hostname(), boot: bootOf(), since: '2026-01-01T00:00:00.000Z', what: 'export' }));
    await utimes(join(dir, TAKEOVER_GUARD), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await lockIn()).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('clears what killed runs left beside the lock (a draft, a dead guard moved aside) once older than 10 s; a fresh one may be a live run’s and stays', async () => {
    const left = [`${LOCK_FILE}${DRAFT_MARKER}00000001`, `${DEAD_GUARD_PREFIX}00000002`];
    const fresh = [`${LOCK_FILE}${DRAFT_MARKER}00000003`, `${DEAD_GUARD_PREFIX}00000004`];
    for (const name of [...left, ...fresh]) await writeFile(join(dir, name), '{"pid":1}');
    for (const name of left) await utimes(join(dir, name), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = await lockIn();
    await lock.release();
    expect((await readdir(dir)).sort()).toEqual(fresh.sort());
  });

  it("never takes over another machine's lock (a shared folder), and says which machine holds it", async () => {
    await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: 'other-host', boot: 'x', since: '2026-01-01T00:00:00.000Z', what: 'export' }));
    const error = await expectSetupError(lockIn());
    expect(error.code).toBe('BUSY');
    expect(error.fix).toMatch(/If no n8n-setup is running on other-host, delete /);
  });

  it('treats an empty lock as a run that died while creating it, once it is older than 10 s', async () => {
    await writeFile(join(dir, LOCK_FILE), '');
    expect((await expectSetupError(lockIn())).code).toBe('BUSY');
    await utimes(join(dir, LOCK_FILE), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await (await lockIn()).release();
  });

  it('a lock being taken by another run (for a moment it also has its draft name) is BUSY, not a refused link', async () => {
    await writeFile(join(dir, 'draft-of-another-run'), JSON.stringify({ pid: process.pid, host: hostname(), boot: 'x', since: new Date().toISOString(), what: 'export' }));
    await link(join(dir, 'draft-of-another-run'), join(dir, LOCK_FILE));
    expect((await expectSetupError(lockIn())).code).toBe('BUSY');
    // Left like that for longer than a run takes: a hard link is refused as any other.
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, LOCK_FILE), old, old);
    expect((await expectSetupError(lockIn())).code).toBe('LINK_REFUSED');
  });

  it('a run killed between taking the lock and removing its draft: the next run takes over at once; a live taker is BUSY by name', async () => {
    const draft = join(dir, `${LOCK_FILE}${DRAFT_MARKER}0badc0de`);
    const content = { pid: deadPid(), host: hostname(), boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), since: new Date().toISOString(), what: 'export' };
    await writeFile(draft, JSON.stringify(content));
    await link(draft, join(dir, LOCK_FILE));
    const lock = await lockIn();
    expect(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);

    await writeFile(draft, JSON.stringify({ ...content, pid: process.pid, what: 'restore' }));
    await link(draft, join(dir, LOCK_FILE));
    const error = await expectSetupError(lockIn());
    expect(error.code).toBe('BUSY');
    expect(error.message).toContain(`(restore, pid ${process.pid} on`);
  });

  it('refuses a lock that is a link out of the folder', async () => {
    await symlink('/etc/passwd', join(dir, LOCK_FILE));
    expect((await expectSetupError(lockIn())).code).toBe('LINK_REFUSED');
  });
});
