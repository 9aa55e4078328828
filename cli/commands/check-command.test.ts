import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeN8n, type FakeServer } from '../../services/check/test-support/fake-n8n-server.js';
import { exitCodeFor, formatError, toErrorData } from '../cli-io.js';
import { checkCommand } from './check-command.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-check-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** As runCli runs a command: a thrown SetupError becomes its message and exit code. */
async function check(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readStdin: async () => new Uint8Array(), cwd: scratch };
  let code: number;
  try {
    code = await checkCommand(args, io);
  } catch (error) {
    stderr += formatError(toErrorData(error));
    code = exitCodeFor(toErrorData(error));
  }
  return { code, stdout, stderr };
}

const profileFile = join(scratch, 'profile.json');
writeFileSync(
  profileFile,
  JSON.stringify({
    version: 1,
    email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' },
    url: { public: 'https://n8n.example.com/' },
  }),
);

describe('n8n-setup check', () => {
  it('exits 0 when n8n runs as the profile says', async () => {
    server = await startFakeN8n({ instanceUrl: 'https://n8n.example.com', smtpSetup: true, secureCookie: true });
    const result = await check(['--url', server.url, '--profile', profileFile]);
    expect(result.stdout).toMatch(/n8n runs as set up/);
    expect(result.code).toBe(0);
  });

  it('exits 3 for a reachable n8n with other settings, each mismatch with cause and fix', async () => {
    server = await startFakeN8n({ instanceUrl: 'http://localhost:5678', smtpSetup: false, secureCookie: true });
    const result = await check(['--url', server.url, '--profile', profileFile]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/MISMATCH n8n builds links on http:\/\/localhost:5678/);
    expect(result.stdout).toMatch(/likely: the container was not recreated/);
    expect(result.stdout).toMatch(/fix: +Run `docker compose up -d`/);
    expect(result.stdout).toMatch(/MISMATCH n8n has no email set up/);
    expect(result.stdout).toMatch(/2 mismatches\./);
  });

  it('prints one JSON object with --json', async () => {
    server = await startFakeN8n({ instanceUrl: 'http://localhost:5678' });
    const result = await check(['--url', server.url, '--json']);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, url: server.url, instance: { instanceUrl: 'http://localhost:5678' }, expected: { publicUrl: server.url } });
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['URL_DEFAULT', 'SMTP_OFF_AS_EXPECTED', 'COOKIE_MATCHES']);
  });

  it('exits 1 when nothing answers, and 2 for invalid input', async () => {
    server = await startFakeN8n();
    const url = server.url;
    await server.close();
    server = undefined;
    const unreachable = await check(['--url', url]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/connection refused/);
    expect((await check([])).code).toBe(2);
    expect((await check(['--url', 'n8n.example.com'])).code).toBe(2);
    expect((await check(['--url', url, '--timeout', '0'])).code).toBe(2);
    expect((await check(['--url', url, '--profile', join(scratch, 'missing.json')])).code).toBe(2);
  });
});
