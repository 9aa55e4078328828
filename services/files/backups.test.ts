import { chmod, chown, lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupFileName, parseBackupName } from './backup-names.js';
import { backupFile } from './backups.js';
import { fileAtPath, modeOf, requireRoot, useScratchFolder } from './test-support/scratch-folders.js';

const NOON = new Date('2025-03-04T12:05:06.007Z');

let dir: string;
useScratchFolder('backups', (created) => (dir = created));

describe('backupFileName', () => {
  it('is <name>.<UTC stamp>-<8 random hex>.bak with a filesystem-safe, sortable stamp', () => {
    expect(backupFileName('.env', NOON, '0a1b2c3d')).toBe('.env.20250304T120506007Z-0a1b2c3d.bak');
    expect(parseBackupName('.env.20250304T120506007Z-0a1b2c3d.bak')).toEqual({ target: '.env', stamp: '20250304T120506007Z' });
  });

  it('still recognises the names older versions gave backups', () => {
    expect(parseBackupName('.env.20250304T120506007Z.bak')).toEqual({ target: '.env', stamp: '20250304T120506007Z' });
    expect(parseBackupName('.env.20250304T120506007Z-3.bak')).toEqual({ target: '.env', stamp: '20250304T120506007Z' });
    expect(parseBackupName('.env')).toBeUndefined();
  });
});

describe('backupFile', () => {
  it('returns undefined when there is no file to back up', async () => {
    expect(await backupFile(fileAtPath(join(dir, '.env')), { now: NOON })).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
  });

  it('copies the bytes beside the original under an unguessable name and keeps its mode', async () => {
    await writeFile(join(dir, 'docker-compose.yml'), 'services: {}\n');
    await chmod(join(dir, 'docker-compose.yml'), 0o640);
    const backup = await backupFile(fileAtPath(join(dir, 'docker-compose.yml')), { now: NOON });
    expect(backup?.name).toMatch(/^docker-compose\.yml\.20250304T120506007Z-[0-9a-f]{8}\.bak$/);
    expect(await readFile(join(dir, backup!.name), 'utf8')).toBe('services: {}\n');
    expect(await modeOf(join(dir, backup!.name))).toBe(0o640);
  });

  it('makes the copy of a secret-holding file 0600 or tighter, never looser than the original', async () => {
    const env = join(dir, '.env');
    await writeFile(env, 'SMTP_PASS=x\n');
    await chmod(env, 0o644);
    expect(await modeOf(join(dir, (await backupFile(fileAtPath(env), { now: NOON, tighten: true }))!.name))).toBe(0o600);
    await chmod(env, 0o400);
    expect(await modeOf(join(dir, (await backupFile(fileAtPath(env), { now: NOON, tighten: true }))!.name))).toBe(0o400);
  });

  it('never overwrites a backup: many in the same millisecond all get names of their own', async () => {
    const env = join(dir, '.env');
    const names: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) {
      await writeFile(env, content);
      names.push((await backupFile(fileAtPath(env), { now: NOON }))!.name);
    }
    expect(new Set(names).size).toBe(4);
    expect(await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).toEqual(['one', 'two', 'three', 'four']);
  });

  it('as root, gives the copy the owner of the original (so restore can check it)', async (context) => {
    requireRoot(context, 'giving a file to uid 1000');
    const env = join(dir, '.env');
    await writeFile(env, 'A=1\n');
    await chown(env, 1000, 1000);
    const backup = (await backupFile(fileAtPath(env), { now: NOON }))!;
    expect((await lstat(join(dir, backup.name))).uid).toBe(1000);
  });

  it('never reads through a link put in place of the original', async () => {
    await writeFile(join(dir, 'outside'), 'root-only bytes');
    await symlink(join(dir, 'outside'), join(dir, '.env'));
    await expect(backupFile(fileAtPath(join(dir, '.env')), { now: NOON })).rejects.toMatchObject({ code: 'LINK_REFUSED' });
  });
});
