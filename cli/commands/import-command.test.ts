/**
 * `import` on files it must not read whole: a YAML alias bomb and files over the 1 MiB limit end with exit
 * 2 and an error naming the file and the fix, quickly, instead of an unexpected error or gigabytes of memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testProgram } from '../../scripts/test-programs.mjs';
import { readComposeFixture } from '../../test/fixtures/compose/read-fixture.js';
import { copyOf, corpusCases } from '../../test/real-world/corpus.js';
import { runCli } from '../main.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-import-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => new Uint8Array(), cwd: scratch });
  return { code, stdout, stderr, error: argv.includes('--json') ? (JSON.parse(stdout) as { error: Record<string, string> }).error : undefined };
}

function file(name: string, content: string): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('n8n-setup import', () => {
  it('refuses a compose file whose aliases would expand a billion times, with exit 2 and the fix', async () => {
    const env = file('.env', 'N8N_HOST=n8n.example.com\n');
    const compose = file('compose.yaml', readComposeFixture('alias-bomb').text);
    const started = performance.now();
    const result = await run(['import', '--env', env, '--compose', compose, '--json']);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.code).toBe(2);
    expect(result.error).toMatchObject({ code: 'COMPOSE_TOO_MANY_ALIASES', field: 'compose', message: expect.stringContaining(`${compose} uses YAML aliases`), fix: expect.stringContaining('aliases') });
    expect(result.stderr).toMatch(/^error: compose: .*more than 100 copies/);
  });

  it('refuses a 50 MB .env from its size, in well under a second', async () => {
    const env = file('huge.env', '');
    truncateSync(env, 50_000_000);
    const started = performance.now();
    const result = await run(['import', '--env', env]);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: env: The .env file ${env} is 47.7 MiB (50000000 bytes), over the 1 MiB (1048576 bytes) limit`);
  });

  it('refuses a compose file and an env_file over 1 MiB, naming each', async () => {
    const env = file('.env', 'N8N_HOST=n8n.example.com\n');
    const big = file('big.yaml', `# ${'x'.repeat(1024 * 1024)}\nservices: {}\n`);
    expect((await run(['import', '--env', env, '--compose', big, '--json'])).error).toMatchObject({ code: 'FILE_TOO_LARGE', field: 'compose', message: expect.stringContaining(`The compose file ${big} is 1 MiB`) });
    file('extra.env', `A=${'y'.repeat(1024 * 1024)}\n`);
    const compose = file('with-env-file.yaml', 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    env_file: [.env, extra.env]\n');
    const result = await run(['import', '--env', env, '--compose', compose, '--json']);
    expect(result.code).toBe(2);
    expect(result.error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining(`extra.env (read by ${compose}) is 1 MiB`) });
  });

  it('reads the override Compose loads with the compose file, and says which files it read', async () => {
    const dir = mkdtempSync(join(scratch, 'override-'));
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment: [N8N_HOST=base.example.com]\n');
    writeFileSync(join(dir, 'docker-compose.override.yml'), 'services:\n  n8n:\n    environment: [N8N_HOST=n8n.example.com, N8N_PROTOCOL=https, N8N_PORT=443]\n');
    const json = await run(['import', '--compose', join(dir, 'docker-compose.yml'), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ profile: { url: { public: 'https://n8n.example.com/' } }, files: [{ path: 'docker-compose.yml', role: 'compose' }, { path: 'docker-compose.override.yml', role: 'override' }] });
    expect((await run(['import', '--compose', join(dir, 'docker-compose.yml')])).stdout).toContain('Read as Docker Compose loads them:\n  docker-compose.yml\n  docker-compose.override.yml (override)\n');
  });

  it('refuses an include cycle and an include of a FIFO with exit 2 and the fix, without waiting', async () => {
    const dir = mkdtempSync(join(scratch, 'hostile-'));
    writeFileSync(join(dir, 'compose.yaml'), 'include: [a.yaml]\nservices:\n  n8n:\n    image: n8nio/n8n:2.41.1\n');
    writeFileSync(join(dir, 'a.yaml'), 'include: [compose.yaml]\n');
    const cycle = await run(['import', '--compose', join(dir, 'compose.yaml'), '--json']);
    expect(cycle.code).toBe(2);
    expect(cycle.error).toMatchObject({ code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('compose.yaml → a.yaml → compose.yaml'), fix: 'Remove one of these include: entries.' });
    execFileSync(testProgram('mkfifo'), [join(dir, 'pipe.yaml')]);
    writeFileSync(join(dir, 'a.yaml'), 'include: [pipe.yaml]\n');
    const started = performance.now();
    const fifo = await run(['import', '--compose', join(dir, 'compose.yaml'), '--json']);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(fifo.code).toBe(2);
    expect(fifo.error).toMatchObject({ code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('pipe.yaml, named by') });
  });

  it('lists what a queue-mode folder runs: the platform, each n8n service with its role, the others in one line', async () => {
    const { dir, composeFile } = copyOf(corpusCases().find((c) => c.name === 'n8n-hosting-with-postgres-and-worker')!, scratch);
    const text = await run(['import', '--compose', join(dir, composeFile), '--out', join(dir, 'profile.json')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      [
        'What the folder runs: docker-compose.yml — plain Docker Compose, no proxy: n8n answers on its published port',
        '  n8n — main (editor, sends invites) · image docker.n8n.io/n8nio/n8n:${N8N_VERSION} · publishes ports',
        '  n8n-worker — worker (runs executions) · image docker.n8n.io/n8nio/n8n:${N8N_VERSION}',
        '  n8n-runner — task runner (runs Code node scripts for n8n) · image n8nio/runners:${N8N_VERSION}',
        '  n8n-worker-runner — task runner (runs Code node scripts for n8n) · image n8nio/runners:${N8N_VERSION}',
        '  postgres, redis — other services, left as they are',
      ].join('\n'),
    );
    const json = JSON.parse((await run(['import', '--compose', join(dir, composeFile), '--json'])).stdout) as { deployment: { platform: string; services: Array<{ name: string; role?: string }> } };
    expect(json.deployment.platform).toBe('compose');
    expect(json.deployment.services.map((s) => [s.name, s.role ?? null])).toEqual([
      ['n8n', 'main'],
      ['n8n-worker', 'worker'],
      ['n8n-runner', 'runner'],
      ['n8n-worker-runner', 'runner'],
      ['postgres', null],
      ['redis', null],
    ]);
  });
});
