import { createHash } from 'node:crypto';
import { link, lstat, mkdir, readFile, readlink, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSetup } from '../../services/export/export-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { skipOutsideCi } from '../support/external-tools.js';
import { ATTACKER, exportTo, makeScene, plantFile, plantFolder, plantLink, runCli, snapshot, SMTP_PASSWORD, writeProfile, type Scene } from './victim-folder.js';

/**
 * The write policy under attack (docs/write-policy.md): export and restore run as root on a folder that
 * uid 1000 controls and has filled with links, hard links and forged records. Whatever happens, nothing
 * outside the folder changes — bytes, owner, mode — and nothing is created there; each attempt ends in a
 * clear error naming the link, or a success that stayed inside.
 */
let scene: Scene;
let outsideBefore: Record<string, string>;

beforeEach(async (context) => {
  if (process.getuid?.() !== 0) skipOutsideCi(context, 'the attack suite runs export as root on a folder of uid 1000');
  scene = await makeScene();
  await plantFile(scene, '.env', 'GENERIC_TIMEZONE=Europe/Berlin\n');
  outsideBefore = await snapshot(scene.outside.dir);
});

afterEach(async () => {
  if (scene) expect(await snapshot(scene.outside.dir), 'nothing outside the setup folder changed').toEqual(outsideBefore);
  await scene?.remove();
});

function expectRefused(run: { code: number | null; stderr: string }, link: string): void {
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(`error: Refusing to go through ${join(scene.project, link)}: it is a link to`);
  expect(run.stderr).toMatch(/No file was changed\.\n {2}fix: Replace the link with a real file or folder/);
}

describe('export as root into a folder uid 1000 filled with links', () => {
  it.each([
    ['.env, to a root-owned file outside', '.env', () => scene.outside.file, {}],
    ['.env, dangling, to where a new file outside would be made', '.env', () => scene.outside.missing, {}],
    ['compose.yaml, to a root-owned file outside', 'compose.yaml', () => scene.outside.file, {}],
    ['secrets/, to a folder outside', 'secrets', () => scene.outside.folder, { deploy: { secrets: 'file' } }],
    ['Caddyfile, to a file outside', 'Caddyfile', () => scene.outside.file, { deploy: { proxy: 'caddy', acmeEmail: 'ops@example.com' } }],
    ['proxy/, to a folder outside', 'proxy', () => scene.outside.folder, { deploy: { proxy: 'external' } }],
    ['the lock, to a file outside', '.n8n-setup.lock', () => scene.outside.file, {}],
    ['the export records, to a folder outside', '.n8n-setup', () => scene.outside.folder, {}],
  ])('%s: LINK_REFUSED naming the link, nothing written anywhere', async (_case, rel, target, options) => {
    if (rel === '.env') await rename(join(scene.project, '.env'), join(scene.root, 'old.env'));
    await plantLink(scene, rel, target());
    const before = await snapshot(scene.project);
    expectRefused(await exportTo(scene, await writeProfile(scene, 'prod', options)), rel);
    expect(await snapshot(scene.project)).toEqual(before);
  });

  it('secrets/n8n_smtp_pass, to a root-owned file outside: refused, the outside file keeps its bytes and owner', async () => {
    await plantFolder(scene, 'secrets');
    await plantLink(scene, 'secrets/n8n_smtp_pass', scene.outside.file);
    expectRefused(await exportTo(scene, await writeProfile(scene, 'prod', { deploy: { secrets: 'file' } })), 'secrets/n8n_smtp_pass');
    expect(await readFile(scene.outside.file, 'utf8')).not.toContain(SMTP_PASSWORD);
  });

  it('templates/, to a folder outside: refused before the template is copied', async () => {
    await writeFile(join(scene.root, 'invite.html'), '<p>{{inviteAcceptUrl}}</p>');
    await plantLink(scene, 'templates', scene.outside.folder);
    expectRefused(await exportTo(scene, await writeProfile(scene, 'prod', { email: { templates: { invite: { file: './invite.html' } } } })), 'templates');
  });

  it('a link inside the folder that belongs to another user: refused', async () => {
    await rename(join(scene.project, '.env'), join(scene.project, 'real.env'));
    await plantLink(scene, '.env', 'real.env', 1001);
    expectRefused(await exportTo(scene, await writeProfile(scene, 'prod')), '.env');
  });

  it("a link inside the folder, the owner's own, to a file inside: followed, and it stays a link", async () => {
    await plantFolder(scene, 'config');
    await rename(join(scene.project, '.env'), join(scene.root, 'old.env'));
    await plantFile(scene, 'config/n8n.env', 'MY_OWN_SETTING=1\n');
    await plantLink(scene, '.env', 'config/n8n.env');
    const run = await exportTo(scene, await writeProfile(scene, 'prod'));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(await readlink(join(scene.project, '.env'))).toBe('config/n8n.env');
    const written = await readFile(join(scene.project, 'config', 'n8n.env'), 'utf8');
    expect(written).toContain('N8N_SMTP_HOST=smtp.example.com\n');
    expect(written).toMatch(/^MY_OWN_SETTING=1\n/);
  });

  it('.env hard-linked to a root-only file outside: refused, its bytes are not read into the folder', async () => {
    await rename(join(scene.project, '.env'), join(scene.root, 'old.env'));
    await link(scene.outside.file, join(scene.project, '.env'));
    const run = await exportTo(scene, await writeProfile(scene, 'prod'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: Refusing to use ${join(scene.project, '.env')}: it has other hard links`);
    expect((await lstat(join(scene.project, '.env'))).nlink).toBe(2);
  });

  it('8,000 planted links under the backup names of the next seconds: backups get names nobody planted', async () => {
    const start = Date.now();
    for (let ms = 0; ms < 8000; ms++) {
      const stamp = new Date(start + ms).toISOString().replace(/[-:.]/g, '');
      await plantLink(scene, `.env.${stamp}.bak`, join(scene.outside.dir, `dropped-${ms}`));
    }
    for (let guess = 0; guess < 256; guess++) await plantLink(scene, `.env.${new Date(start + 2000).toISOString().replace(/[-:.]/g, '')}-${guess.toString(16).padStart(8, '0')}.bak`, scene.outside.missing);
    const run = await exportTo(scene, await writeProfile(scene, 'prod'), '--json');
    expect(run.code).toBe(0);
    const backup = (JSON.parse(run.stdout) as { files: Array<{ path: string; backup?: string }> }).files.find((file) => file.path === '.env')?.backup ?? '';
    expect(backup).toMatch(/^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/);
    expect((await lstat(join(scene.project, backup))).isFile()).toBe(true);
    expect(await readFile(join(scene.project, backup), 'utf8')).toBe('GENERIC_TIMEZONE=Europe/Berlin\n');
  }, 60_000);

  it('a folder swapped for a link while export runs: the write stays in the folder it checked', async () => {
    await plantFolder(scene, 'secrets');
    await plantFile(scene, 'secrets/n8n_smtp_pass', 'old', 0o600);
    const loaded = loadProfile(JSON.parse(await readFile(await writeProfile(scene, 'prod', { deploy: { secrets: 'file' } }), 'utf8')), scene.root);
    let swapped = false;
    await exportSetup({
      loaded,
      outDir: scene.project,
      secrets: { N8N_SMTP_PASS: SMTP_PASSWORD },
      faults: async (step) => {
        if (swapped || step !== 'before-rename') return;
        swapped = true;
        await rename(join(scene.project, 'secrets'), join(scene.project, 'secrets.moved'));
        await plantLink(scene, 'secrets', scene.outside.folder);
      },
    }).catch(() => undefined);
    expect(swapped).toBe(true);
    expect(await readFile(join(scene.project, 'secrets.moved', 'n8n_smtp_pass'), 'utf8')).toBe(SMTP_PASSWORD);
  });
});

describe('restore as root with planted and forged backups', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  async function forgeRecord(backup: string, bytes: string): Promise<void> {
    await plantFolder(scene, '.n8n-setup');
    await plantFolder(scene, '.n8n-setup/exports');
    const record = { version: 1, id: '29991231T235959999Z-deadbeef', kind: 'export', at: '2999-12-31T23:59:59.999Z', files: [{ path: '.env', action: 'updated', mode: '0600', backup: { path: backup, sha256: sha256(bytes), size: bytes.length } }] };
    await plantFile(scene, '.n8n-setup/exports/29991231T235959999Z-deadbeef.json', JSON.stringify(record));
  }

  it('a planted backup no record lists: not offered, refused by name', async () => {
    const planted = '.env.29991231T235959999Z-deadbeef.bak';
    await plantLink(scene, planted, scene.outside.file);
    expect((await runCli(['restore', '--out', scene.project, '--list', '--json'])).stdout).toBe('{"ok":true,"exports":[]}\n');
    const run = await runCli(['restore', '--out', scene.project, '--backup', planted]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a backup that a recorded export made');
  });

  it('a forged record listing a link to a root-only file: LINK_REFUSED, .env unchanged', async () => {
    const planted = '.env.29991231T235959999Z-deadbeef.bak';
    await plantLink(scene, planted, scene.outside.file);
    await forgeRecord(planted, 'OUTSIDE: root-only bytes\n');
    expectRefused(await runCli(['restore', '--out', scene.project, '--backup', planted]), planted);
    expect(await readFile(join(scene.project, '.env'), 'utf8')).toBe('GENERIC_TIMEZONE=Europe/Berlin\n');
  });

  it('a forged record listing a hard link to a root-only file: refused for its other link', async () => {
    const planted = '.env.29991231T235959999Z-deadbeef.bak';
    await link(scene.outside.file, join(scene.project, planted));
    await forgeRecord(planted, 'OUTSIDE: root-only bytes\n');
    const run = await runCli(['restore', '--out', scene.project, '--backup', planted]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error: Refusing to use ${join(scene.project, planted)}: it has other hard links`);
    expect(await readFile(join(scene.project, '.env'), 'utf8')).toBe('GENERIC_TIMEZONE=Europe/Berlin\n');
  });

  it("a forged record listing the attacker's own file: restored, which gives them nothing they could not write anyway", async () => {
    const planted = '.env.29991231T235959999Z-deadbeef.bak';
    await plantFile(scene, planted, 'ATTACKER=1\n');
    await forgeRecord(planted, 'ATTACKER=1\n');
    const run = await runCli(['restore', '--out', scene.project, '--backup', planted]);
    expect(run.code).toBe(0);
    expect(await readFile(join(scene.project, '.env'), 'utf8')).toBe('ATTACKER=1\n');
    expect((await lstat(join(scene.project, '.env'))).uid).toBe(ATTACKER);
  });

  it('the records folder is a link outside: listing and restoring refuse it', async () => {
    await mkdir(join(scene.outside.folder, 'exports'));
    await plantLink(scene, '.n8n-setup', scene.outside.folder);
    outsideBefore = await snapshot(scene.outside.dir);
    expectRefused(await runCli(['restore', '--out', scene.project, '--list']), '.n8n-setup');
  });
});
