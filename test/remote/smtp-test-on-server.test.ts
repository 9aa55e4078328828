/**
 * `smtp-test --on SERVER` against a real OpenSSH server (sshd on loopback, its own config and host key, as
 * test/support/sshd.ts starts it) and a real STARTTLS server with a login: an unknown host key is shown and
 * not trusted until its fingerprint is given, the single-file CLI runs there with the server's Node and the
 * profile's settings (the password travelling only on stdin into a 0600 file), its stages come back as they
 * happen, the message arrives, nothing is left on the server; a changed host key and a server without Node
 * are refused with their fix. The "server" is this machine, reached through sshd as root.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { exportSetup } from '../../services/export/export-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { remoteSmtpTestEvents } from '../../services/remote/remote-smtp-test.js';
import { smtpVariablesFromProfile } from '../../shared/smtp/n8n-mailer.js';
import { dockerStandIn } from '../acceptance/docker-stand-in.js';
import type { Terminal } from '../../cli/terminal-prompt.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { startSmtpFixture, type SmtpFixture } from '../smtp/smtp-fixtures.js';
import { PASSWORD, USER } from '../smtp/smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { startSshd, type SshServer } from '../support/sshd.js';

const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'n8n-setup.cjs');
const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };

let scratch: string;
let certs: TestCertificates;
let smtp: SmtpFixture;
let server: SshServer;
let withoutNode: SshServer;
let profileFile: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-on-server-'));
  certs = makeTestCertificates();
  smtp = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  // The server's PATH: the Node that runs the tests, and the base system.
  server = await startSshd({ path: `${dirname(process.execPath)}:/usr/bin:/bin` });
  // A server without Node: only the tools the script needs besides it.
  const bin = join(scratch, 'bin');
  mkdirSync(bin);
  const tools = { mktemp: testProgram('mktemp'), base64: testProgram('base64'), sha256sum: testProgram('sha256sum'), cut: testProgram('cut'), rm: testProgram('rm'), env: testProgram('env'), sh: testProgram('sh') };
  for (const [name, path] of Object.entries(tools)) symlinkSync(path, join(bin, name));
  withoutNode = await startSshd({ path: bin });
  profileFile = join(scratch, 'profile.json');
  writeFileSync(
    profileFile,
    JSON.stringify({
      version: 1,
      email: { mode: 'smtp', host: '127.0.0.1', port: smtp.port, security: 'starttls', auth: { type: 'password', user: USER }, sender: 'n8n <n8n@example.test>', caFile: certs.caFile },
      url: { public: 'https://n8n.example.com/' },
    }),
  );
});
afterAll(async () => {
  await Promise.all([server?.stop(), withoutNode?.stop(), smtp?.close()]);
  rmSync(scratch, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

async function onServer(ssh: SshServer, extra: string[] = [], options: { configFile?: string; terminal?: Terminal } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['smtp-test', '--profile', profileFile, '--password-stdin', '--to', 'admin@example.test', '--on', `ssh://root@127.0.0.1:${ssh.port}`, '--ssh-config', options.configFile ?? ssh.configFile, ...extra],
    {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      readStdin: async () => Buffer.from(`${PASSWORD}\n`),
      cwd: scratch,
      cliBundle: BUNDLE,
      sshPrograms: PROGRAMS,
      // No terminal unless the test plays one: ssh then runs in batch mode and asks nothing.
      terminal: () => options.terminal,
    },
  );
  return { code, stdout, stderr };
}

/** A terminal whose user types `answer` at every hidden question, and what was asked. */
function typing(answer: string) {
  const asked: string[] = [];
  const terminal: Terminal = { confirm: async () => false, askHidden: async (question) => (asked.push(question), answer), close: () => undefined };
  return { terminal, asked };
}

const leftovers = () => readdirSync(tmpdir()).filter((name) => /^n8n-setup\.[A-Za-z0-9]{6}$/.test(name));

describe('smtp-test --on SERVER', () => {
  it('an unknown host: its fingerprint is shown, nothing runs until it is given', async () => {
    const before = smtp.messages.length;
    const first = await onServer(server);
    expect(first.stderr).toContain(`[127.0.0.1]:${server.port} is not in ${server.knownHostsFile}. It presents: ssh-ed25519 ${server.hostKeyFingerprint}.`);
    expect(first.stderr).toContain(`--accept-host-key ${server.hostKeyFingerprint}`);
    expect(first.code).toBe(1);
    const wrong = await onServer(server, ['--accept-host-key', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']);
    expect(wrong.stderr).toMatch(/SHA256:A+ is not one of its keys/);
    expect(smtp.messages.length).toBe(before);
  });

  it('with the checked fingerprint: the key is trusted, the test runs there and streams its stages, the message arrives, nothing is left', async () => {
    const before = smtp.messages.length;
    const tempsBefore = leftovers();
    const run = await onServer(server, ['--accept-host-key', server.hostKeyFingerprint]);
    expect(run.stdout, run.stderr).toContain(`On ssh://root@127.0.0.1:${server.port}, with this tool copied there for this run:`);
    expect(run.stdout).toMatch(/ms +starttls/);
    expect(run.stdout).toMatch(/^SENT in \d+ ms: 250 /m);
    expect(run.code).toBe(0);
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([['admin@example.test']]);
    expect(smtp.loginAttempts.at(-1)).toMatchObject({ user: USER, password: PASSWORD });
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(leftovers()).toEqual(tempsBefore);
  });

  it('the host known now: runs without asking, --json gives the remote report', async () => {
    const run = await onServer(server, ['--json']);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}'), run.stderr).toMatchObject({ ok: true, class: null });
    expect(run.code).toBe(0);
  });

  it('a key with a passphrase: ssh’s question comes to the terminal (askpass), the typed passphrase opens the key, the test runs', async () => {
    const { terminal, asked } = typing(server.passphraseKey.passphrase);
    const run = await onServer(server, [], { configFile: server.passphraseKey.configFile, terminal });
    expect(asked[0]).toMatch(/^Enter passphrase for key '.*passphrase_ed25519': $/);
    expect(run.stdout, run.stderr).toMatch(/^SENT in \d+ ms: 250 /m);
    expect(run.code).toBe(0);
  });

  it('a wrong passphrase, or no terminal to ask: the login is refused with the fix (ssh-add), nothing runs', async () => {
    const before = smtp.messages.length;
    const wrong = await onServer(server, [], { configFile: server.passphraseKey.configFile, terminal: typing('not the passphrase').terminal });
    expect(wrong.stderr).toMatch(/refused the login[\s\S]*ssh-add/);
    expect(wrong.code).toBe(1);
    const batch = await onServer(server, [], { configFile: server.passphraseKey.configFile });
    expect(batch.stderr).toMatch(/refused the login/);
    expect(smtp.messages.length).toBe(before);
  });

  it('a server without Node: refused with what to install, and nothing left there', async () => {
    writeFileSync(withoutNode.knownHostsFile, `${withoutNode.hostKeyLine}\n`);
    const tempsBefore = leftovers();
    const run = await onServer(withoutNode);
    expect(run.stderr).toMatch(/The server has no Node[\s\S]*fix: Install Node 20 or later on the server/);
    expect(run.code).toBe(1);
    expect(leftovers()).toEqual(tempsBefore);
  });

  it('a changed host key: refused before anything is sent', async () => {
    const before = smtp.messages.length;
    await server.changeHostKey();
    const run = await onServer(server);
    expect(run.stderr).toMatch(/The host key of root@127\.0\.0\.1 is not the one in known_hosts[\s\S]*Nothing was sent/);
    expect(run.code).toBe(1);
    expect(smtp.messages.length).toBe(before);
  });
});

describe('the test from a server with Docker but no Node: inside the running n8n container', () => {
  // No Docker daemon can run here: `docker` on the server is the test stand-in (test/acceptance/docker-stand-in),
  // which runs `docker compose exec` in the container view of the exported folder (its environment and mounts,
  // uid 1000, the image's Node at /usr/local/bin/node). The server's own PATH has no Node.
  let dockerServer: SshServer;
  let project: string;
  let standIn: ReturnType<typeof dockerStandIn>;
  const profile = (sender: string) => ({
    version: 1,
    email: { mode: 'smtp', host: '127.0.0.1', port: smtp.port, security: 'starttls', auth: { type: 'password', user: USER }, sender, caFile: certs.caFile },
    url: { public: 'https://n8n.example.com/' },
  });

  beforeAll(async () => {
    project = join(scratch, 'project');
    mkdirSync(project);
    // The running n8n has the exported settings; the test must send with the ones given now (another sender).
    await exportSetup({ loaded: loadProfile(profile('exported <exported@example.test>'), scratch), outDir: project, secrets: { N8N_SMTP_PASS: PASSWORD } });
    standIn = dockerStandIn(project, { service: 'n8n' });
    const bin = join(scratch, 'docker-bin');
    mkdirSync(bin);
    // The stand-in is a Node script; the server itself must not have Node on its PATH, so docker runs it by its path.
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\nexec '${process.execPath}' '${join(standIn.bin, 'docker')}' "$@"\n`, { mode: 0o755 });
    for (const [name, path] of Object.entries({ mktemp: testProgram('mktemp'), base64: testProgram('base64'), sha256sum: testProgram('sha256sum'), cut: testProgram('cut'), rm: testProgram('rm'), env: testProgram('env'), sh: testProgram('sh') })) symlinkSync(path, join(bin, name));
    dockerServer = await startSshd({ path: bin, env: { DOCKER_STAND_IN: standIn.env.DOCKER_STAND_IN! } });
    writeFileSync(dockerServer.knownHostsFile, `${dockerServer.hostKeyLine}\n`);
  });
  afterAll(async () => {
    await dockerServer?.stop();
    if (standIn) rmSync(standIn.scratch, { recursive: true, force: true });
  });

  const run = (container: { folder: string; composeFile: string; service: string } | undefined) => {
    const loaded = loadProfile(profile('now <now@example.test>'), scratch);
    const stages: string[] = [];
    const result = remoteSmtpTestEvents(
      {
        target: { user: 'root', host: '127.0.0.1', port: dockerServer.port },
        bundle: readFileSync(BUNDLE),
        variables: smtpVariablesFromProfile(loaded.resolved, { N8N_SMTP_PASS: PASSWORD }),
        extraCa: readFileSync(certs.caFile, 'utf8'),
        to: 'admin@example.test',
        ...(container && { container }),
      },
      { configFile: dockerServer.configFile, programs: PROGRAMS, timeoutMs: 15_000 },
      (event) => stages.push(event.stage),
    );
    return { result, stages };
  };

  it('sends with the settings given now (not the container’s), streams the stages, and leaves nothing in the container or on the server', async () => {
    const before = smtp.messages.length;
    const tempsBefore = leftovers();
    const { result, stages } = run({ folder: project, composeFile: 'compose.yaml', service: 'n8n' });
    const report = await result;
    expect(report.ok, JSON.stringify(report)).toBe(true);
    expect(stages).toEqual(expect.arrayContaining(['connect', 'starttls', 'auth', 'data', 'done']));
    expect(smtp.messages.length).toBe(before + 1);
    expect(smtp.messages.at(-1)).toMatchObject({ from: 'now@example.test', user: USER, secure: true });
    expect(leftovers()).toEqual(tempsBefore);
  });

  it('the CLI: smtp-test --on SERVER --in-project DIR runs it in the container too (Compose finds the project’s file)', async () => {
    const before = smtp.messages.length;
    const run = await onServer(dockerServer, ['--in-project', project]);
    expect(run.stderr).toContain("the test runs inside n8n's container (docker compose exec n8n)");
    expect(run.stdout, run.stderr).toMatch(/^SENT in \d+ ms: 250 /m);
    expect(run.code).toBe(0);
    expect(smtp.messages.length).toBe(before + 1);
    const refused = await onServer(dockerServer, ['--in-project', project, '--service', 'worker']);
    expect(refused.stderr).toContain('n8n’s container could not be reached with docker compose exec');
    expect(refused.code).toBe(1);
  });

  it('without the project folder: still "no Node", with what to install; a folder that is not there, or a service that is not running, says so', async () => {
    await expect(run(undefined).result).rejects.toMatchObject({ code: 'REMOTE_NO_NODE' });
    await expect(run({ folder: join(scratch, 'not-there'), composeFile: 'compose.yaml', service: 'n8n' }).result).rejects.toMatchObject({ code: 'WRITE_FOLDER_MISSING' });
    await expect(run({ folder: project, composeFile: 'compose.yaml', service: 'worker' }).result).rejects.toMatchObject({ code: 'REMOTE_CONTAINER_UNREACHABLE' });
  });
});
