/**
 * Export changes only what the profile decides: whatever else the target already runs or sets stays as
 * the admin made it (and where the two meet, a warning says so).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../profile/read-profile-file.js';
import { exportSetup } from './export-setup.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-export-target-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const profile = (deploy: Record<string, unknown> = {}, email: Record<string, unknown> = {}) =>
  loadProfile(
    {
      version: 1,
      email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com', ...email },
      url: { public: 'https://n8n.example.com/' },
      deploy: { proxy: 'external', ...deploy },
    },
    scratch,
  );

function target(files: Record<string, string>): string {
  const dir = mkdtempSync(join(scratch, 'out-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const compose = (image: string, extra = '') => `services:\n  n8n:\n    image: ${image}\n    env_file: .env\n${extra}`;
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const secrets = { N8N_SMTP_PASS: 'pw' };

describe('exportSetup on an existing deployment', () => {
  it('keeps the n8n image the target runs when the profile names none', async () => {
    const dir = target({ 'compose.yaml': compose('docker.n8n.io/n8nio/n8n:2.50.0') });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    expect(read(dir, 'compose.yaml')).toContain('n8nio/n8n:2.50.0');
  });

  it('warns before going back to an older n8n image', async () => {
    const dir = target({ 'compose.yaml': compose('docker.n8n.io/n8nio/n8n:2.50.0') });
    const report = await exportSetup({ loaded: profile({ image: 'docker.n8n.io/n8nio/n8n:2.41.1' }), outDir: dir, secrets, dryRun: true });
    expect(report.warnings.map((w) => w.code)).toContain('WARN_IMAGE_DOWNGRADE');
  });

  it('never removes the encryption key, in either spelling', async () => {
    const dir = target({ '.env': 'N8N_ENCRYPTION_KEY_FILE=/run/secrets/key\n', 'compose.yaml': compose('n8nio/n8n:2.41.1') });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    expect(read(dir, '.env')).toMatch(/^N8N_ENCRYPTION_KEY_FILE=\/run\/secrets\/key$/m);
  });

  it("leaves the target's time zone as it is when the profile names none", async () => {
    const dir = target({ '.env': 'GENERIC_TIMEZONE=Europe/Berlin\n', 'compose.yaml': compose('n8nio/n8n:2.41.1') });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    expect(read(dir, '.env')).toMatch(/^GENERIC_TIMEZONE=Europe\/Berlin\n/);
    expect(read(dir, '.env')).not.toMatch(/^TZ=/m);
    expect(read(dir, 'compose.yaml')).not.toMatch(/GENERIC_TIMEZONE|TZ/);
  });

  it('leaves variables the profile has no say in: invite-link hardening, a corporate CA, other templates', async () => {
    const env = 'N8N_INVITE_LINKS_EMAIL_ONLY=true\nNODE_EXTRA_CA_CERTS=/etc/corp/ca.pem\nN8N_UM_EMAIL_TEMPLATES_WORKFLOW_SHARED=/data/shared.html\n';
    const dir = target({ '.env': env, 'compose.yaml': compose('n8nio/n8n:2.41.1') });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    expect(read(dir, '.env').startsWith(env)).toBe(true);
  });

  it('keeps a .env key that another service interpolates', async () => {
    const dir = target({
      '.env': 'GENERIC_TIMEZONE=Europe/Berlin\n',
      'compose.yaml': `${compose('n8nio/n8n:2.41.1')}  postgres:\n    image: postgres:16\n    environment:\n      TZ: \${GENERIC_TIMEZONE}\n`,
    });
    const report = await exportSetup({ loaded: profile({ timezone: 'Europe/Paris' }), outDir: dir, secrets });
    expect(read(dir, '.env')).toMatch(/^GENERIC_TIMEZONE=Europe\/Berlin$/m);
    expect(read(dir, 'compose.yaml')).toMatch(/^ {6}GENERIC_TIMEZONE: "Europe\/Paris"$/m);
    expect(read(dir, 'compose.yaml')).toMatch(/^ {6}TZ: \$\{GENERIC_TIMEZONE\}$/m);
    expect(report.warnings.map((w) => w.code)).toContain('WARN_SETTING_IN_SERVICE');
  });

  it('does not offer a secret that another compose file beside it reads (docker compose -f), and offers none when such a file cannot be read', async () => {
    const noEnvFile = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      - N8N_SMTP_PASS=${N8N_SMTP_PASS}\n';
    const files = { '.env': 'N8N_SMTP_PASS=pw\nBACKUP_TOKEN=t-1\nS3_SECRET=s-1\n', 'compose.yaml': noEnvFile, 'compose.backup.yml': 'services:\n  backup:\n    image: example/backup:1\n    environment:\n      - TOKEN=${BACKUP_TOKEN}\n' };
    const dir = target(files);
    const report = await exportSetup({ loaded: profile(), outDir: dir, secrets, dryRun: true });
    expect(report.unusedSecrets.map((s) => s.key)).toEqual(['S3_SECRET']);

    const outside = target({ 'elsewhere.yml': 'x: ${S3_SECRET}\n' });
    const linked = target(files);
    symlinkSync(join(outside, 'elsewhere.yml'), join(linked, 'linked.yml'));
    expect((await exportSetup({ loaded: profile(), outDir: linked, secrets, dryRun: true })).unusedSecrets).toEqual([]);
  });

  it('refuses a .env that is not UTF-8 and changes nothing', async () => {
    const dir = target({ 'compose.yaml': compose('n8nio/n8n:2.41.1') });
    writeFileSync(join(dir, '.env'), Buffer.from('# Gr\xfc\xdfe\nA=1\n', 'latin1'));
    await expect(exportSetup({ loaded: profile(), outDir: dir, secrets })).rejects.toMatchObject({ code: 'FILE_NOT_UTF8' });
    expect(readFileSync(join(dir, '.env'))).toEqual(Buffer.from('# Gr\xfc\xdfe\nA=1\n', 'latin1'));
  });

  it("asks for deploy.acmeEmail only when it adds the caddy service, not for the admin's own", async () => {
    const fresh = target({});
    await expect(exportSetup({ loaded: profile({ proxy: 'caddy' }), outDir: fresh, secrets })).rejects.toMatchObject({ code: 'INVALID_PROFILE', field: 'deploy.acmeEmail', message: expect.stringMatching(/required with proxy "caddy"/) });
    const own = target({ 'compose.yaml': compose('n8nio/n8n:2.41.1', '  caddy:\n    image: caddy:2\n') });
    await expect(exportSetup({ loaded: profile({ proxy: 'caddy' }), outDir: own, secrets })).resolves.toMatchObject({ ok: true });
  });

  it("does not replace the admin's own Caddyfile", async () => {
    const caddyfile = 'other.example.com {\n\treverse_proxy app:80\n}\n';
    const dir = target({ Caddyfile: caddyfile, 'compose.yaml': compose('n8nio/n8n:2.41.1', '  caddy:\n    image: caddy:2\n') });
    const report = await exportSetup({ loaded: profile({ proxy: 'caddy', acmeEmail: 'ops@example.com' }), outDir: dir, secrets });
    expect(read(dir, 'Caddyfile')).toBe(caddyfile);
    expect(read(dir, 'proxy/Caddyfile.n8n')).toContain('n8n.example.com');
    expect(report.warnings.map((w) => w.code)).toContain('WARN_CADDYFILE_KEPT');
  });

  it('keeps WEBHOOK_URL for a custom image whose version the tag does not tell', async () => {
    const dir = target({ '.env': 'WEBHOOK_URL=https://old.example.com/\n', 'compose.yaml': compose('myorg/n8n-with-nodes:custom') });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    expect(read(dir, '.env')).toMatch(/^WEBHOOK_URL=https:\/\/n8n\.example\.com\/$/m);
    expect(read(dir, '.env')).not.toMatch(/N8N_WEBHOOK_URL/);
  });

  it("merges into the admin's override instead of replacing it", async () => {
    const base = 'services:\n  app:\n    build: .\n';
    const override = 'services:\n  worker:\n    image: busybox\n  n8n:\n    image: n8nio/n8n:2.41.1\n';
    const dir = target({ 'docker-compose.yml': base, 'docker-compose.override.yml': override });
    await exportSetup({ loaded: profile(), outDir: dir, secrets });
    const written = read(dir, 'docker-compose.override.yml');
    expect(written).toContain('worker:\n    image: busybox');
    expect(written).toMatch(/N8N_|env_file/);
    expect(read(dir, 'docker-compose.yml')).toBe(base);
  });

  it('changes a managed key the override sets in the override, where it wins', async () => {
    const base = compose('n8nio/n8n:2.41.1');
    const dir = target({ 'compose.yaml': base, 'compose.override.yaml': 'services:\n  n8n:\n    environment:\n      N8N_SMTP_HOST: old.example.com\n' });
    const report = await exportSetup({ loaded: profile(), outDir: dir, secrets });
    // The key it set is changed there; new keys go where the service's environment is written too.
    expect(read(dir, 'compose.override.yaml')).toContain('services:\n  n8n:\n    environment:\n      N8N_SMTP_HOST: "smtp.example.com"\n      N8N_SMTP_PORT: ${N8N_SMTP_PORT}\n');
    expect(read(dir, 'compose.yaml')).toBe(base);
    expect(report.warnings.map((w) => w.code)).not.toContain('WARN_OVERRIDE_SETS_MANAGED');
    expect(report.changes).toContainEqual(expect.objectContaining({ file: 'compose.override.yaml', key: 'services.n8n.environment.N8N_SMTP_HOST' }));
  });

  it('closes a secrets folder others can read before writing a secret into it', async () => {
    const dir = target({});
    mkdirSync(join(dir, 'secrets'));
    chmodSync(join(dir, 'secrets'), 0o755);
    const report = await exportSetup({ loaded: profile({ secrets: 'file' }), outDir: dir, secrets });
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(report.warnings.map((w) => w.code)).toContain('WARN_MODE_TIGHTENED');
  });
});
