/**
 * `apply --out user@host:/dir`: `docker compose up -d` on the server, after the checks that tell apart what
 * stops it. A real OpenSSH server (test/support/sshd.ts, the "server" is this machine logged into as root) and
 * Debian's real Docker CLI (docker.io, without the compose plugin). No Docker daemon can run here, so the
 * daemon is either missing (DOCKER_HOST at a socket that is not there) or a fake one that answers only
 * `docker version`, and the success case adds a fake compose plugin — said in the test names. The socket a login may not use needs a login that is not root:
 * that case runs the same script here as uid 65534 (setpriv), not through sshd.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import type { Terminal } from '../../cli/terminal-prompt.js';
import { applySetup } from '../../services/remote/apply-setup.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { startSshd, type SshServer } from '../support/sshd.js';

const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };
/** What the script needs besides docker: a server's base system. */
const BASE_TOOLS = { sh: testProgram('sh'), base64: testProgram('base64'), tail: testProgram('tail'), tr: testProgram('tr') };

let scratch: string;
let project: string;
let fakeDaemon: Server;
let fakeSocket: string;
const servers: SshServer[] = [];

/** A folder of programs for the login's PATH: the base tools, and `extra` (name → Debian path). */
function binWith(name: string, extra: Record<string, string>): string {
  const bin = join(scratch, `bin-${name}`);
  mkdirSync(bin);
  for (const [tool, path] of Object.entries({ ...BASE_TOOLS, ...extra })) symlinkSync(path, join(bin, tool));
  return bin;
}

async function server(path: string, env: Record<string, string> = {}): Promise<SshServer> {
  const started = await startSshd({ path, env });
  writeFileSync(started.knownHostsFile, `${started.hostKeyLine}\n`);
  servers.push(started);
  return started;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-apply-'));
  chmodSync(scratch, 0o755);
  project = join(scratch, 'n8n');
  mkdirSync(project, { mode: 0o755 });
  writeFileSync(join(project, 'docker-compose.yml'), 'services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n');
  // A fake Docker daemon: it answers the ping and `docker version`, and nothing else.
  fakeSocket = join(scratch, 'fake-docker.sock');
  fakeDaemon = createServer((request, response) => {
    if (request.url?.endsWith('/_ping')) {
      response.writeHead(200, { 'API-Version': '1.41', 'Content-Type': 'text/plain' });
      return void response.end(request.method === 'HEAD' ? undefined : 'OK');
    }
    if (request.url?.endsWith('/version')) {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      return void response.end(JSON.stringify({ Version: '0.0.0-fake', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }));
    }
    response.writeHead(404, { 'Content-Type': 'application/json' });
    response.end('{"message":"not in this fake daemon"}');
  });
  await new Promise<void>((resolve) => fakeDaemon.listen(fakeSocket, resolve));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await new Promise((resolve) => fakeDaemon?.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

function answering(answer: boolean): { terminal: Terminal; asked: string[] } {
  const asked: string[] = [];
  const terminal: Terminal = {
    askHidden: async () => '',
    confirm: async (question) => (asked.push(question), answer),
    close: () => undefined,
  };
  return { terminal, asked };
}

async function apply(ssh: SshServer, extra: string[], terminal?: Terminal) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['apply', '--out', `ssh://root@127.0.0.1:${ssh.port}${project}`, '--ssh-config', ssh.configFile, ...extra], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => Buffer.alloc(0),
    cwd: scratch,
    sshPrograms: PROGRAMS,
    terminal: () => terminal,
  });
  return { code, stdout, stderr };
}

describe('apply --out user@host:/dir', () => {
  it('shows the exact command and asks first; "no" runs nothing; without a terminal it needs --yes', async () => {
    const ssh = await server(binWith('ask', {}));
    const { terminal, asked } = answering(false);
    const no = await apply(ssh, [], terminal);
    expect(no.stdout).toContain(`The command: ssh -p ${ssh.port} root@127.0.0.1 'cd ${project} && docker compose up -d'`);
    expect(asked).toEqual([`Run docker compose up -d in ssh://root@127.0.0.1:${ssh.port}${project} now?`]);
    expect(no.stderr).toContain('Nothing was started');
    expect(no.code).toBe(1);
    const batch = await apply(ssh, []);
    expect(batch.stderr).toContain('Add --yes');
    expect(batch.code).toBe(2);
  });

  it('a server without docker: DOCKER_NOT_INSTALLED, with how to install it', async () => {
    const ssh = await server(binWith('no-docker', {}));
    const run = await apply(ssh, ['--yes']);
    expect(run.stderr).toMatch(new RegExp(`There is no docker on ssh://root@127\\.0\\.0\\.1:${ssh.port} \\(not on the login's PATH\\)[\\s\\S]*Install Docker Engine`));
    expect(run.code).toBe(1);
  });

  it('a daemon that is not there (DOCKER_HOST at a missing socket): DOCKER_DAEMON_UNREACHABLE, in Docker’s own words', async () => {
    const ssh = await server(binWith('no-daemon', { docker: testProgram('docker') }), { DOCKER_HOST: `unix://${join(scratch, 'missing.sock')}` });
    const run = await apply(ssh, ['--yes']);
    expect(run.stderr).toContain(`cannot reach its daemon (Cannot connect to the Docker daemon at unix://${join(scratch, 'missing.sock')}. Is the docker daemon running?)`);
    expect(run.stderr).toContain('sudo systemctl start docker');
    expect(run.code).toBe(1);
  });

  it('docker without the compose plugin, a fake daemon answering: DOCKER_NO_COMPOSE; with only docker-compose v1 it says so', async () => {
    const plain = await server(binWith('no-compose', { docker: testProgram('docker') }), { DOCKER_HOST: `unix://${fakeSocket}` });
    const none = await apply(plain, ['--yes']);
    expect(none.stderr).toContain('has no compose plugin ("docker compose")');
    expect(none.stderr).toContain('apt install docker-compose-plugin');
    expect(none.code).toBe(1);

    const v1 = await server(binWith('compose-v1', { docker: testProgram('docker'), 'docker-compose': testProgram('docker-compose') }), { DOCKER_HOST: `unix://${fakeSocket}` });
    const old = await apply(v1, ['--yes']);
    expect(old.stderr).toContain('only the old docker-compose (v1) is installed');
    expect(old.code).toBe(1);
  });

  it('Docker’s CLI with a fake daemon and a fake compose plugin (no daemon can run here): docker compose up -d runs in the folder, its lines come back as they are printed, exit 0 is success', async () => {
    // The plugin as Docker's CLI finds it ($DOCKER_CONFIG/cli-plugins): it answers the CLI's metadata question,
    // `compose version`, and `compose up -d` by recording where and with what it ran, and printing two lines.
    const config = join(scratch, 'docker-config');
    mkdirSync(join(config, 'cli-plugins'), { recursive: true });
    const ran = join(scratch, 'compose-ran.txt');
    writeFileSync(
      join(config, 'cli-plugins', 'docker-compose'),
      [
        '#!/bin/sh',
        'if [ "$1" = docker-cli-plugin-metadata ]; then echo \'{"SchemaVersion":"0.1.0","Vendor":"n8n-setup tests","Version":"v2.99.0-fake","ShortDescription":"a fake compose"}\'; exit 0; fi',
        'shift',
        'case "$*" in',
        '  version*) echo "Docker Compose version v2.99.0-fake" ;;',
        `  "up -d") echo "$(pwd) $*" > '${ran}'; echo " Container n8n-n8n-1  Creating"; echo " Container n8n-n8n-1  Started" ;;`,
        '  *) echo "fake compose: $*" >&2; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const ssh = await server(binWith('fake-compose', { docker: testProgram('docker') }), { DOCKER_HOST: `unix://${fakeSocket}`, DOCKER_CONFIG: config });
    const run = await apply(ssh, ['--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(' Container n8n-n8n-1  Creating\n Container n8n-n8n-1  Started');
    expect(readFileSync(ran, 'utf8')).toBe(`${project} up -d\n`);
  });

  it('a folder that is not there: WRITE_FOLDER_MISSING, nothing started', async () => {
    const ssh = await server(binWith('no-folder', { docker: testProgram('docker') }));
    let stderr = '';
    const code = await runCli(['apply', '--out', `ssh://root@127.0.0.1:${ssh.port}${join(scratch, 'nope')}`, '--ssh-config', ssh.configFile, '--yes'], {
      stdout: () => undefined,
      stderr: (t) => void (stderr += t),
      readStdin: async () => Buffer.alloc(0),
      cwd: scratch,
      sshPrograms: PROGRAMS,
      terminal: () => undefined,
    });
    expect(stderr).toContain('does not exist');
    expect(code).toBe(1);
  });
});

describe('apply, run here as a login that is not root (uid 65534, setpriv: the sshd fixture logs in as root only)', () => {
  it('a Docker socket the login may not open (a fake daemon’s socket, root-only): DOCKER_PERMISSION_DENIED, with the docker group fix', async () => {
    const locked = join(scratch, 'root-only.sock');
    const daemon = createServer((_request, response) => response.end('OK'));
    await new Promise<void>((resolve) => daemon.listen(locked, resolve));
    chmodSync(locked, 0o600);
    try {
      const shell = [testProgram('setpriv'), '--reuid=65534', '--regid=65534', '--clear-groups', testProgram('sh')];
      const env = { PATH: binWith('as-nobody', { docker: testProgram('docker') }), HOME: scratch, DOCKER_HOST: `unix://${locked}` };
      const failure = await applySetup({ folder: project, shown: project, machine: 'this computer', shell, env }, () => undefined).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'DOCKER_PERMISSION_DENIED', message: expect.stringContaining('permission denied while trying to connect to the Docker daemon socket') });
      expect((failure as { fix: string }).fix).toContain('usermod -aG docker');
    } finally {
      await new Promise((resolve) => daemon.close(resolve));
    }
  });
});
