import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../profile/read-profile-file.js';
import { exportSetup } from './export-setup.js';

const baseProfile = {
  version: 1,
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
  url: { public: 'https://n8n.example.com/' },
  deploy: { proxy: 'caddy', acmeEmail: 'ops@example.com', timezone: 'Europe/Berlin' },
};

const scratch = mkdtempSync(join(tmpdir(), 'n8n-export-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tempDir(prefix = 'out-') {
  return mkdtempSync(join(scratch, prefix));
}

function load(profile: unknown = baseProfile, baseDir = tempDir('profile-')) {
  return loadProfile(profile, baseDir);
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else out[rel] = readFileSync(join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('exportSetup', () => {
  it('writes .env, compose.yaml, the Caddyfile and the variable list into an empty folder', async () => {
    const out = tempDir();
    const report = await exportSetup({ loaded: load(), outDir: out, secrets: { N8N_SMTP_PASS: 'pw-1' } });
    expect(report.files.map((f) => [f.path, f.action])).toEqual(expect.arrayContaining([['.env', 'created'], ['compose.yaml', 'created'], ['Caddyfile', 'created'], ['n8n-variables.txt', 'created']]));
    expect(report.changed).toEqual(expect.arrayContaining(['N8N_SMTP_HOST', 'N8N_SMTP_PASS', 'N8N_EDITOR_BASE_URL']));
    expect(statSync(join(out, '.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'n8n-variables.txt'), 'utf8')).not.toContain('pw-1');
    expect(JSON.stringify(report)).not.toContain('pw-1');
  });

  it('is idempotent: a second export of the same profile changes no byte and makes no backup', async () => {
    const out = tempDir();
    const loaded = load();
    await exportSetup({ loaded, outDir: out, secrets: { N8N_SMTP_PASS: 'pw-1' } });
    const before = snapshot(out);
    const again = await exportSetup({ loaded, outDir: out, secrets: { N8N_SMTP_PASS: 'pw-1' } });
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(again.changed).toEqual([]);
    expect(snapshot(out)).toEqual(before);
    const third = await exportSetup({ loaded, outDir: out, secrets: {} });
    expect(third.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(snapshot(out)).toEqual(before);
  });

  it('keeps an existing password when none is given, and fails clearly when there is none', async () => {
    const out = tempDir();
    await expect(exportSetup({ loaded: load(), outDir: out, secrets: {} })).rejects.toMatchObject({ code: 'MISSING_SECRET', field: 'password', fix: expect.stringMatching(/--password-stdin/) });
    expect(readdirSync(out)).toEqual([]);
    writeFileSync(join(out, '.env'), "# mine\nN8N_SMTP_PASS='kept secret'\nOTHER=1\n");
    await exportSetup({ loaded: load(), outDir: out, secrets: {} });
    const env = readFileSync(join(out, '.env'), 'utf8');
    expect(env).toMatch(/^# mine\nN8N_SMTP_PASS='kept secret'\nOTHER=1\n/);
  });

  it('moves the password into a Docker secret when deploy.secrets is "file", leaving no plain variable', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.env'), 'N8N_SMTP_PASS=old\n');
    await exportSetup({ loaded: load({ ...baseProfile, deploy: { ...baseProfile.deploy, secrets: 'file' } }), outDir: out, secrets: {} });
    expect(readFileSync(join(out, '.env'), 'utf8')).not.toMatch(/N8N_SMTP_PASS\b/);
    expect(readFileSync(join(out, 'secrets/n8n_smtp_pass'), 'utf8')).toBe('old');
    expect(statSync(join(out, 'secrets')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(out, 'compose.yaml'), 'utf8')).toMatch(/N8N_SMTP_PASS_FILE/);
  });

  it('refuses a password n8n would alter (surrounding spaces or quotes)', async () => {
    await expect(exportSetup({ loaded: load(), outDir: tempDir(), secrets: { N8N_SMTP_PASS: ' pw ' } })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'password' });
    await expect(exportSetup({ loaded: load(), outDir: tempDir(), secrets: { N8N_SMTP_PASS: '"pw"' } })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'password', message: expect.stringMatching(/quotes/) });
  });

  it('refuses to generate an encryption key when the target already has one', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.env'), 'N8N_ENCRYPTION_KEY=existing\n');
    await expect(exportSetup({ loaded: load({ ...baseProfile, deploy: { ...baseProfile.deploy, encryptionKey: 'generate' } }), outDir: out, secrets: { N8N_SMTP_PASS: 'x' } })).rejects.toMatchObject({
      code: 'ENCRYPTION_KEY_EXISTS',
      field: 'deploy.encryptionKey',
    });
    expect(readFileSync(join(out, '.env'), 'utf8')).toBe('N8N_ENCRYPTION_KEY=existing\n');
  });

  it('refuses a template that lacks its link placeholder, naming the field', async () => {
    const src = tempDir('src-');
    mkdirSync(join(src, 't'));
    writeFileSync(join(src, 't/invite.html'), '<p>Welcome</p>');
    const profile = { ...baseProfile, email: { ...baseProfile.email, templates: { invite: { file: 't/invite.html' } } } };
    await expect(exportSetup({ loaded: load(profile, src), outDir: tempDir(), secrets: { N8N_SMTP_PASS: 'x' } })).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      field: 'email.templates.invite.file',
      message: expect.stringMatching(/\{\{inviteAcceptUrl\}\}/),
    });
  });

  it('shows a dry run with masked secrets and writes nothing', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.env'), 'N8N_SMTP_PASS=old-secret\nN8N_SMTP_HOST=old.example.com\n');
    const report = await exportSetup({ loaded: load(), outDir: out, secrets: { N8N_SMTP_PASS: 'new-secret' }, dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.changes).toEqual(expect.arrayContaining([
      { file: '.env', key: 'N8N_SMTP_HOST', action: 'change', before: 'old.example.com', after: 'smtp.example.com', secret: false },
      { file: '.env', key: 'N8N_SMTP_PASS', action: 'change', before: '••••••••', after: '••••••••', secret: true },
    ]));
    expect(JSON.stringify(report)).not.toMatch(/old-secret|new-secret/);
    expect(readdirSync(out)).toEqual(['.env']);
  });

  it('masks the .env variable the password flows through in the review, whatever it is called', async () => {
    for (const variable of ['SMTP_PASS', 'MAIL_LOGIN_VALUE']) {
      const out = tempDir();
      writeFileSync(join(out, '.env'), `${variable}=old-secret\nSMTP_HOST=old.example.com\n`);
      writeFileSync(join(out, 'docker-compose.yml'), `services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      - N8N_SMTP_HOST=\${SMTP_HOST}\n      - N8N_SMTP_PASS=\${${variable}}\n`);
      const report = await exportSetup({ loaded: load({ ...baseProfile, deploy: { proxy: 'external' } }), outDir: out, secrets: { N8N_SMTP_PASS: 'new-secret' }, dryRun: true });
      expect(report.changes.find((c) => c.key === variable), variable).toEqual({ file: '.env', key: variable, action: 'change', before: '••••••••', after: '••••••••', secret: true });
      expect(JSON.stringify(report)).not.toMatch(/old-secret|new-secret/);
    }
  });

  it('tightens an existing group-readable .env to 0600 once it holds a password, and says so', async () => {
    const out = tempDir();
    writeFileSync(join(out, '.env'), 'A=1\n', { mode: 0o644 });
    const report = await exportSetup({ loaded: load(), outDir: out, secrets: { N8N_SMTP_PASS: 'x' } });
    expect(statSync(join(out, '.env')).mode & 0o777).toBe(0o600);
    expect(report.warnings.map((w) => w.code)).toContain('WARN_MODE_TIGHTENED');
    const backup = report.files.find((f) => f.path === '.env')?.backup;
    expect(backup).toBeDefined();
  });
});

describe('the single-file CLI in the folder (tools/n8n-setup.cjs)', () => {
  // Bytes that are not UTF-8: the bundle is copied as bytes, never decoded and re-encoded.
  const bundle = Buffer.concat([Buffer.from('"use strict";console.log("n8n-setup");\n'), Buffer.from([0xff, 0xfe, 0x00, 0x80]), Buffer.alloc(1500 * 1024, 0x61)]);

  it('is written byte for byte, listed in the dry run and its diff (named, not shown), and unchanged the second time', async () => {
    const bundleFile = join(tempDir('bundle-'), 'n8n-setup.cjs');
    writeFileSync(bundleFile, bundle);
    const outDir = join(tempDir(), 'n8n');
    const preview = await exportSetup({ loaded: load(), outDir, secrets: { N8N_SMTP_PASS: 'pw' }, dryRun: true, diffs: true, cliBundle: bundleFile });
    expect(preview.files).toContainEqual({ path: 'tools/n8n-setup.cjs', action: 'would-create' });
    expect(preview.diffs?.find((d) => d.path === 'tools/n8n-setup.cjs')).toEqual({ path: 'tools/n8n-setup.cjs', status: 'new', note: 'this tool as one file (1500 KB): not shown line by line', added: 0, removed: 0 });

    const written = await exportSetup({ loaded: load(), outDir, secrets: { N8N_SMTP_PASS: 'pw' }, cliBundle: bundleFile });
    expect(written.files).toContainEqual(expect.objectContaining({ path: 'tools/n8n-setup.cjs', action: 'created', mode: '0644' }));
    expect(readFileSync(join(outDir, 'tools/n8n-setup.cjs')).equals(bundle)).toBe(true);

    const again = await exportSetup({ loaded: load(), outDir, secrets: { N8N_SMTP_PASS: 'pw' }, dryRun: true, cliBundle: bundleFile });
    expect(again.files).toContainEqual({ path: 'tools/n8n-setup.cjs', action: 'unchanged' });
  });

  it('a bundle that cannot be read is a warning that names the fix, and the rest is written', async () => {
    const outDir = join(tempDir(), 'n8n');
    const report = await exportSetup({ loaded: load(), outDir, secrets: { N8N_SMTP_PASS: 'pw' }, cliBundle: join(scratch, 'gone.cjs') });
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'WARN_NO_CLI_BUNDLE', message: expect.stringContaining('reinstall n8n Setup') }));
    expect(report.files.map((f) => f.path)).not.toContain('tools/n8n-setup.cjs');
    expect(statSync(join(outDir, '.env')).isFile()).toBe(true);
  });
});
