/**
 * A login that is not root, on a real OpenSSH server (test/support/sshd.ts): a throwaway user made for this
 * test (useradd, no password, no home; removed afterwards) logs in with the test's key. Into a folder it owns,
 * export works as it does for a local run without root: the secret file stays the login's, 0644 inside a
 * 0700 secrets folder. Into a folder it may not write, nothing is changed and the error says so — unless the
 * login may use sudo without a password (Debian's sudo, a drop-in in /etc/sudoers.d for the test, removed
 * afterwards): then setup reads and writes as root through `sudo -n`, as a root login would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { startSshd, type SshServer } from '../support/sshd.js';

const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };
const USER = `n8nst${process.pid % 100000}`;

let scratch: string;
let server: SshServer;
let uid: number;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-as-user-'));
  chmodSync(scratch, 0o755);
  // One left by a run that was killed before its cleanup goes first.
  spawnSync(testProgram('userdel'), [USER]);
  execFileSync(testProgram('useradd'), ['--no-create-home', '--home-dir', scratch, '--shell', '/bin/sh', '--user-group', USER]);
  // useradd leaves the account locked, and sshd refuses a locked account even with a key.
  execFileSync(testProgram('usermod'), ['-p', '*', USER]);
  uid = Number(execFileSync(testProgram('id'), ['-u', USER], { encoding: 'utf8' }).trim());
  server = await startSshd({ path: '/usr/bin:/bin' });
  writeFileSync(server.knownHostsFile, `${server.hostKeyLine}\n`);
  // sshd reads authorized_keys as the login: the fixture's folder must let it through (its keys stay 0600).
  chmodSync(dirname(server.configFile), 0o711);
  chmodSync(join(dirname(server.configFile), 'authorized_keys'), 0o644);
});
afterAll(async () => {
  await server?.stop();
  execFileSync(testProgram('userdel'), [USER]);
  rmSync(scratch, { recursive: true, force: true });
});

async function exportAs(dir: string) {
  const profile = join(scratch, 'profile.json');
  writeFileSync(profile, JSON.stringify({ version: 1, email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' }, url: { public: 'https://n8n.example.com/' }, deploy: { secrets: 'file' } }));
  let stdout = '';
  let stderr = '';
  const code = await runCli(['export', '--profile', profile, '--out', `ssh://${USER}@127.0.0.1:${server.port}${dir}`, '--password-stdin', '--ssh-config', server.configFile], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => Buffer.from('User-Password-1\n'),
    cwd: scratch,
    sshPrograms: PROGRAMS,
    terminal: () => undefined,
  });
  return { code, stdout, stderr };
}

describe('export --out as a login that is not root', () => {
  it('into its own folder: the files are its own, the secret 0644 inside a 0700 folder (n8n reads it through the bind mount)', async () => {
    const dir = join(scratch, 'own');
    mkdirSync(dir);
    chownSync(dir, uid, uid);
    const run = await exportAs(dir);
    expect(run.code, run.stderr).toBe(0);
    const secret = statSync(join(dir, 'secrets', 'n8n_smtp_pass'));
    expect([secret.uid, secret.mode & 0o777]).toEqual([uid, 0o644]);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '.env')).uid).toBe(uid);
  });

  it('a file in its folder it may not read (root’s 0600 .env): refused with the reason, nothing changes', async () => {
    const dir = join(scratch, 'unreadable');
    mkdirSync(dir);
    chownSync(dir, uid, uid);
    writeFileSync(join(dir, '.env'), 'ROOT_ONLY=1\n', { mode: 0o600 });
    const run = await exportAs(dir);
    expect(run.stderr).toContain('.env in ssh://');
    expect(run.stderr).toContain('cannot be read by the login. No file was changed.');
    expect(run.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['.env']);
  });

  it('into a folder it may not write: nothing changes, and the error says the login may not write there', async () => {
    const dir = join(scratch, 'roots');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, '.env'), 'TZ=UTC\n');
    const run = await exportAs(dir);
    expect(run.stderr).toMatch(/Could not write \.n8n-setup\.lock in ssh:\/\/\S+ \(the server's disk may be full, or the login may not write there\)\. No file was changed\./);
    expect(run.code).toBe(1);
    expect(readdirSync(dir)).toEqual(['.env']);
  });

  it('into root’s folder, with sudo allowed without a password: written as root through sudo -n, the secret n8n’s (uid 1000, 0600), and said so', async () => {
    const dir = join(scratch, 'roots-with-sudo');
    mkdirSync(dir, { mode: 0o755 });
    writeFileSync(join(dir, '.env'), 'TZ=UTC\n', { mode: 0o600 });
    const dropIn = `/etc/sudoers.d/n8n-setup-test-${USER}`;
    writeFileSync(dropIn, `${USER} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    try {
      // sudo itself agrees: the login may run anything as root without a password (sudo --list runs nothing).
      expect(execFileSync(testProgram('sudo'), ['--list', `--other-user=${USER}`], { encoding: 'utf8' })).toContain('(root) NOPASSWD: ALL');
      const run = await exportAs(dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout + run.stderr).toContain('its files were read and written as root through sudo -n');
      const secret = statSync(join(dir, 'secrets', 'n8n_smtp_pass'));
      expect([secret.uid, secret.mode & 0o777]).toEqual([1000, 0o600]);
      // The .env root had stays root's, with its mode; its backup is root's too.
      const env = statSync(join(dir, '.env'));
      expect([env.uid, env.mode & 0o777]).toEqual([0, 0o600]);
      expect(readdirSync(dir).filter((name) => name.endsWith('.bak')).map((name) => statSync(join(dir, name)).uid)).toEqual([0]);
      expect(readdirSync(dir)).not.toContain('.n8n-setup.lock');
    } finally {
      rmSync(dropIn, { force: true });
    }
  });
});
