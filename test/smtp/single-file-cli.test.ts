/**
 * The CLI's single-file build, `dist/n8n-setup.cjs` (scripts/build-cli.mjs; `npm test` builds it before
 * vitest), copied alone into an empty folder and run with this Node: no node_modules beside it, exactly like
 * `docker compose cp dist/n8n-setup.cjs n8n:/tmp/` followed by `docker compose exec n8n node /tmp/…`.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecret } from './secret-leaks.js';
import { startSmtpFixture } from './smtp-fixtures.js';
import { PASSWORD, USER } from './smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';
import { startSilentListener } from './unresponsive-listeners.js';

const RUN_LIMIT_MS = 15_000;
const BUILT = fileURLToPath(new URL('../../dist/n8n-setup.cjs', import.meta.url));

let alone: string;
let bundle: string;
let certs: TestCertificates;

beforeAll(() => {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first (npm test does)`);
  certs = makeTestCertificates();
  alone = mkdtempSync(join(tmpdir(), 'n8n-setup-alone-'));
  bundle = join(alone, 'n8n-setup.cjs');
  copyFileSync(BUILT, bundle);
});

afterAll(() => {
  if (alone) rmSync(alone, { recursive: true, force: true });
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

function runBundle(args: string[], env: Record<string, string>, interruptAfterMs?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; exitMs: number }>((done) => {
    const child = spawn(process.execPath, [bundle, ...args], { cwd: alone, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    let interruptedAt = 0;
    // Ctrl-C comes `interruptAfterMs` after the test has begun (its first line), as a person would press it:
    // counting from the spawn instead would race the CLI's own start on a busy machine.
    let interruptTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (interruptAfterMs !== undefined && !interruptTimer) {
        interruptTimer = setTimeout(() => {
          interruptedAt = performance.now();
          child.kill('SIGINT');
        }, interruptAfterMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Every test here settles in seconds; a hung CLI fails its test (signal SIGKILL) instead of the run.
    const hung = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(hung);
      clearTimeout(interruptTimer);
      done({ code, signal, stdout, stderr, exitMs: interruptedAt ? performance.now() - interruptedAt : 0 });
    });
  });
}

describe('the single-file CLI', () => {
  it('bundles nodemailer in: the only modules left to require are Node\'s own (and the optional keychain and ws add-ons)', () => {
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] as string);
    expect(required.length).toBeGreaterThan(0);
    // ws tries its native add-ons inside try/catch and runs without them (scripts/build-cli.mjs).
    expect(required.filter((name) => !isBuiltin(name) && !['@github/keytar', 'bufferutil', 'utf-8-validate'].includes(name))).toEqual([]);
  });

  it('lists the SMTP commands in its help', async () => {
    const result = await runBundle(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}smtp-test +send a real test email/m);
    expect(result.stdout).toMatch(/^ {2}smtp-detect +probe ports/m);
  });

  it('runs smtp-test --from-env under this Node with nothing beside it, trusting NODE_EXTRA_CA_CERTS like n8n', async () => {
    const server = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
    const passwordFile = join(alone, 'smtp_password');
    writeFileSync(passwordFile, PASSWORD);
    try {
      const result = await runBundle(['smtp-test', '--from-env', '--to', 'admin@example.test', '--json'], {
        N8N_SMTP_HOST: '127.0.0.1',
        N8N_SMTP_PORT: String(server.port),
        N8N_SMTP_SSL: 'false',
        N8N_SMTP_USER: USER,
        N8N_SMTP_PASS_FILE: passwordFile,
        N8N_SMTP_SENDER: 'n8n <n8n@example.test>',
        NODE_EXTRA_CA_CERTS: certs.caFile,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, class: null });
      expect(server.messages).toHaveLength(1);
      expectNoSecret(result.stdout + result.stderr, PASSWORD, USER);
    } finally {
      await server.close();
    }
  });

  it('Ctrl-C cancels the test: exit 6 within a second, the server sees the disconnect, nothing keeps the process alive', async () => {
    const silent = await startSilentListener();
    try {
      const result = await runBundle(['smtp-test', '--from-env', '--to', 'admin@example.test'], { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(silent.port), N8N_SMTP_SSL: 'false' }, 600);
      expect(result).toMatchObject({ code: 6, signal: null });
      expect(result.stdout).toContain('FAILED (CANCELLED)');
      expect(result.exitMs).toBeLessThan(1000);
      expect(silent.disconnects).toBe(silent.connections);
    } finally {
      await silent.close();
    }
  });

  it('exits 2 with a reason when there is no SMTP to test', async () => {
    const result = await runBundle(['smtp-test', '--from-env', '--to', 'admin@example.test'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: N8N_SMTP_HOST: n8n has no SMTP set up here/);
  });
});
