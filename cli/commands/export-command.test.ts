/**
 * `export` on existing projects: `--dry-run` on a compose project shows what the wizard's review shows (the
 * changes service by service, each with the file and line it lands in, the services that get nothing in one
 * line; the lines it names are the ones the real export then writes), and the secrets .env keeps that no
 * service reads are listed and removed only when named.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../services/secrets/memory-secret-store.js';
import { copyOf, corpusCases } from '../../test/real-world/corpus.js';
import { runCli } from '../main.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-cli-export-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.from(stdin), cwd: scratch, secretStore: createMemorySecretStore() });
  return { code, stdout, stderr, output: stdout + stderr };
}

describe('n8n-setup export on an existing queue-mode deployment', () => {
  it('--dry-run groups the changes by service with the lines they land in; the export writes those lines', async () => {
    const { dir, composeFile } = copyOf(corpusCases().find((c) => c.name === 'n8n-hosting-with-postgres-and-worker')!, scratch);
    const profilePath = join(dir, 'profile.json');
    await run(['import', '--compose', join(dir, composeFile), '--out', profilePath]);
    const imported = JSON.parse(readFileSync(profilePath, 'utf8'));
    const smtp = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' };
    writeFileSync(profilePath, JSON.stringify({ ...imported, email: smtp, url: { public: 'https://n8n.example.com/' } }));

    const preview = await run(['export', '--profile', profilePath, '--out', dir, '--password-stdin', '--dry-run'], 'Queue-Password-1');
    expect(preview.code).toBe(0);
    const lines = preview.stdout.split('\n');
    const main = lines.indexOf('  n8n — main (editor, sends invites)');
    const worker = lines.indexOf('  n8n-worker — worker (runs executions)');
    expect(lines[main - 1]).toBe('Changes by service:');
    expect(worker).toBeGreaterThan(main);
    expect(lines).toContain('  n8n-runner, n8n-worker-runner, postgres, redis — unchanged');
    expect(preview.stdout).not.toContain('Queue-Password-1');
    const hostRow = /^ {4}\+ N8N_SMTP_HOST = smtp\.example\.com {3}\(docker-compose\.yml line (\d+); \.env line (\d+)\)$/;
    const rows = lines.slice(main + 1, worker).map((line) => hostRow.exec(line)).filter((match) => match !== null);
    expect(rows).toHaveLength(1);
    expect(lines.slice(main + 1, worker)).toContain('    + N8N_SMTP_PASS = ••••••••   (docker-compose.yml line 28; .env line 19)');

    await run(['export', '--profile', profilePath, '--out', dir, '--password-stdin'], 'Queue-Password-1');
    const [, composeLine, envLine] = rows[0]!.map(Number);
    expect(readFileSync(join(dir, composeFile), 'utf8').split('\n')[composeLine! - 1]).toBe('    - N8N_SMTP_HOST=${N8N_SMTP_HOST}');
    expect(readFileSync(join(dir, '.env'), 'utf8').split('\n')[envLine! - 1]).toBe('N8N_SMTP_HOST=smtp.example.com');
  });
});

const LEFTOVER = 'Leftover-smtp-4711';
const OLDER = 'Older-mail-pw-0815';

/** A hand setup: SMTP through SMTP_* variables, an older MAIL_PASSWORD nothing ever read, and a database password. */
const ENV = `# n8n, set up by hand
SMTP_HOST=mail.example.com
SMTP_PASS=${LEFTOVER}
MAIL_PASSWORD="${OLDER}"   # from the first try
POSTGRES_PASSWORD=pg-secret-1
`;

const COMPOSE = `services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:2.41.1
    environment:
      - N8N_SMTP_HOST=\${SMTP_HOST}
      - N8N_SMTP_PASS=\${SMTP_PASS}
  postgres:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
`;

/** Manual invite links: export takes the SMTP variables off n8n, so SMTP_PASS is read by nothing any more. */
const PROFILE = { version: 1, email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' }, deploy: { proxy: 'external' } };

function project(): string {
  const dir = mkdtempSync(join(scratch, 'project-'));
  writeFileSync(join(dir, '.env'), ENV);
  writeFileSync(join(dir, 'docker-compose.yml'), COMPOSE);
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(PROFILE));
  return dir;
}

const exportArgs = (dir: string, ...more: string[]) => ['export', '--profile', join(dir, 'profile.json'), '--out', dir, ...more];
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const backupsOf = (dir: string, name: string) => readdirSync(dir).filter((file) => file.startsWith(`${name}.`) && file.endsWith('.bak'));

describe('n8n-setup export and secrets no service reads', () => {
  it('lists them with their line and the flag that removes them, and leaves them in .env', async () => {
    const dir = project();
    const result = await run(exportArgs(dir));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SMTP_PASS in .env (line 3) holds a secret and no service reads it any more.');
    expect(result.stdout).toContain('To remove it (.env is backed up first): --remove-unused-secret SMTP_PASS');
    expect(result.stdout).toContain('MAIL_PASSWORD in .env (line 4) holds a secret');
    expect(result.stdout).not.toContain('POSTGRES_PASSWORD in .env');
    expect(read(dir, '.env')).toContain(`SMTP_PASS=${LEFTOVER}\n`);
    expect(read(dir, '.env')).toContain(`MAIL_PASSWORD="${OLDER}"`);

    const json = JSON.parse((await run(exportArgs(dir, '--dry-run', '--json'))).stdout);
    expect(json.unusedSecrets).toEqual([
      { key: 'SMTP_PASS', file: '.env', lines: [3], remove: false },
      { key: 'MAIL_PASSWORD', file: '.env', lines: [4], remove: false },
    ]);
    expect(result.output).not.toMatch(/4711|0815/);
  });

  it('removes only the named one, only its line, after a backup; every other byte is what the export alone writes', async () => {
    const alone = project();
    await run(exportArgs(alone));
    const dir = project();
    const dryRun = await run(exportArgs(dir, '--dry-run', '--remove-unused-secret', 'SMTP_PASS'));
    expect(dryRun.stdout).toContain('- SMTP_PASS would be removed from .env');
    expect(read(dir, '.env')).toBe(ENV);

    const result = await run(exportArgs(dir, '--remove-unused-secret', 'SMTP_PASS'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('- SMTP_PASS was removed from .env; the backup of .env keeps it.');
    // An empty value is said, not left blank; the removed key belongs to no service, so it is listed with the secrets.
    expect(result.stdout).toMatch(/^ {4}\+ N8N_EMAIL_MODE = \(empty\) {3}\(docker-compose\.yml line \d+; \.env line \d+\)$/m);
    expect(read(dir, '.env')).toBe(read(alone, '.env').replace(`SMTP_PASS=${LEFTOVER}\n`, ''));
    expect(read(dir, '.env')).toContain(`MAIL_PASSWORD="${OLDER}"   # from the first try\n`);
    expect(read(dir, 'docker-compose.yml')).toBe(read(alone, 'docker-compose.yml'));
    const [backup] = backupsOf(dir, '.env');
    expect(read(dir, backup!)).toBe(ENV);
    // The backup keeps the removed secret: as private as a secret file.
    expect(statSync(join(dir, backup!)).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain(`backup: ${backup}`);

    const json = await run(exportArgs(dir, '--remove-unused-secret', 'MAIL_PASSWORD', '--json'));
    expect(JSON.parse(json.stdout).changes).toEqual([{ file: '.env', key: 'MAIL_PASSWORD', action: 'remove', before: '••••••••', secret: true }]);
    expect(read(dir, '.env')).not.toMatch(/MAIL_PASSWORD|SMTP_PASS=/);
    expect(dryRun.output + result.output + json.output).not.toMatch(/4711|0815/);
  });

  it.each([
    ['a key a service still reads', 'POSTGRES_PASSWORD', /POSTGRES_PASSWORD is still read \(docker-compose\.yml refers to \$\{POSTGRES_PASSWORD\}\)/],
    ['a key that is not in .env', 'SMTP_PASSWORD', /\.env has no SMTP_PASSWORD/],
    ['a key that is no secret', 'SMTP_HOST', /SMTP_HOST is no secret by its name/],
  ])('refuses %s with exit 2, naming the flag, and changes nothing', async (_case, key, why) => {
    const dir = project();
    const result = await run(exportArgs(dir, '--remove-unused-secret', 'SMTP_PASS', '--remove-unused-secret', key));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --remove-unused-secret: Only secrets in \.env that nothing reads any more can be removed/);
    expect(result.stderr).toMatch(why);
    expect(read(dir, '.env')).toBe(ENV);
    expect(read(dir, 'docker-compose.yml')).toBe(COMPOSE);
    expect(backupsOf(dir, '.env')).toEqual([]);
    expect(result.output).not.toMatch(/4711|0815|pg-secret-1/);

    const json = JSON.parse((await run(exportArgs(dir, '--remove-unused-secret', key, '--json'))).stdout);
    expect(json).toMatchObject({ ok: false, error: { code: 'NOT_AN_UNUSED_SECRET', field: '--remove-unused-secret' } });
  });
});
