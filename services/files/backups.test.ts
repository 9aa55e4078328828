import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupFileName, parseBackupName } from './backup-names.js';
import { backupFile, listBackups, restoreBackup } from './backups.js';
import { expectSetupError, modeOf, useScratchFolder } from './test-support/scratch-folders.js';
import { tempFileName } from './write-file-atomic.js';

const NOON = new Date('2025-03-04T12:05:06.007Z');
const LATER = new Date('2025-03-04T12:05:07.000Z');

let dir: string;
useScratchFolder('backups', (created) => (dir = created));

describe('backupFileName', () => {
  it('is <name>.<UTC stamp>.bak with a filesystem-safe, sortable stamp', () => {
    expect(backupFileName('.env', NOON)).toBe('.env.20250304T120506007Z.bak');
    expect(backupFileName('.env', NOON, 3)).toBe('.env.20250304T120506007Z-3.bak');
    expect(parseBackupName('.env.20250304T120506007Z-3.bak')).toEqual({ target: '.env', stamp: '20250304T120506007Z', attempt: 3 });
    expect(parseBackupName('.env')).toBeUndefined();
  });
});

describe('backupFile', () => {
  it('returns undefined when there is no file to back up', async () => {
    expect(await backupFile(join(dir, '.env'), { now: NOON })).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('copies the bytes beside the original and keeps its mode', async () => {
    await writeFile(join(dir, 'docker-compose.yml'), 'services: {}\n');
    await chmod(join(dir, 'docker-compose.yml'), 0o640);
    const backup = await backupFile(join(dir, 'docker-compose.yml'), { now: NOON });
    expect(backup).toBe(join(dir, 'docker-compose.yml.20250304T120506007Z.bak'));
    expect(await readFile(backup!, 'utf8')).toBe('services: {}\n');
    expect(await modeOf(backup!)).toBe(0o640);
  });

  it('makes the copy of a secret-holding file 0600 or tighter, never looser than the original', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'SMTP_PASS=x\n');
    await chmod(env, 0o644);
    expect(await modeOf((await backupFile(env, { now: NOON, tighten: true }))!)).toBe(0o600);
    await chmod(env, 0o400);
    expect(await modeOf((await backupFile(env, { now: LATER, tighten: true }))!)).toBe(0o400);
  });

  it('adds -2, -3 when backups land in the same millisecond, never overwriting one', async () => {
    const env = join(dir, '.env');
    const backups: string[] = [];
    for (const content of ['one', 'two', 'three']) {
      await writeFile(env, content);
      backups.push((await backupFile(env, { now: NOON }))!);
    }
    expect(backups.map((path) => path.slice(dir.length + 1))).toEqual([
      '.env.20250304T120506007Z.bak',
      '.env.20250304T120506007Z-2.bak',
      '.env.20250304T120506007Z-3.bak',
    ]);
    expect(await Promise.all(backups.map((path) => readFile(path, 'utf8')))).toEqual(['one', 'two', 'three']);
  });
});

describe('listBackups', () => {
  it('lists backups newest first with the file each one copies, ignoring temp files and other files', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'A=1\n');
    await backupFile(env, { now: NOON });
    await writeFile(env, 'A=22\n');
    for (let i = 0; i < 10; i++) await backupFile(env, { now: LATER });
    await writeFile(join(dir, 'notes.bak'), 'not ours');
    await writeFile(join(dir, tempFileName('.env.20250304T120507000Z.bak')), 'half');

    const backups = await listBackups(dir);
    expect(backups).toHaveLength(11);
    expect(backups[0]).toEqual({ file: join(dir, '.env.20250304T120507000Z-10.bak'), target: env, takenAt: LATER.toISOString(), size: 5 });
    expect(backups[1]!.file).toBe(join(dir, '.env.20250304T120507000Z-9.bak'));
    expect(backups.at(-1)).toEqual({ file: join(dir, '.env.20250304T120506007Z.bak'), target: env, takenAt: NOON.toISOString(), size: 4 });
  });

  it('returns an empty list for a folder that does not exist', async () => {
    expect(await listBackups(join(dir, 'missing'))).toEqual([]);
  });
});

describe('restoreBackup', () => {
  it('puts the backup back and backs up what it replaces, so the restore can be undone', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'VERSION=1\n', { mode: 0o600 });
    const first = (await backupFile(env, { now: NOON }))!;
    await writeFile(env, 'VERSION=2\n');

    const restored = await restoreBackup(first, { now: LATER });
    expect(restored).toEqual({ target: env, backup: join(dir, '.env.20250304T120507000Z.bak') });
    expect(await readFile(env, 'utf8')).toBe('VERSION=1\n');

    await restoreBackup(restored.backup!, { now: new Date('2025-03-04T12:05:08.000Z') });
    expect(await readFile(env, 'utf8')).toBe('VERSION=2\n');
    expect((await listBackups(dir)).map((entry) => entry.file)).toHaveLength(3);
  });

  it('does not make the file more readable than it is now or than the backup was', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'OLD=1\n');
    await chmod(env, 0o644);
    const backup = (await backupFile(env, { now: NOON }))!;
    await writeFile(env, 'SMTP_PASS=secret\n');
    await chmod(env, 0o600);

    await restoreBackup(backup, { now: LATER });
    expect(await modeOf(env)).toBe(0o600);
  });

  it('recreates a target that was deleted, with nothing to back up first', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'A=1\n', { mode: 0o600 });
    const backup = (await backupFile(env, { now: NOON }))!;
    await rm(env);

    expect(await restoreBackup(backup)).toEqual({ target: env });
    expect(await readFile(env, 'utf8')).toBe('A=1\n');
    expect(await modeOf(env)).toBe(0o600);
  });

  it('fails with BACKUP_NOT_FOUND for a backup that is gone, and BACKUP_NOT_RECOGNISED for other files', async () => {
    const missing = await expectSetupError(restoreBackup(join(dir, '.env.20250304T120506007Z.bak')));
    expect(missing.code).toBe('BACKUP_NOT_FOUND');
    expect(missing.message).toContain('.env.20250304T120506007Z.bak');
    expect(missing.fix).toBeTruthy();

    const other = await expectSetupError(restoreBackup(join(dir, '.env')));
    expect(other.code).toBe('BACKUP_NOT_RECOGNISED');
  });
});
