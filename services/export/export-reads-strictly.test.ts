/**
 * What export reads before it writes: files over 1 MiB, text that is not UTF-8 and YAML alias bombs are
 * refused with the file and the fix before anything changes; a backup of a compose file that spelled a
 * secret out is as private as the secret.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeHoldsSecret } from '../../shared/export/existing-deployment.js';
import { readComposeFixture } from '../../test/fixtures/compose/read-fixture.js';
import { loadProfile } from '../profile/read-profile-file.js';
import { exportSetup } from './export-setup.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-export-strict-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const profile = (email: Record<string, unknown> = {}) =>
  loadProfile(
    {
      version: 1,
      email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com', ...email },
      url: { public: 'https://n8n.example.com/' },
      deploy: { proxy: 'external' },
    },
    scratch,
  );
const secrets = { N8N_SMTP_PASS: 'pw' };

function target(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(scratch, 'out-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('exportSetup reading the target folder', () => {
  it('refuses a compose file that is a YAML alias bomb, and writes nothing', async () => {
    const dir = target({ 'compose.yaml': readComposeFixture('alias-bomb').text });
    const started = performance.now();
    await expect(exportSetup({ loaded: profile(), outDir: dir, secrets })).rejects.toMatchObject({ code: 'COMPOSE_TOO_MANY_ALIASES', field: 'compose', message: expect.stringContaining('compose.yaml uses YAML aliases') });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(readdirSync(dir)).toEqual(['compose.yaml']);
  });

  it('refuses a 50 MB .env from its size, fast, and writes nothing', async () => {
    const dir = target({ '.env': '' });
    truncateSync(join(dir, '.env'), 50_000_000);
    const started = performance.now();
    await expect(exportSetup({ loaded: profile(), outDir: dir, secrets })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', field: '.env', message: expect.stringContaining('47.7 MiB (50000000 bytes), over the 1 MiB') });
    expect(performance.now() - started).toBeLessThan(500);
    expect(readdirSync(dir)).toEqual(['.env']);
  });

  it('refuses a template over 1 MiB or not in UTF-8, naming the file', async () => {
    const big = join(scratch, 'big.html');
    writeFileSync(big, `<p>${'x'.repeat(1024 * 1024)}</p>`);
    await expect(exportSetup({ loaded: profile({ templates: { invite: { file: big } } }), outDir: target({}), secrets })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining(`${big} is 1 MiB`) });
    const latin1 = join(scratch, 'latin1.html');
    writeFileSync(latin1, Buffer.from('<p>Grüße {{inviteAcceptUrl}}</p>', 'latin1'));
    await expect(exportSetup({ loaded: profile({ templates: { invite: { file: latin1 } } }), outDir: target({}), secrets })).rejects.toMatchObject({ code: 'FILE_NOT_UTF8', message: expect.stringContaining(`${latin1} is not valid UTF-8`) });
  });
});

describe('the backup of a compose file', () => {
  const compose = (environment: string) => `services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n    environment:\n${environment}`;

  it('is 0600 when the compose file spelled the SMTP password out', async () => {
    const dir = target({ 'compose.yaml': compose('      N8N_SMTP_PASS: hunter22\n') });
    const report = await exportSetup({ loaded: profile(), outDir: dir, secrets });
    const backup = report.files.find((f) => f.path === 'compose.yaml')?.backup;
    expect(backup).toBeDefined();
    expect(readFileSync(join(dir, backup ?? ''), 'utf8')).toContain('hunter22');
    expect(statSync(join(dir, backup ?? '')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).not.toContain('hunter22');
  });

  it('keeps its mode when the compose file only refers to a variable', async () => {
    const dir = target({ 'compose.yaml': compose('      N8N_SMTP_PASS: ${SMTP_PASS}\n') });
    const report = await exportSetup({ loaded: profile(), outDir: dir, secrets });
    const backup = report.files.find((f) => f.path === 'compose.yaml')?.backup ?? '';
    expect(statSync(join(dir, backup)).mode & 0o777).toBe(statSync(join(dir, 'compose.yaml')).mode & 0o777);
  });

  it.for([
    ['      N8N_SMTP_PASS: hunter22', true],
    ['      - N8N_SMTP_PASS=hunter22', true],
    ['      "N8N_SMTP_OAUTH_PRIVATE_KEY": |', true],
    ['      {N8N_ENCRYPTION_KEY: abc}', true],
    ["      N8N_SMTP_PASS: 'x'", true],
    ['      N8N_SMTP_PASS: ${SMTP_PASS}', false],
    ['      - N8N_SMTP_PASS=$SMTP_PASS', false],
    ['      N8N_SMTP_PASS: "${SMTP_PASS:?set it}"', false],
    ['      N8N_SMTP_PASS_FILE: /run/secrets/n8n_smtp_pass', false],
    ['      N8N_SMTP_PASS:', false],
    ['      N8N_SMTP_PASS: ""', false],
    ['      # N8N_SMTP_PASS is in .env', false],
  ] as const)('counts %j as holding a secret: %s', ([line, holds]) => {
    expect(composeHoldsSecret({ name: 'compose.yaml', text: compose(`${line}\n`) })).toBe(holds);
  });
});
