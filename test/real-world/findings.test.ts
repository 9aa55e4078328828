import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { instanceBaseUrl } from '../../shared/n8n/public-url.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { exportSetup } from '../../services/export/export-setup.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { CORPUS } from './corpus.js';

/**
 * Each finding of the real-deployments audit (issue 12), on the deployment it was found with: import,
 * set SMTP and a public URL, export — and what came out wrong then comes out right now.
 */
const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-findings-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SMTP = { mode: 'smtp', host: 'smtp.example.net', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.net>' } as const;

function folder(files: Record<string, string>, fromCase?: string): string {
  const dir = mkdtempSync(join(scratch, 'case-'));
  if (fromCase) {
    for (const name of readdirSync(join(CORPUS, fromCase))) if (!name.endsWith('.json')) cpSync(join(CORPUS, fromCase, name), join(dir, name), { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

function deployment(dir: string, composeFile = 'docker-compose.yml') {
  const optional = (path: string) => (existsSync(join(dir, path)) ? read(dir, path) : undefined);
  const env = optional('.env');
  return readDeployment({ compose: { name: composeFile, text: read(dir, composeFile) }, ...(env !== undefined && { env }), readFile: optional });
}

const envOf = (dir: string, service: string, composeFile?: string) =>
  Object.fromEntries(Object.entries(deployment(dir, composeFile).services.find((s) => s.name === service)!.environment).map(([k, v]) => [k, v.value]));

async function importAndExport(dir: string, composeFile: string, change: (profile: Profile) => Profile = (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/' } } as Profile)) {
  const imported = await importSetup({ composeFile: join(dir, composeFile) });
  const loaded = loadProfile(change(imported.profile), dir);
  const report = await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: 'Finding-pw-1' } });
  return { imported, loaded, report };
}

describe('issue 12 findings', () => {
  it('1. import reads queue mode (n8n + n8n-worker) and the starter kit (x-n8n anchor, n8n + n8n-import): main is the one without a command', async () => {
    for (const [name, main] of [['n8n-hosting-with-postgres-and-worker', 'n8n'], ['n8n-self-hosted-ai-starter-kit', 'n8n']] as const) {
      const dir = folder({}, name);
      const report = await importSetup({ composeFile: join(dir, 'docker-compose.yml') });
      expect(report.profile.deploy?.image, name).toMatch(/n8nio\/n8n/);
      expect(deployment(dir).services.filter((s) => s.role === 'main').map((s) => s.name)).toEqual([main]);
    }
  });

  it('2. an image with a variable is kept as written: import takes it, export accepts it and leaves the line alone, twice', async () => {
    const dir = folder({}, 'n8n-hosting-with-postgres-and-worker');
    const before = read(dir, 'docker-compose.yml');
    const { imported, loaded } = await importAndExport(dir, 'docker-compose.yml');
    expect(imported.profile.deploy?.image).toBe('docker.n8n.io/n8nio/n8n:${N8N_VERSION}');
    const imageLines = (text: string) => text.split('\n').filter((line) => /^\s+image:/.test(line));
    expect(imageLines(read(dir, 'docker-compose.yml'))).toEqual(imageLines(before));
    await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: 'Finding-pw-1' } });
    expect(imageLines(read(dir, 'docker-compose.yml'))).toEqual(imageLines(before));
  });

  it("3. the ACME email of an existing Traefik or Caddy setup is imported from where the proxy reads it (SSL_EMAIL, ACME_EMAIL)", async () => {
    const traefik = await importSetup({ composeFile: join(folder({}, 'n8n-docs-docker-compose-traefik'), 'compose.yaml') });
    expect(traefik.profile.deploy).toMatchObject({ proxy: 'traefik', acmeEmail: expect.stringContaining('@') });
    const caddy = await importSetup({ composeFile: join(folder({}, 'jimiz12-n8n-docker-postgresql'), 'docker-compose.yml') });
    expect(caddy.profile.deploy).toMatchObject({ proxy: 'caddy', acmeEmail: expect.stringContaining('@') });
  });

  it('4. a PaaS template publishes no port: import says "platform", and export publishes none', async () => {
    const dir = folder({}, 'coolify-n8n');
    cpSync(join(dir, 'n8n.yaml'), join(dir, 'docker-compose.yml'));
    const { imported } = await importAndExport(dir, 'docker-compose.yml');
    expect(imported.profile.deploy?.proxy).toBe('platform');
    expect(deployment(dir).services.find((s) => s.name === 'n8n')?.ports).toEqual([]);
  });

  it('5. export passes new .env keys with NAME: ${NAME} and never adds env_file, so n8n gets no other project variable', async () => {
    const dir = folder({}, 'n8n-hosting-with-postgres');
    await importAndExport(dir, 'docker-compose.yml');
    expect(read(dir, 'docker-compose.yml')).not.toMatch(/env_file/);
    expect(read(dir, 'docker-compose.yml')).toMatch(/^\s+- N8N_SMTP_HOST=\$\{N8N_SMTP_HOST\}$/m);
    expect(envOf(dir, 'n8n')).not.toHaveProperty('POSTGRES_PASSWORD');
  });

  it('6. variables the profile has no say in stay: the time zone, N8N_SECURE_COOKIE, N8N_DOMAIN', async () => {
    const compose = 'services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n    environment:\n      - GENERIC_TIMEZONE=${GENERIC_TIMEZONE}\n      - N8N_SECURE_COOKIE=false\n      - N8N_DOMAIN=${N8N_DOMAIN}\n';
    const dir = folder({ 'docker-compose.yml': compose, '.env': 'GENERIC_TIMEZONE=Asia/Tokyo\nN8N_DOMAIN=old.example.net\n' });
    await importAndExport(dir, 'docker-compose.yml');
    expect(envOf(dir, 'n8n')).toMatchObject({ GENERIC_TIMEZONE: 'Asia/Tokyo', N8N_SECURE_COOKIE: 'false', N8N_DOMAIN: 'old.example.net' });
    expect(envOf(dir, 'n8n')).not.toHaveProperty('TZ');
  });

  it("7. a .env variable main and worker both read is kept, and a new key never changes another service's ${N8N_PROXY_HOPS:-1}", async () => {
    const compose = [
      'services:',
      '  n8n:',
      '    image: n8nio/n8n:2.41.1',
      '    environment:',
      '      - GENERIC_TIMEZONE=${GENERIC_TIMEZONE}',
      '  n8n-worker:',
      '    image: n8nio/n8n:2.41.1',
      '    command: worker',
      '    environment:',
      '      - GENERIC_TIMEZONE=${GENERIC_TIMEZONE}',
      '  proxy:',
      '    image: example/proxy:1',
      '    environment:',
      '      - HOPS=${N8N_PROXY_HOPS:-1}',
      '',
    ].join('\n');
    const dir = folder({ 'docker-compose.yml': compose, '.env': 'GENERIC_TIMEZONE=Europe/Berlin\n' });
    await importAndExport(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/', proxyHops: 2 } } as Profile));
    expect(envOf(dir, 'n8n-worker').GENERIC_TIMEZONE).toBe('Europe/Berlin');
    expect(envOf(dir, 'proxy').HOPS).toBe('1');
    expect(envOf(dir, 'n8n').N8N_PROXY_HOPS).toBe('2');
    expect(envOf(dir, 'n8n-worker').N8N_SMTP_HOST).toBe(SMTP.host);
  });

  it('8. an older N8N_SMTP_PASS in an env_file would win over the new secret file: it is removed there, with a backup', async () => {
    const compose = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    env_file: n8n.env\n';
    const dir = folder({ 'docker-compose.yml': compose, 'n8n.env': 'N8N_SMTP_HOST=old.example.net\nN8N_SMTP_PASS=old-password\n' });
    const { report } = await importAndExport(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/' }, deploy: { ...p.deploy, secrets: 'file' } } as Profile));
    const env = envOf(dir, 'n8n');
    expect(env).not.toHaveProperty('N8N_SMTP_PASS');
    expect(env.N8N_SMTP_PASS_FILE).toBe('/run/secrets/n8n_smtp_pass');
    expect(read(dir, 'secrets/n8n_smtp_pass')).toBe('Finding-pw-1');
    expect(report.files.find((f) => f.path === 'n8n.env')).toMatchObject({ action: 'updated', backup: expect.stringMatching(/^n8n\.env\./) });
  });

  it("9. the compose file's own N8N_EDITOR_BASE_URL: https://${DOMAIN}/ is changed where it lives, sub-path included", async () => {
    const compose = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      N8N_EDITOR_BASE_URL: https://${DOMAIN}/\n      N8N_HOST: ${DOMAIN}\n';
    const dir = folder({ 'docker-compose.yml': compose, '.env': 'DOMAIN=old.example.net\n' });
    await importAndExport(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://example.net/automation/' } } as Profile));
    expect(instanceBaseUrl(envOf(dir, 'n8n'))).toBe('https://example.net/automation/');
    expect(envOf(dir, 'n8n').N8N_PATH).toBe('/automation/');
  });

  it("10. n8n-hosting's Caddy reads ${DATA_FOLDER}/caddy_config/Caddyfile: that file is the one looked at, and its data mount is no false alarm", async () => {
    const dir = folder({}, 'n8n-hosting-docker-caddy');
    writeFileSync(join(dir, '.env'), read(dir, '.env').replace(/^DATA_FOLDER=.*$/m, `DATA_FOLDER=${dir}`));
    const { report } = await importAndExport(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/' }, deploy: { ...p.deploy, proxy: 'caddy' } } as Profile));
    expect(report.warnings.map((w) => w.code)).not.toContain('COMPOSE_NO_DATA_VOLUME');
    expect(report.warnings.find((w) => w.code === 'WARN_CADDYFILE_KEPT')?.message).toContain('caddy_config/Caddyfile');
    expect(existsSync(join(dir, 'Caddyfile'))).toBe(false);

    const outside = folder({}, 'n8n-hosting-docker-caddy');
    const elsewhere = await importAndExport(outside, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/' }, deploy: { ...p.deploy, proxy: 'caddy' } } as Profile));
    expect(elsewhere.report.warnings.find((w) => w.code === 'WARN_CADDYFILE_OUTSIDE')?.message).toContain('/home/n8n/n8n-docker-caddy/caddy_config/Caddyfile');
  });
});

describe('each n8n process gets what its role reads (the n8n table)', () => {
  it("Dokploy's queue mode plus a webhook processor: SMTP and links everywhere, proxy hops where n8n serves HTTP, the sign-in cookie on main only", async () => {
    const dir = folder({}, 'dokploy-n8n-queue');
    const compose = read(dir, 'docker-compose.yml').replace(/\nvolumes:\n/, '\n  n8n-webhook:\n    image: n8nio/n8n:2.30.4\n    command: webhook\n    environment:\n      - EXECUTIONS_MODE=queue\n      - N8N_ENCRYPTION_KEY=${N8N_ENCRYPTION_KEY}\n\nvolumes:\n');
    writeFileSync(join(dir, 'docker-compose.yml'), compose);
    await importAndExport(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/automation/', proxyHops: 2 } } as Profile));
    const main = envOf(dir, 'n8n');
    const worker = envOf(dir, 'n8n-worker');
    const webhook = envOf(dir, 'n8n-webhook');
    for (const env of [main, worker, webhook]) {
      expect(env).toMatchObject({ N8N_SMTP_HOST: 'smtp.example.net', N8N_SMTP_PORT: '587', N8N_SMTP_SENDER: 'n8n <n8n@example.net>' });
      expect(instanceBaseUrl(env)).toBe('https://n8n.example.net/automation/');
    }
    expect([main.N8N_PROXY_HOPS, webhook.N8N_PROXY_HOPS, worker.N8N_PROXY_HOPS]).toEqual(['2', '2', undefined]);
    expect(main.N8N_SECURE_COOKIE).toBe('false');
    expect([webhook.N8N_SECURE_COOKIE, worker.N8N_SECURE_COOKIE]).toEqual([undefined, undefined]);
  });
});

describe('a stale secret that would win is replaced where it lives (finding 8, the other places)', () => {
  it('a compose literal N8N_SMTP_PASS: with a secret file it is removed; kept in .env mode it is changed in place', async () => {
    const compose = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      N8N_SMTP_HOST: old.example.net\n      N8N_SMTP_PASS: old-password\n';
    const asFile = folder({ 'docker-compose.yml': compose });
    await importAndExport(asFile, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.net/' }, deploy: { ...p.deploy, secrets: 'file' } } as Profile));
    expect(envOf(asFile, 'n8n')).not.toHaveProperty('N8N_SMTP_PASS');
    expect(envOf(asFile, 'n8n').N8N_SMTP_PASS_FILE).toBe('/run/secrets/n8n_smtp_pass');
    expect(read(asFile, 'docker-compose.yml')).not.toContain('old-password');

    const inPlace = folder({ 'docker-compose.yml': compose });
    await importAndExport(inPlace, 'docker-compose.yml');
    expect(envOf(inPlace, 'n8n').N8N_SMTP_PASS).toBe('Finding-pw-1');
    expect(read(inPlace, 'docker-compose.yml')).not.toContain('old-password');
  });

  it('.env under another name (N8N_SMTP_PASS: ${SMTP_PASS}): the variable it flows through gets the new password', async () => {
    const dir = folder({ 'docker-compose.yml': 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      N8N_SMTP_HOST: ${SMTP_HOST}\n      N8N_SMTP_PASS: ${SMTP_PASS}\n', '.env': '# mail\nSMTP_HOST=old.example.net\nSMTP_PASS=old-password\n' });
    await importAndExport(dir, 'docker-compose.yml');
    expect(envOf(dir, 'n8n')).toMatchObject({ N8N_SMTP_HOST: 'smtp.example.net', N8N_SMTP_PASS: 'Finding-pw-1' });
    expect(read(dir, '.env')).toMatch(/^SMTP_PASS=Finding-pw-1$/m);
    expect(read(dir, '.env')).not.toContain('old-password');
  });
});
