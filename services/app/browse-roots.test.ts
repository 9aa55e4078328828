import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browseRoots, isSystemFolder } from './browse-roots.js';

describe('isSystemFolder', () => {
  it('names / and the folders the system owns, with everything inside them', () => {
    for (const path of ['/', '/etc', '/etc/n8n', '/usr', '/usr/local/n8n', '/proc/1', '/sys', '/dev/shm', '/boot', '/bin', '/sbin', '/lib', '/var/run', '/run/n8n']) {
      expect(isSystemFolder(path, '/home/admin'), path).toBe(true);
    }
  });

  it("names /root unless it is the user's home", () => {
    expect(isSystemFolder('/root/n8n', '/home/admin')).toBe(true);
    expect(isSystemFolder('/root/n8n', '/root')).toBe(false);
  });

  it('leaves the places n8n projects live', () => {
    for (const path of ['/opt/n8n', '/srv/n8n', '/home/admin/n8n', '/var/lib/n8n', '/etcetera', '/data/n8n']) expect(isSystemFolder(path, '/home/admin'), path).toBe(false);
  });
});

describe('browseRoots', () => {
  let scratch: string;
  let home: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-roots-'));
    home = join(scratch, 'home');
    await mkdir(home);
  });
  afterEach(() => rm(scratch, { recursive: true, force: true }));

  it('is the home folder alone without an export folder', async () => {
    expect(await browseRoots(home, undefined)).toEqual([home]);
  });

  it('adds an export folder inside home, even before it holds anything', async () => {
    await mkdir(join(home, 'n8n'));
    expect(await browseRoots(home, join(home, 'n8n'))).toEqual([home, join(home, 'n8n')]);
  });

  it('adds an export folder outside home only when it holds a compose file or a .env', async () => {
    const project = join(scratch, 'srv-n8n');
    await mkdir(project);
    expect(await browseRoots(home, project)).toEqual([home]);
    await writeFile(join(project, 'docker-compose.yml'), 'services: {}\n');
    expect(await browseRoots(home, project)).toEqual([home, project]);
  });

  it('judges a link by where it leads: a link in home to /etc is a system folder', async () => {
    await symlink('/etc', join(home, 'etc-link'));
    expect(await browseRoots(home, join(home, 'etc-link'))).toEqual([home]);
  });

  it('adds the server-software folders that exist (/opt, /srv), and an export folder inside one even before it holds anything', async () => {
    const opt = join(scratch, 'opt');
    await mkdir(join(opt, 'n8n'), { recursive: true });
    expect(await browseRoots(home, undefined, [opt, join(scratch, 'srv-missing'), '/etc'])).toEqual([home, opt]);
    expect(await browseRoots(home, join(opt, 'n8n'), [opt])).toEqual([home, opt, join(opt, 'n8n')]);
  });

  it('never adds / or a system folder, nor a missing folder', async () => {
    for (const outDir of ['/', '/etc', '/usr', '/proc', '/root', join(scratch, 'missing')]) expect(await browseRoots(home, outDir), outDir).toEqual([home]);
  });
});
