import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import { MASK } from '../../shared/export/key-changes.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { storeProfileSecret } from '../secrets/profile-secrets.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const profile: Profile = {
  version: 1,
  name: 'prod',
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
  url: { public: 'https://n8n.example.com/' },
  deploy: { timezone: 'Europe/Berlin' },
};
const SERVER = { host: 'smtp.example.com', port: 587, user: 'apikey' };

describe('export, backup and import channels', () => {
  let app: AppUnderTest;
  let outDir: string;
  beforeEach(async () => {
    app = await createAppUnderTest();
    outDir = await mkdtemp(join(tmpdir(), 'n8n-setup-export-'));
  });
  afterEach(async () => {
    await app.remove();
    await rm(outDir, { recursive: true, force: true });
  });

  it('previews the changes with the password masked and writes nothing', async () => {
    await storeProfileSecret(app.secrets, 'prod', 'smtp-password', 'keychain-password', SERVER);
    const result = await app.table.previewExport({ profile, outDir }, app.context);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.dryRun).toBe(true);
    expect(result.data.changes).toContainEqual({ file: '.env', key: 'N8N_SMTP_PASS', action: 'add', after: MASK, secret: true });
    expect(JSON.stringify(result)).not.toContain('keychain-password');
    expect(await readdir(outDir)).toEqual([]);
  });

  it("writes the files with the keychain's password; a password given for this run wins", async () => {
    await storeProfileSecret(app.secrets, 'prod', 'smtp-password', 'keychain-password', SERVER);
    const first = await app.table.writeExport({ profile, outDir }, app.context);
    expect(first).toMatchObject({ ok: true, data: { dryRun: false } });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=keychain-password');
    await app.table.writeExport({ profile, outDir, secrets: { 'smtp-password': 'typed-for-this-run' } }, app.context);
    expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=typed-for-this-run');
  });

  it('a password typed once is held for the session, for its server only: the next preview and write use it; another user or port gets MISSING_SECRET', async () => {
    const typed = await app.table.previewExport({ profile, outDir, secrets: { 'smtp-password': 'typed-once-4711' } }, app.context);
    expect(typed).toMatchObject({ ok: true });
    // The host in another case is the same server; the page learns that one is held, never its value.
    const held = await app.table.sessionSecrets({ endpoint: { ...SERVER, host: 'SMTP.Example.com' } }, app.context);
    expect(held).toEqual({ ok: true, data: { held: ['smtp-password'] } });
    expect(await app.table.writeExport({ profile, outDir }, app.context)).toMatchObject({ ok: true, data: { dryRun: false } });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=typed-once-4711');

    for (const email of [{ ...profile.email, auth: { type: 'password', user: 'someone-else' } }, { ...profile.email, port: 2525 }] as const) {
      const other = await app.table.previewExport({ profile: { ...profile, email }, outDir: await mkdtemp(join(tmpdir(), 'n8n-setup-export-other-')) }, app.context);
      expect(other).toMatchObject({ ok: false, error: { code: 'MISSING_SECRET' } });
    }
    expect(await app.table.sessionSecrets({ endpoint: { ...SERVER, user: 'someone-else' } }, app.context)).toEqual({ ok: true, data: { held: [] } });
    expect(await app.table.forgetSessionSecrets({}, app.context)).toEqual({ ok: true, data: { forgotten: 1 } });
    expect(await app.table.sessionSecrets({ endpoint: SERVER }, app.context)).toEqual({ ok: true, data: { held: [] } });
  });

  it('answers SECRET_ENDPOINT_CHANGED for a password saved for another server; with secretForNewServer the preview binds nothing and the write binds it', async () => {
    const old = { ...SERVER, host: 'smtp.old.example' };
    await storeProfileSecret(app.secrets, 'prod', 'smtp-password', 'keychain-password', old);
    const refused = await app.table.writeExport({ profile, outDir }, app.context);
    expect(refused).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'SECRET_ENDPOINT_CHANGED', message: 'The SMTP password of profile "prod" belongs to smtp.old.example:587 (user "apikey"), but this profile would send it to smtp.example.com:587 (user "apikey"). It was not used.' }),
    });
    expect(await readdir(outDir)).toEqual([]);
    expect(await app.table.previewExport({ profile, outDir, secretForNewServer: true }, app.context)).toMatchObject({ ok: true });
    expect(JSON.parse((await app.secrets.get('prod/smtp-password')) ?? '')).toMatchObject(old);
    const written = await app.table.writeExport({ profile, outDir, secretForNewServer: true }, app.context);
    if (!written.ok) throw new Error(written.error.message);
    expect(written.data.warnings.map((w) => w.code)).not.toContain('WARN_SECRET_NOT_BOUND');
    expect(JSON.parse((await app.secrets.get('prod/smtp-password')) ?? '')).toEqual({ v: 1, ...SERVER, secret: 'keychain-password' });
    expect(await app.table.writeExport({ profile, outDir }, app.context)).toMatchObject({ ok: true });
  });

  it('keeps the password already in the folder when the keychain cannot be used, and warns', async () => {
    await writeFile(join(outDir, '.env'), 'N8N_SMTP_PASS=already-here\n');
    const locked = await createAppUnderTest({
      secretStore: async () => ({
        ...app.secrets,
        get: async () => {
          throw new SetupError({ code: 'KEYCHAIN_NO_DBUS', message: 'No D-Bus session.' });
        },
      }),
    });
    try {
      const result = await locked.table.writeExport({ profile, outDir }, locked.context);
      expect(result).toMatchObject({ ok: true, data: { warnings: expect.arrayContaining([expect.objectContaining({ code: 'WARN_KEYCHAIN_UNAVAILABLE' })]) } });
      expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=already-here');
    } finally {
      await locked.remove();
    }
  });

  it('lists the backups by path inside the folder and restores one', async () => {
    await writeFile(join(outDir, '.env'), 'TZ=UTC\n');
    await app.table.writeExport({ profile, outDir, secrets: { 'smtp-password': 'pw' } }, app.context);
    const listed = await app.table.listBackups({ outDir }, app.context);
    if (!listed.ok) throw new Error(listed.error.message);
    const envBackup = listed.data.backups.find((b) => b.target === '.env');
    expect(envBackup).toMatchObject({ backup: expect.stringMatching(/^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/), size: 7, exportId: expect.stringMatching(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/) });
    expect(listed.data.exports).toEqual([expect.objectContaining({ id: envBackup?.exportId, kind: 'export' })]);
    expect(await app.table.restoreBackup({ outDir, backup: envBackup?.backup ?? '' }, app.context)).toMatchObject({ ok: true, data: { restored: '.env', backup: expect.stringMatching(/^\.env\./) } });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toBe('TZ=UTC\n');
  });

  it('refuses to restore anything but a backup a recorded export made, inside the folder', async () => {
    await writeFile(join(outDir, '.env.20250101T000000000Z-0a1b2c3d.bak'), 'PLANTED=1\n');
    for (const backup of ['../.env.20250101T000000000Z.bak', '/etc/.env.20250101T000000000Z.bak', '.', '.env.20250101T000000000Z-0a1b2c3d.bak']) {
      expect(await app.table.restoreBackup({ outDir, backup }, app.context)).toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_RECOGNISED', field: 'backup' } });
    }
  });

  it('undoes a whole export: changed files get their backups back, created files go, and the undo is recorded', async () => {
    await writeFile(join(outDir, '.env'), 'TZ=UTC\n');
    const written = await app.table.writeExport({ profile, outDir, secrets: { 'smtp-password': 'pw' } }, app.context);
    if (!written.ok || !written.data.exportId) throw new Error('the export wrote nothing');
    const undone = await app.table.restoreExport({ outDir, exportId: written.data.exportId }, app.context);
    if (!undone.ok) throw new Error(undone.error.message);
    expect(undone.data.restored).toEqual(expect.arrayContaining([expect.objectContaining({ path: '.env', action: 'updated' }), expect.objectContaining({ path: 'compose.yaml', action: 'removed' })]));
    expect(undone.data.changedSince).toEqual([]);
    expect(await readFile(join(outDir, '.env'), 'utf8')).toBe('TZ=UTC\n');
    expect(existsSync(join(outDir, 'compose.yaml'))).toBe(false);
    const again = await app.table.restoreExport({ outDir, exportId: undone.data.restoreId ?? '' }, app.context);
    expect(again).toMatchObject({ ok: true });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=pw');
  });

  it('a confirmed restore does what its dry run showed, or nothing: a file changed in between refuses it', async () => {
    await writeFile(join(outDir, '.env'), 'TZ=UTC\n');
    const written = await app.table.writeExport({ profile, outDir, secrets: { 'smtp-password': 'pw' } }, app.context);
    if (!written.ok || !written.data.exportId) throw new Error('the export wrote nothing');
    const shown = await app.table.restoreExport({ outDir, exportId: written.data.exportId, dryRun: true }, app.context);
    if (!shown.ok || !shown.data.fingerprint) throw new Error('no dry run');
    expect(shown.data.restored).toEqual(expect.arrayContaining([expect.objectContaining({ path: '.env', action: 'updated' })]));
    const exported = await readFile(join(outDir, '.env'), 'utf8');
    expect(exported).toContain('N8N_SMTP_PASS=pw');

    await writeFile(join(outDir, '.env'), `${exported}EDITED_MEANWHILE=1\n`);
    const refused = await app.table.restoreExport({ outDir, exportId: written.data.exportId, expect: shown.data.fingerprint }, app.context);
    expect(refused).toMatchObject({ ok: false, error: { code: 'RESTORE_CHANGED' } });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toContain('EDITED_MEANWHILE=1');

    const again = await app.table.restoreExport({ outDir, exportId: written.data.exportId, dryRun: true }, app.context);
    if (!again.ok || !again.data.fingerprint) throw new Error('no dry run');
    expect(again.data.changedSince).toEqual(['.env']);
    expect(await app.table.restoreExport({ outDir, exportId: written.data.exportId, expect: again.data.fingerprint }, app.context)).toMatchObject({ ok: true });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toBe('TZ=UTC\n');
  });

  it('imports an existing .env into a profile with what n8n would ignore', async () => {
    const envFile = join(outDir, '.env');
    await writeFile(envFile, 'N8N_EMAIL_MODE=smtp\nN8N_SMTP_HOST=smtp.example.com\nN8N_SMTP_PORT=587\nN8N_SMTP_SSL=TRUE\nWEBHOOK_URL=https://n8n.example.com/\n');
    const result = await app.table.importSetup({ envFile }, app.context);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.profile).toMatchObject({ email: { mode: 'smtp', host: 'smtp.example.com', port: 587 } });
    expect(result.data.findings).toContainEqual(expect.objectContaining({ variable: 'N8N_SMTP_SSL' }));
  });

  it('lists a secret in .env that nothing reads with its line only, removes it when the request names it, and refuses a name it does not list', async () => {
    const env = 'N8N_SMTP_PASS=keep-me\nSMTP_PASSWORD=left-over-4711\n';
    await writeFile(join(outDir, '.env'), env);
    await writeFile(join(outDir, 'docker-compose.yml'), 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      - N8N_SMTP_PASS=${N8N_SMTP_PASS}\n');
    const preview = await app.table.previewExport({ profile, outDir }, app.context);
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.data.unusedSecrets).toEqual([{ key: 'SMTP_PASSWORD', file: '.env', lines: [2], remove: false }]);
    const refused = await app.table.writeExport({ profile, outDir, removeUnusedSecrets: ['N8N_SMTP_PASS'] }, app.context);
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_AN_UNUSED_SECRET', field: 'removeUnusedSecrets' } });
    expect(await readFile(join(outDir, '.env'), 'utf8')).toBe(env);
    const written = await app.table.writeExport({ profile, outDir, removeUnusedSecrets: ['SMTP_PASSWORD'] }, app.context);
    if (!written.ok) throw new Error(written.error.message);
    expect(written.data.unusedSecrets).toEqual([{ key: 'SMTP_PASSWORD', file: '.env', lines: [2], remove: true }]);
    expect(await readFile(join(outDir, '.env'), 'utf8')).not.toContain('SMTP_PASSWORD');
    expect(JSON.stringify([preview, refused, written])).not.toContain('4711');
  });

  it('refuses relative paths, which would depend on where the app was started', async () => {
    expect(await app.table.importSetup({ envFile: '.env' }, app.context)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'envFile' } });
    expect(await app.table.writeExport({ profile, outDir: 'n8n' }, app.context)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'outDir' } });
  });
});
