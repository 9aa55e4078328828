import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeN8n, type FakeServer } from '../../services/check/test-support/fake-n8n-server.js';
import { exitCodeFor, formatError, toErrorData, type CliIo } from '../cli-io.js';
import type { Terminal } from '../terminal-prompt.js';
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

describe('n8n-setup check --invite-test / --send-reset: the questions before anything is sent (unit: a stand-in n8n; the real one in the acceptance tier)', () => {
  /** Records every call past /healthz and /rest/settings; answers the login and nothing else. */
  async function n8nRecordingCalls(smtpSetup = true) {
    const calls: string[] = [];
    server = await startFakeN8n({ instanceUrl: 'https://n8n.example.com', smtpSetup }, (request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        calls.push(`${request.method} ${request.url} ${body}`);
        if (request.url === '/rest/login') return void response.writeHead(401, { 'content-type': 'application/json' }).end('{"code":401,"message":"Wrong username or password. Do you have caps lock on?"}');
        response.writeHead(404).end();
      });
    });
    return calls;
  }

  async function checkWith(args: string[], terminal: Terminal | undefined, stdin: string | Buffer = '') {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.from(stdin), cwd: scratch, terminal: () => terminal };
    try {
      return { code: await checkCommand(args, io), stdout, stderr };
    } catch (error) {
      return { code: exitCodeFor(toErrorData(error)), stdout, stderr: stderr + formatError(toErrorData(error)) };
    }
  }

  function scriptedTerminal(answers: { confirm?: boolean; password?: string }) {
    const asked: string[] = [];
    const terminal: Terminal = {
      confirm: async (question) => (asked.push(question), answers.confirm ?? false),
      askHidden: async (question) => (asked.push(question), answers.password ?? ''),
      close: () => undefined,
    };
    return { terminal, asked };
  }

  it.each([
    [['--invite-test', 'a@example.com'], /--login OWNER_EMAIL is required/],
    [['--invite-test', 'a@example.com', '--send-reset', 'b@example.com', '--login', 'o@example.com'], /give one of them per run/],
    [['--password-stdin'], /--password-stdin and --mfa-code go with --login OWNER_EMAIL/],
    [['--yes'], /--yes goes with --invite-test or --send-reset/],
    [['--send-reset', 'not an address'], /--send-reset "not an address" is not an email address/],
    [['--invite-test', '<a@example.com>', '--login', 'o@example.com'], /--invite-test "<a@example.com>" is not an email address/],
  ])('refuses %j before any request (exit 2)', async (args, message) => {
    const calls = await n8nRecordingCalls();
    const result = await checkWith(['--url', server!.url, ...args], undefined);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(calls).toEqual([]);
  });

  it('without a terminal and without --yes, nothing is sent and the flag is named', async () => {
    const calls = await n8nRecordingCalls();
    const result = await checkWith(['--url', server!.url, '--send-reset', 'owner@example.com'], undefined);
    expect(result.stderr).toMatch(/no terminal to ask before sending[\s\S]*fix: Add --yes/);
    expect(result.code).toBe(2);
    expect(calls).toEqual([]);
  });

  it('asks before sending, names the address and n8n; "no" sends nothing', async () => {
    const calls = await n8nRecordingCalls();
    const { terminal, asked } = scriptedTerminal({ confirm: false });
    const result = await checkWith(['--url', server!.url, '--send-reset', 'owner@example.com'], terminal);
    expect(asked).toEqual([`Have n8n at ${server!.url} send one password reset email to owner@example.com?`]);
    expect(result.stderr).toMatch(/Nothing was sent/);
    expect(result.code).toBe(1);
    expect(calls).toEqual([]);
  });

  it('asks for the owner password on the terminal without --password-stdin, sends it only to /rest/login, never prints it', async () => {
    const calls = await n8nRecordingCalls();
    const { terminal, asked } = scriptedTerminal({ confirm: true, password: 'typed-owner-pass' });
    const result = await checkWith(['--url', server!.url, '--login', 'owner@example.com', '--invite-test', 'me+test@example.com'], terminal);
    expect(asked[0]).toBe('Password of owner@example.com in n8n (not shown, not stored): ');
    expect(calls).toEqual([`POST /rest/login {"emailOrLdapLoginId":"owner@example.com","password":"typed-owner-pass"}`]);
    expect(result.stderr).toMatch(/error: login: n8n at .* refused the login of owner@example.com: "Wrong username or password/);
    expect(result.stdout + result.stderr).not.toContain('typed-owner-pass');
    expect(result.code).toBe(1);
  });

  it('refuses when n8n says email is not set up: exit 3, no login, nothing sent', async () => {
    const calls = await n8nRecordingCalls(false);
    const result = await checkWith(['--url', server!.url, '--send-reset', 'owner@example.com', '--yes'], undefined);
    expect(result.stderr).toMatch(/says email is not set up/);
    expect(result.code).toBe(3);
    expect(calls).toEqual([]);
  });

  it('refuses invalid UTF-8 and an empty password on --password-stdin (exit 2), before any request', async () => {
    const calls = await n8nRecordingCalls();
    for (const stdin of [Buffer.from([0x70, 0xe4, 0x73, 0x73]), '\n']) {
      const result = await checkWith(['--url', server!.url, '--login', 'o@example.com', '--password-stdin', '--invite-test', 'a@example.com', '--yes'], undefined, stdin);
      expect(result.code).toBe(2);
    }
    expect(calls).toEqual([]);
  });
});
