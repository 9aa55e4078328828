/**
 * `export --dry-run` on an existing compose project shows what the wizard's review shows: the changes service
 * by service, each with the file and line it lands in, and the services that get nothing in one line. The
 * lines it names are the ones the real export then writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../services/secrets/memory-secret-store.js';
import { copyOf, corpusCases } from '../../test/real-world/corpus.js';
import { runCli } from '../main.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-export-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], stdin = '') {
  let stdout = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: () => undefined, readStdin: async () => Buffer.from(stdin), cwd: scratch, secretStore: createMemorySecretStore() });
  return { code, stdout };
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
