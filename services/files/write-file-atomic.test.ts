import { chown, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSetupError, modeOf, onTinyDisk, requireRoot, useScratchFolder, whileReadOnly } from './test-support/scratch-folders.js';
import { tempFileName, tempFileTarget, writeFileAtomic } from './write-file-atomic.js';

let dir: string;
useScratchFolder('write', (created) => (dir = created));

describe('writeFileAtomic', () => {
  it('creates a file holding exactly the given bytes', async () => {
    const path = join(dir, '.env');
    await writeFileAtomic(path, 'N8N_HOST=example.com\n', { mode: 0o644 });
    expect(await readFile(path, 'utf8')).toBe('N8N_HOST=example.com\n');
    await writeFileAtomic(path, new Uint8Array([0, 255, 10]), { mode: 0o644 });
    expect([...(await readFile(path))]).toEqual([0, 255, 10]);
  });

  it('gives a secret mode 0600 under umask 022, and a wider mode exactly under umask 077', async () => {
    await writeFileAtomic(join(dir, 'secret'), 'hunter2', { mode: 0o600 });
    expect(await modeOf(join(dir, 'secret'))).toBe(0o600);

    process.umask(0o077);
    await writeFileAtomic(join(dir, 'shared'), 'hello', { mode: 0o640 });
    expect(await modeOf(join(dir, 'shared'))).toBe(0o640);
  });

  it('never lets a secret be readable by others, not even as the temp file', async () => {
    const tempModes: number[] = [];
    await writeFileAtomic(join(dir, 'secret'), 'hunter2', {
      mode: 0o600,
      faults: async (step) => {
        if (step !== 'after-temp-write') return;
        const temp = (await readdir(dir)).find((name) => tempFileTarget(name) === 'secret');
        tempModes.push(await modeOf(join(dir, temp!)));
      },
    });
    expect(tempModes).toEqual([0o600]);
  });

  it('replaces an existing file with the new mode and leaves only that file in the folder', async () => {
    const path = join(dir, '.env');
    await writeFile(path, 'OLD=1\n', { mode: 0o644 });
    await writeFileAtomic(path, 'NEW=1\n', { mode: 0o600 });
    expect(await readFile(path, 'utf8')).toBe('NEW=1\n');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('writes through a symlink, so the admin’s link stays a link', async () => {
    await mkdir(join(dir, 'real'));
    await writeFile(join(dir, 'real', '.env'), 'OLD=1\n');
    await symlink(join('real', '.env'), join(dir, '.env'));
    await writeFileAtomic(join(dir, '.env'), 'NEW=1\n', { mode: 0o600 });
    expect((await lstat(join(dir, '.env'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, '.env'))).toBe(join('real', '.env'));
    expect(await readFile(join(dir, 'real', '.env'), 'utf8')).toBe('NEW=1\n');
  });

  it('keeps the owner of a file it replaces when running as root (n8n reads secrets as uid 1000)', async (context) => {
    requireRoot(context, 'chown to uid 1000');
    const path = join(dir, 'smtp_password');
    await writeFile(path, 'old');
    await chown(path, 1000, 1000);
    await writeFileAtomic(path, 'new', { mode: 0o600 });
    const { uid, gid } = await stat(path);
    expect({ uid, gid }).toEqual({ uid: 1000, gid: 1000 });
  });

  it('refuses to replace an existing file when asked to fail if it exists', async () => {
    const path = join(dir, 'backup.bak');
    await writeFile(path, 'first');
    const error = await expectSetupError(writeFileAtomic(path, 'second', { mode: 0o600, failIfExists: true }));
    expect(error.code).toBe('WRITE_EXISTS');
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir)).toEqual(['backup.bak']);
  });

  it('says which folder is missing, with WRITE_FOLDER_MISSING', async () => {
    const error = await expectSetupError(writeFileAtomic(join(dir, 'nope', '.env'), 'A=1', { mode: 0o600 }));
    expect(error.code).toBe('WRITE_FOLDER_MISSING');
    expect(error.message).toContain(join(dir, 'nope'));
    expect(error.fix).toBeTruthy();
  });

  it('reports a read-only folder as WRITE_READ_ONLY or WRITE_PERMISSION_DENIED and leaves the file as it was', async (context) => {
    const path = join(dir, '.env');
    await writeFile(path, 'OLD=1\n', { mode: 0o600 });
    await whileReadOnly(dir, context, async (how) => {
      const error = await expectSetupError(writeFileAtomic(path, 'NEW=1\n', { mode: 0o600 }));
      expect(error.code).toBe(how === 'chmod 0500' ? 'WRITE_PERMISSION_DENIED' : 'WRITE_READ_ONLY');
      expect(error.message).toContain(path);
      expect(error.message).toContain('left as it was');
      expect(error.fix).toBeTruthy();
    });
    expect(await readFile(path, 'utf8')).toBe('OLD=1\n');
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('reports a full disk as WRITE_NO_SPACE and removes its half-written temp file', async (context) => {
    await onTinyDisk(dir, '64k', context, async (disk) => {
      await writeFile(join(disk, '.env'), 'OLD=1\n');
      const error = await expectSetupError(writeFileAtomic(join(disk, '.env'), 'X'.repeat(256 * 1024), { mode: 0o600 }));
      expect(error.code).toBe('WRITE_NO_SPACE');
      expect(error.message).toContain(join(disk, '.env'));
      expect(error.fix).toMatch(/free some space/i);
      expect(await readFile(join(disk, '.env'), 'utf8')).toBe('OLD=1\n');
      expect(await readdir(disk)).toEqual(['.env']);
    });
  });
});

describe('tempFileName', () => {
  it('is hidden, unique and recognisable as a temp of the named file', () => {
    const a = tempFileName('.env');
    const b = tempFileName('.env');
    expect(a).toMatch(/^\.\.env\.tmp-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(tempFileTarget(a)).toBe('.env');
    expect(tempFileTarget('.env')).toBeUndefined();
    expect(tempFileTarget('.env.20250101T000000000Z.bak')).toBeUndefined();
  });
});
