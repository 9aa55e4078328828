import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../services/secrets/memory-secret-store.js';
import { runCli } from './main.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const tempDir = (prefix: string) => mkdtempSync(join(scratch, prefix));

async function run(argv: string[], stdin = '', cwd = tmpdir()) {
  let stdout = '';
  let stderr = '';
  // A memory store: the tests never reach the developer's real keychain (test/keychain uses a throwaway one).
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.from(stdin), cwd, secretStore: createMemorySecretStore() });
  return { code, stdout, stderr };
}

function writeProfile(profile: unknown): string {
  const dir = tempDir('n8n-cli-');
  const path = join(dir, 'profile.json');
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

const profile = {
  version: 1,
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' },
  url: { public: 'https://n8n.example.com/' },
};

describe('n8n-setup CLI', () => {
  it('prints help for the program and every command', async () => {
    expect((await run(['--help'])).stdout).toMatch(/export[\s\S]*import[\s\S]*restore/);
    for (const command of ['export', 'import', 'restore']) {
      const result = await run([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`Usage: n8n-setup ${command}`));
    }
  });

  it('exits 2 with a one-line reason for an unknown option or command', async () => {
    const unknown = await run(['export', '--profil', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: export: Unknown option '--profil'/);
    expect((await run(['exprot'])).code).toBe(2);
  });

  it('exits 2 naming the field for an invalid profile, also in --json', async () => {
    const path = writeProfile({ ...profile, email: { ...profile.email, port: 70000 } });
    const result = await run(['export', '--profile', path, '--out', tempDir('o-'), '--json']);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, error: { code: 'INVALID_PROFILE', field: 'email.port' } });
  });

  it('exports with the password from stdin (one trailing newline removed) and prints one JSON object without it', async () => {
    const out = tempDir('n8n-out-');
    const result = await run(['export', '--profile', writeProfile(profile), '--out', out, '--password-stdin', '--json'], 'pa$$word\n');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['ok', 'files', 'changed', 'warnings']));
    expect(json.files.map((f: { path: string }) => f.path)).toContain('.env');
    expect(result.stdout).not.toContain('pa$$word');
    expect(readFileSync(join(out, '.env'), 'utf8')).toContain("N8N_SMTP_PASS='pa$$word'");
  });

  it('exits 2 when no password is given and none exists in the target', async () => {
    const result = await run(['export', '--profile', writeProfile(profile), '--out', tempDir('o-')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No SMTP password was given/);
  });

  it('imports a .env into a profile with findings', async () => {
    const dir = tempDir('n8n-imp-');
    writeFileSync(join(dir, '.env'), 'N8N_SMTP_HOST=smtp.example.com\nN8N_SMTP_PORT=587\nN8N_SMTP_PASSWORD=x\nN8N_PROTOCOL=HTTPS\nN8N_HOST=n8n.example.com\n');
    const result = await run(['import', '--env', join(dir, '.env'), '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.profile.email).toMatchObject({ mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'tls' });
    expect(json.findings.map((f: { code: string; variable: string }) => `${f.code}:${f.variable}`)).toEqual(
      expect.arrayContaining(['UNKNOWN_VARIABLE:N8N_SMTP_PASSWORD', 'IGNORED_VALUE:N8N_PROTOCOL', 'SSL_ON_PLAIN_PORT:N8N_SMTP_SSL']),
    );
  });

  it('lists and restores backups', async () => {
    const out = tempDir('n8n-out-');
    writeFileSync(join(out, '.env'), 'MINE=1\n');
    await run(['export', '--profile', writeProfile(profile), '--out', out, '--password-stdin'], 'pw');
    const list = JSON.parse((await run(['restore', '--out', out, '--list', '--json'])).stdout);
    expect(list.exports).toHaveLength(1);
    const envFile = list.exports[0].files.find((f: { path: string }) => f.path === '.env');
    expect(envFile).toMatchObject({ action: 'updated', backup: { path: expect.stringMatching(/^\.env\./) } });
    const restored = await run(['restore', '--out', out, '--backup', envFile.backup.path, '--json']);
    expect(restored.code).toBe(0);
    expect(readFileSync(join(out, '.env'), 'utf8')).toBe('MINE=1\n');
    // The restore is recorded too; undoing it brings the export's .env back.
    const undo = JSON.parse(restored.stdout).restoreId;
    expect((await run(['restore', '--out', out, '--export', undo])).stdout).toMatch(/^Undid export \S+:\n {2}restored \.env \(what it held is saved as \.env\./);
    expect(readFileSync(join(out, '.env'), 'utf8')).toContain('N8N_SMTP_PASS=pw');
  });

  it('undoes a whole export: the files it created go, the ones it changed come back', async () => {
    const out = tempDir('n8n-out-');
    writeFileSync(join(out, '.env'), 'MINE=1\n');
    const exported = JSON.parse((await run(['export', '--profile', writeProfile(profile), '--out', out, '--password-stdin', '--json'], 'pw')).stdout);
    // First asked what it would do: the same files, nothing written.
    const exportedEnv = readFileSync(join(out, '.env'), 'utf8');
    const preview = await run(['restore', '--out', out, '--export', exported.exportId, '--dry-run']);
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    expect(preview.stdout).toMatch(/would restore \.env/);
    expect(preview.stdout).toMatch(/would remove compose\.yaml/);
    expect(preview.stdout).toMatch(/Nothing was written\.\n$/);
    expect(readFileSync(join(out, '.env'), 'utf8')).toBe(exportedEnv);
    expect(existsSync(join(out, 'compose.yaml'))).toBe(true);
    expect((await run(['restore', '--out', out, '--list', '--dry-run'])).code).toBe(2);
    const undone = await run(['restore', '--out', out, '--export', exported.exportId]);
    expect(undone).toMatchObject({ code: 0, stderr: '' });
    expect(undone.stdout).toMatch(/removed {2}compose\.yaml/);
    expect(readFileSync(join(out, '.env'), 'utf8')).toBe('MINE=1\n');
    expect(existsSync(join(out, 'compose.yaml'))).toBe(false);
    const unknown = await run(['restore', '--out', out, '--export', '20990101T000000000Z-00000000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No recorded export 20990101T000000000Z-00000000/);
  });

  it('the single-file build runs on its own, with no node_modules beside it', () => {
    expect(existsSync('dist/n8n-setup.cjs'), 'run npm run build first').toBe(true);
    const alone = tempDir('n8n-alone-');
    copyFileSync('dist/n8n-setup.cjs', join(alone, 'n8n-setup.cjs'));
    const result = spawnSync(process.execPath, ['n8n-setup.cjs', 'export', '--help'], { encoding: 'utf8', cwd: alone });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: n8n-setup export/);
  });
});
