/**
 * The SMTP commands in one file, as `scripts/build-cli.mjs` bundles the CLI (esbuild, CJS, node20, no
 * native modules), run from an empty folder: no node_modules beside it, exactly like
 * `docker compose cp dist/n8n-setup.cjs n8n:/tmp/` followed by `docker compose exec n8n node /tmp/…`.
 * The entry wires the two commands the way cli/index.ts → runCli does, so this holds whether or not the
 * command table already lists them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecret } from './secret-leaks.js';
import { startSmtpFixture } from './smtp-fixtures.js';
import { PASSWORD, USER } from './smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';
import { startSilentListener } from './unresponsive-listeners.js';

const ENTRY = `
import { exitCodeFor, formatError, toErrorData } from './cli/cli-io.ts';
import { smtpTestCommand } from './cli/commands/smtp-test-command.ts';
import { smtpDetectCommand } from './cli/commands/smtp-detect-command.ts';
const commands = { 'smtp-test': smtpTestCommand, 'smtp-detect': smtpDetectCommand };
const [name, ...args] = process.argv.slice(2);
const io = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: async () => '', cwd: process.cwd() };
commands[name](args, io)
  .catch((error) => { const data = toErrorData(error); io.stderr(formatError(data)); return exitCodeFor(data); })
  .then((code) => { process.exitCode = code; });
`;

let alone: string;
let bundle: string;
let certs: TestCertificates;

beforeAll(async () => {
  certs = makeTestCertificates();
  alone = mkdtempSync(join(tmpdir(), 'n8n-setup-alone-'));
  bundle = join(alone, 'n8n-setup.cjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: resolve('.'), loader: 'ts', sourcefile: 'smtp-cli-entry.ts' },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    external: ['@github/keytar'],
    define: { __APP_VERSION__: '"test"' },
    logLevel: 'error',
  });
}, 60_000);

afterAll(() => {
  rmSync(alone, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

function runBundle(args: string[], env: Record<string, string>, interruptAfterMs?: number) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; exitMs: number }>((done) => {
    const child = spawn(process.execPath, [bundle, ...args], { cwd: alone, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    let interruptedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (interruptAfterMs !== undefined) {
      setTimeout(() => {
        interruptedAt = performance.now();
        child.kill('SIGINT');
      }, interruptAfterMs);
    }
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr, exitMs: interruptedAt ? performance.now() - interruptedAt : 0 }));
  });
}

describe('the single-file CLI', () => {
  it('bundles nodemailer in: the only modules left to require are Node\'s own (and the optional keychain)', () => {
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] as string);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !isBuiltin(name) && name !== '@github/keytar')).toEqual([]);
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
