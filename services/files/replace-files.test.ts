import { chmod, mkdir, readdir, readFile, stat, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import type { FileChange, ReplaceFilesOptions } from './replace-files.js';
import { hash, replaceFiles } from './replace-files.js';
import { withTargetFolder } from './target-folder.js';
import { expectSetupError, modeOf, onTinyDisk, snapshotFolder, useScratchFolder, whileReadOnly } from './test-support/scratch-folders.js';
import { tempFileName } from './write-file-atomic.js';

const NOW = new Date('2025-03-04T12:05:06.007Z');

let dir: string;
useScratchFolder('replace', (created) => (dir = created));

function replaceIn(folder: string, changes: FileChange[], options?: ReplaceFilesOptions) {
  return withTargetFolder(folder, (target) => replaceFiles(target, changes, options));
}

async function backupsIn(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((name) => name.endsWith('.bak'));
}

function env(content: string): FileChange {
  return { path: '.env', content, mode: 0o600, holdsSecret: true };
}

function compose(content: string): FileChange {
  return { path: 'docker-compose.yml', content, mode: 0o644, holdsSecret: false };
}

describe('replaceFiles', () => {
  it('creates missing files with the requested modes and secret folders 0700, even under umask 022', async () => {
    const outcomes = await replaceIn(dir, [env('A=1\n'), compose('services: {}\n'), { path: 'secrets/smtp_password', content: 'pw', mode: 0o600, holdsSecret: true }], {
      dirModes: { secrets: 0o700 },
    });
    expect(outcomes).toEqual([
      { path: '.env', action: 'created', mode: 0o600, sha256: hash(Buffer.from('A=1\n')) },
      { path: 'docker-compose.yml', action: 'created', mode: 0o644, sha256: hash(Buffer.from('services: {}\n')) },
      { path: 'secrets/smtp_password', action: 'created', mode: 0o600, sha256: hash(Buffer.from('pw')) },
    ]);
    expect(await modeOf(join(dir, '.env'))).toBe(0o600);
    expect(await modeOf(join(dir, 'docker-compose.yml'))).toBe(0o644);
    expect(await modeOf(join(dir, 'secrets'))).toBe(0o700);
    expect(await readFile(join(dir, 'secrets', 'smtp_password'), 'utf8')).toBe('pw');
  });

  it('makes nested folders with the modes given per folder', async () => {
    await replaceIn(dir, [{ path: 'proxy/conf.d/n8n.conf', content: 'x', mode: 0o644, holdsSecret: false }], { dirModes: { proxy: 0o750 } });
    expect(await modeOf(join(dir, 'proxy'))).toBe(0o750);
    expect(await modeOf(join(dir, 'proxy', 'conf.d'))).toBe(0o755);
  });

  it('leaves a file with identical bytes alone: no write, no backup', async () => {
    await writeFile(join(dir, 'docker-compose.yml'), 'services: {}\n', { mode: 0o644 });
    const before = await stat(join(dir, 'docker-compose.yml'));
    const outcomes = await replaceIn(dir, [compose('services: {}\n')], { now: NOW });
    expect(outcomes).toMatchObject([{ path: 'docker-compose.yml', action: 'unchanged', mode: 0o644 }]);
    expect((await stat(join(dir, 'docker-compose.yml'))).ino).toBe(before.ino);
    expect(await backupsIn(dir)).toEqual([]);
  });

  it('tightens an unchanged file that holds a secret and reports the mode it had', async () => {
    await writeFile(join(dir, '.env'), 'SMTP_PASS=x\n');
    await chmod(join(dir, '.env'), 0o644);
    const outcomes = await replaceIn(dir, [env('SMTP_PASS=x\n')], { now: NOW });
    expect(outcomes).toMatchObject([{ path: '.env', action: 'unchanged', mode: 0o600, tightenedFrom: 0o644 }]);
    expect(await modeOf(join(dir, '.env'))).toBe(0o600);
    expect(await backupsIn(dir)).toEqual([]);
  });

  it('backs up a changed file, then updates it keeping the mode the admin chose for a non-secret file', async () => {
    await writeFile(join(dir, 'docker-compose.yml'), 'old\n');
    await chmod(join(dir, 'docker-compose.yml'), 0o664);
    const [outcome] = await replaceIn(dir, [compose('new\n')], { now: NOW });
    expect(outcome).toMatchObject({ path: 'docker-compose.yml', action: 'updated', backup: expect.stringMatching(/^docker-compose\.yml\.20250304T120506007Z-[0-9a-f]{8}\.bak$/), backupSha256: hash(Buffer.from('old\n')), mode: 0o664 });
    const backup = join(dir, outcome!.backup!);
    expect(await readFile(join(dir, 'docker-compose.yml'), 'utf8')).toBe('new\n');
    expect(await readFile(backup, 'utf8')).toBe('old\n');
    expect(await modeOf(backup)).toBe(0o664);
  });

  it('tightens an updated secret-holding file to the requested mode and its backup to 0600', async () => {
    await writeFile(join(dir, '.env'), 'N8N_HOST=a\n');
    await chmod(join(dir, '.env'), 0o644);
    const [outcome] = await replaceIn(dir, [env('N8N_HOST=a\nSMTP_PASS=x\n')], { now: NOW });
    expect(outcome).toMatchObject({ action: 'updated', mode: 0o600, tightenedFrom: 0o644 });
    expect(await modeOf(join(dir, '.env'))).toBe(0o600);
    expect(await modeOf(join(dir, outcome!.backup!))).toBe(0o600);
  });

  it('tightens the backup to 0600 when the old content held a secret the new one no longer does', async () => {
    await writeFile(join(dir, '.env'), 'N8N_HOST=a\nN8N_SMTP_PASS=hunter2\n');
    await chmod(join(dir, '.env'), 0o644);
    // The password moved to a Docker secret: the new .env holds none, so it keeps the mode the admin chose.
    const [outcome] = await replaceIn(dir, [{ path: '.env', content: 'N8N_HOST=a\n', mode: 0o600, holdsSecret: false, previousHeldSecret: true }], { now: NOW });
    expect(outcome).toMatchObject({ path: '.env', action: 'updated', mode: 0o644, backup: expect.stringMatching(/^\.env\.20250304T120506007Z-[0-9a-f]{8}\.bak$/) });
    expect(await readFile(join(dir, outcome!.backup!), 'utf8')).toContain('hunter2');
    expect(await modeOf(join(dir, outcome!.backup!))).toBe(0o600);
    expect(await modeOf(join(dir, '.env'))).toBe(0o644);
  });

  it('never loosens an existing file, even when the requested mode is wider', async () => {
    await writeFile(join(dir, '.env'), 'A=1\n');
    await chmod(join(dir, '.env'), 0o400);
    const [outcome] = await replaceIn(dir, [{ ...env('A=2\n'), mode: 0o644 }], { now: NOW });
    expect(outcome).toMatchObject({ action: 'updated', mode: 0o400 });
    expect(await modeOf(join(dir, '.env'))).toBe(0o400);
  });

  it('refuses paths that leave the folder, before writing anything', async () => {
    for (const path of ['../escape', '/etc/passwd', 'secrets/../../escape', '.']) {
      const error = await expectSetupError(replaceIn(dir, [env('A=1\n'), { ...compose('x'), path }]));
      expect(error.code).toBe('WRITE_OUTSIDE_FOLDER');
    }
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails with WRITE_FOLDER_MISSING when the setup folder does not exist', async () => {
    const error = await expectSetupError(replaceIn(join(dir, 'missing'), [env('A=1\n')]));
    expect(error.code).toBe('WRITE_FOLDER_MISSING');
    expect(error.message).toContain(join(dir, 'missing'));
  });

  it('removes temp files an interrupted earlier run left beside the files it writes', async () => {
    const leftover = tempFileName('.env');
    const backupLeftover = tempFileName('.env.20250101T000000000Z.bak');
    const unrelated = tempFileName('other');
    for (const name of [leftover, backupLeftover, unrelated]) await writeFile(join(dir, name), 'half');
    await replaceIn(dir, [env('A=1\n')]);
    expect((await readdir(dir)).sort()).toEqual(['.env', unrelated].sort());
  });

  it('puts back the files it already wrote when a later file fails, keeping the backups', async () => {
    await writeFile(join(dir, '.env'), 'OLD=1\n', { mode: 0o600 });
    let renames = 0;
    const error = await replaceIn(dir, [env('NEW=1\n'), compose('services: {}\n')], {
      now: NOW,
      faults: (step) => {
        if (step === 'before-rename' && ++renames === 2) throw new SetupError({ code: 'WRITE_FAILED', message: 'Disk went away.' });
      },
    }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'WRITE_FAILED' });
    expect((error as SetupError).message).toContain('put back');
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('OLD=1\n');
    expect((await readdir(dir)).filter((name) => !name.endsWith('.bak'))).toEqual(['.env']);
    expect((await backupsIn(dir)).map((name) => name.split('.2025')[0])).toEqual(['.env']);
  });

  it('fails on a read-only folder before touching any file, leaving everything as it was', async (context) => {
    await writeFile(join(dir, '.env'), 'OLD=1\n', { mode: 0o644 });
    await mkdir(join(dir, 'secrets'), { mode: 0o700 });
    await writeFile(join(dir, 'secrets', 'token'), 'old-token', { mode: 0o600 });
    const before = await snapshotFolder(dir);
    await whileReadOnly(dir, context, async (how) => {
      const error = await expectSetupError(replaceIn(dir, [env('NEW=1\n'), { path: 'secrets/token', content: 'new', mode: 0o600, holdsSecret: true }]));
      expect(error.code).toBe(how === 'chmod 0500' ? 'WRITE_PERMISSION_DENIED' : 'WRITE_READ_ONLY');
      expect(error.message).toContain(join(dir, '.env'));
      expect(error.message).toContain('No file was changed');
      expect(error.fix).toBeTruthy();
    });
    expect(await snapshotFolder(dir)).toEqual(before);
  });

  it('fails on a full disk before touching any file, leaving everything as it was', async (context) => {
    await onTinyDisk(dir, '64k', context, async (disk) => {
      await writeFile(join(disk, '.env'), 'OLD=1\n', { mode: 0o600 });
      await writeFile(join(disk, 'docker-compose.yml'), 'old\n', { mode: 0o644 });
      const before = await snapshotFolder(disk);
      const error = await expectSetupError(replaceIn(disk, [compose('x'.repeat(16 * 1024)), env('NEW=1\n')]));
      expect(error.code).toBe('WRITE_NO_SPACE');
      expect(error.message).toMatch(/KiB free and setup needs about/);
      expect(error.message).toContain('No file was changed');
      expect(error.fix).toMatch(/free some space/i);
      expect(await snapshotFolder(disk)).toEqual(before);
    });
  });

  it('puts back what it wrote when the disk fills up part-way through (something else filled it)', async (context) => {
    await onTinyDisk(dir, '1m', context, async (disk) => {
      await writeFile(join(disk, '.env'), 'OLD=1\n', { mode: 0o600 });
      const error = await expectSetupError(
        replaceIn(disk, [env('NEW=1\n'), compose('y'.repeat(64 * 1024))], {
          now: NOW,
          faults: async (step, path) => {
            // Another program fills the disk right after .env is replaced, leaving 16 KiB.
            if (step === 'after-rename' && path.endsWith('.env')) await fillDiskLeaving(disk, 16 * 1024);
          },
        }),
      );
      expect(error.code).toBe('WRITE_NO_SPACE');
      expect(error.message).toContain(join(disk, 'docker-compose.yml'));
      expect(error.message).toContain('put back as they were');
      expect(await readFile(join(disk, '.env'), 'utf8')).toBe('OLD=1\n');
      expect(await modeOf(join(disk, '.env'))).toBe(0o600);
      expect((await readdir(disk)).filter((name) => !name.endsWith('.bak')).sort()).toEqual(['.env', 'filler']);
    });
  });
});

async function fillDiskLeaving(folder: string, leave: number): Promise<void> {
  const { bavail, bsize } = await statfs(folder);
  await writeFile(join(folder, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - leave)));
}
