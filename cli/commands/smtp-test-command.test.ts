import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../services/secrets/memory-secret-store.js';
import { storeProfileSecret } from '../../services/secrets/profile-secrets.js';
import type { SecretStore } from '../../services/secrets/secret-store.js';
import { expectNoSecret } from '../../test/smtp/secret-leaks.js';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { PASSWORD, USER } from '../../test/smtp/smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from '../../test/smtp/test-certificates.js';
import { startSilentListener } from '../../test/smtp/unresponsive-listeners.js';
import type { CliIo } from '../cli-io.js';
import { smtpDetectCommand } from './smtp-detect-command.js';
import { smtpTestCommand } from './smtp-test-command.js';

let certs: TestCertificates;
let scratch: string;
const fixtures: SmtpFixture[] = [];

beforeAll(() => {
  certs = makeTestCertificates();
  scratch = mkdtempSync(join(tmpdir(), 'n8n-smtp-cli-'));
});

afterAll(async () => {
  await Promise.all(fixtures.map((f) => f.close()));
  rmSync(scratch, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

type Command = (args: string[], io: CliIo, signal?: AbortSignal) => Promise<number>;

async function run(command: Command, args: string[], options: { stdin?: string; store?: SecretStore; signal?: AbortSignal } = {}) {
  let stdout = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, readStdin: async () => Buffer.from(options.stdin ?? ''), cwd: scratch, secretStore: options.store ?? createMemorySecretStore() };
  const code = await command(args, io, options.signal);
  expectNoSecret(stdout, PASSWORD, USER);
  return { code, stdout };
}

async function server(options: Parameters<typeof startSmtpFixture>[0] = {}): Promise<SmtpFixture> {
  const started = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD }, ...options });
  fixtures.push(started);
  return started;
}

function writeProfile(port: number, name = 'profile.json'): string {
  const path = join(scratch, name);
  const email = { mode: 'smtp', host: '127.0.0.1', port, security: 'starttls', auth: { type: 'password', user: USER }, sender: 'n8n <n8n@example.test>', caFile: certs.caFile };
  writeFileSync(path, JSON.stringify({ version: 1, email, url: { public: 'https://n8n.example.test/' } }));
  return path;
}

describe('n8n-setup smtp-test', () => {
  it('prints its help', async () => {
    expect((await run(smtpTestCommand, ['--help'])).stdout).toMatch(/^Usage: n8n-setup smtp-test/);
  });

  it.each([[[]], [['--to', 'a@b.c']], [['--from-env', '--env', '.env', '--to', 'a@b.c']], [['--from-env']], [['--compose', 'c.yaml', '--from-env', '--to', 'a@b.c']]])('exits 2 for %j', async (args) => {
    await expect(smtpTestCommand(args, { stdout: () => undefined, stderr: () => undefined, readStdin: async () => new Uint8Array(), cwd: scratch })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('--profile --password-stdin --json: sends and prints one object with ok, class, ms, warnings, transcript', async () => {
    const smtp = await server();
    const { code, stdout } = await run(smtpTestCommand, ['--profile', writeProfile(smtp.port), '--to', 'admin@example.test', '--password-stdin', '--json'], { stdin: `${PASSWORD}\n` });
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ ok: true, class: null, warnings: [] });
    expect(typeof json.ms).toBe('number');
    expect(json.transcript.length).toBeGreaterThan(10);
    expect(smtp.messages).toHaveLength(1);
  });

  it('--profile without --password-stdin takes the password stored for the profile', async () => {
    const smtp = await server();
    const store = createMemorySecretStore();
    await storeProfileSecret(store, 'default', 'smtp-password', PASSWORD, { host: '127.0.0.1', port: smtp.port, user: USER });
    expect((await run(smtpTestCommand, ['--profile', writeProfile(smtp.port), '--to', 'admin@example.test', '--json'], { store })).code).toBe(0);
  });

  it('--profile with no password anywhere is invalid input (exit 2)', async () => {
    await expect(run(smtpTestCommand, ['--profile', writeProfile(2), '--to', 'admin@example.test'])).rejects.toMatchObject({ code: 'MISSING_SECRET' });
  });

  it('shows the stages live, then the verdict', async () => {
    const smtp = await server();
    const { stdout } = await run(smtpTestCommand, ['--profile', writeProfile(smtp.port), '--to', 'admin@example.test', '--password-stdin'], { stdin: PASSWORD });
    expect(stdout).toMatch(/ms {2}resolve[\s\S]* ms {2}connect {2}127\.0\.0\.1:\d+[\s\S]* ms {2}starttls[\s\S]* ms {2}done\nTested 127\.0\.0\.1:\d+ \(STARTTLS when offered\)[\s\S]*SENT in \d+ ms: 250/);
  });

  it.each([
    ['4 for a refused login', { refuseAuth: { code: 535, message: '5.7.8 no' } }, 4, 'AUTH_FAILED'],
    ['5 for a rejected sender', { refuseSender: { code: 553, message: '5.7.1 not yours' } }, 5, 'SENDER_REJECTED'],
  ])('exits %s, printing the class, the server reply and the transcript', async (_name, options, exit, failure) => {
    const smtp = await server(options);
    const { code, stdout } = await run(smtpTestCommand, ['--profile', writeProfile(smtp.port), '--to', 'admin@example.test', '--password-stdin'], { stdin: PASSWORD });
    expect(code).toBe(exit);
    expect(stdout).toContain(`FAILED (${failure})`);
    expect(stdout).toMatch(/The server said: 5\d\d /);
    expect(stdout).toMatch(/Transcript:\n[\s\S]* ms {2}S: 220 /);
  });

  it('exits 3 for a closed port and 6 when cancelled', async () => {
    expect((await run(smtpTestCommand, ['--profile', writeProfile(1), '--to', 'admin@example.test', '--password-stdin', '--json'], { stdin: PASSWORD })).code).toBe(3);
    const silent = await startSilentListener();
    const { code, stdout } = await run(smtpTestCommand, ['--profile', writeProfile(silent.port), '--to', 'admin@example.test', '--password-stdin', '--json'], { stdin: PASSWORD, signal: AbortSignal.timeout(200) });
    expect(code).toBe(6);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, class: 'CANCELLED' });
    await silent.close();
  });

  it('--env --compose: tests what the n8n container gets, the password file mapped through the compose secrets', async () => {
    const smtp = await server();
    const project = join(scratch, 'project');
    mkdirSync(join(project, 'secrets'), { recursive: true });
    writeFileSync(join(project, '.env'), `N8N_SMTP_HOST=127.0.0.1\nN8N_SMTP_PORT=${smtp.port}\nN8N_SMTP_SSL=false\nN8N_SMTP_USER=${USER}\nN8N_SMTP_SENDER=n8n@example.test\n`);
    writeFileSync(join(project, 'secrets', 'smtp_password.txt'), PASSWORD);
    writeFileSync(
      join(project, 'compose.yaml'),
      `services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n    env_file: .env\n    environment:\n      N8N_SMTP_PASS_FILE: /run/secrets/smtp_password\n      NODE_EXTRA_CA_CERTS: /opt/custom-certificates/ca.pem\n    secrets: [smtp_password]\n    volumes:\n      - ${certs.dir}:/opt/custom-certificates:ro\nsecrets:\n  smtp_password:\n    file: ./secrets/smtp_password.txt\n`,
    );
    const { code, stdout } = await run(smtpTestCommand, ['--env', 'project/.env', '--compose', 'project/compose.yaml', '--to', 'admin@example.test', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).settings).toMatchObject({ host: '127.0.0.1', login: 'password', user: USER });
    expect(smtp.messages[0]?.user).toBe(USER);
  });

  it('--from-env reads N8N_SMTP_* and *_FILE from its own environment', async () => {
    const smtp = await server();
    const passwordFile = join(scratch, 'from-env-password');
    writeFileSync(passwordFile, `${PASSWORD}\n`);
    const saved = { ...process.env };
    Object.assign(process.env, { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(smtp.port), N8N_SMTP_SSL: 'false', N8N_SMTP_USER: USER, N8N_SMTP_PASS_FILE: passwordFile, N8N_SMTP_SENDER: 'n8n@example.test' });
    try {
      // The fixture's CA is not trusted in this process, so the verdict is about the certificate: the settings were read.
      const { code, stdout } = await run(smtpTestCommand, ['--from-env', '--to', 'admin@example.test', '--json']);
      expect(code).toBe(3);
      expect(JSON.parse(stdout)).toMatchObject({ class: 'CERT_UNTRUSTED', warnings: [{ code: 'LINT_FILE_TRIMMED' }] });
    } finally {
      process.env = saved;
    }
  });
});

describe('n8n-setup smtp-detect', () => {
  it('recommends the port that works and exits 0; exits 3 when nothing answers', async () => {
    // A loopback address of its own: the standard ports of 127.0.0.2 belong to the detect service tests.
    const smtp = await server({ address: '127.0.0.4', port: 587 });
    const found = await run(smtpDetectCommand, ['--host', '127.0.0.4', '--ca-file', certs.caFile]);
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(/587 +\d+ ms {2}STARTTLS, certificate ok, AUTH PLAIN LOGIN/);
    expect(found.stdout).toContain('Recommended: N8N_SMTP_PORT=587 N8N_SMTP_SSL=false N8N_SMTP_STARTTLS=true');
    await smtp.close();

    const nothing = await run(smtpDetectCommand, ['--host', '127.0.0.4', '--json']);
    expect(nothing.code).toBe(3);
    expect(JSON.parse(nothing.stdout)).toMatchObject({ failure: { class: 'CONNECTION_REFUSED' } });
  });
});
