/**
 * A real OpenSSH server for the tests (Debian openssh-server): started as the test's child on a loopback
 * port with its own configuration and host key in a temp folder, never the system's; stopped by the test.
 * It takes root's login with the test's own key only (no passwords, no PAM), so that nothing on the machine
 * changes; a second key has a passphrase. `SetEnv` gives the sessions the PATH the test wants (with or
 * without a Node), as a server has or lacks one. Client side: an ssh_config and known_hosts of its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';
import { freePorts } from '../acceptance/free-ports.js';
import { stopChild } from './stop-child.js';

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  user: 'root';
  /** ssh_config naming the key (IdentityFile) and the known_hosts file, for `ssh -F`. */
  configFile: string;
  /** Empty until the test trusts the host key. */
  knownHostsFile: string;
  /** `[127.0.0.1]:PORT ssh-ed25519 AAAA…`: the line known_hosts needs. */
  hostKeyLine: string;
  /** `SHA256:…` of the host key, as ssh-keygen -l shows it. */
  hostKeyFingerprint: string;
  /** The test's own key (no passphrase), authorised for root. */
  clientKey: string;
  /** A key with a passphrase, also authorised, and an ssh_config that uses only it. */
  passphraseKey: { file: string; passphrase: string; configFile: string };
  /** Replaces the host key and restarts: what a reinstalled (or impersonated) server looks like. */
  changeHostKey(): Promise<void>;
  log(): string;
  stop(): Promise<void>;
}

export async function startSshd(options: { path: string; env?: Record<string, string>; allowForwarding?: boolean }): Promise<SshServer> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-sshd-'));
  const keygen = (args: string[]) => {
    const run = spawnSync(testProgram('ssh-keygen'), args, { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  const newHostKey = () => {
    rmSync(join(dir, 'host_ed25519'), { force: true });
    rmSync(join(dir, 'host_ed25519.pub'), { force: true });
    keygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'n8n-setup-test-host', '-f', join(dir, 'host_ed25519')]);
  };
  newHostKey();
  keygen(['-q', '-t', 'ed25519', '-N', '', '-C', 'n8n-setup-test-client', '-f', join(dir, 'client_ed25519')]);
  const passphrase = 'correct horse battery staple';
  keygen(['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'n8n-setup-test-passphrase', '-f', join(dir, 'passphrase_ed25519')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_ed25519.pub'), 'utf8') + readFileSync(join(dir, 'passphrase_ed25519.pub'), 'utf8'));
  const [port = 0] = await freePorts(1);
  // Privilege separation needs this folder (Debian's service creates it at boot).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_ed25519')}`,
      'PidFile none',
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // The key files live under /tmp, which StrictModes would refuse (world-writable parent).
      'StrictModes no',
      'X11Forwarding no',
      // A jump host (ProxyJump) forwards the connection to the next one; others forward nothing.
      `AllowTcpForwarding ${options.allowForwarding ? 'yes' : 'no'}`,
      'PrintMotd no',
      `SetEnv PATH=${options.path}${Object.entries(options.env ?? {})
        .map(([key, value]) => ` ${key}=${value}`)
        .join('')}`,
      '',
    ].join('\n'),
  );
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, '');
  const configFile = join(dir, 'ssh_config');
  writeFileSync(
    configFile,
    ['Host *', `  IdentityFile ${join(dir, 'client_ed25519')}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHostsFile}`, '  GlobalKnownHostsFile /dev/null', '  LogLevel ERROR', ''].join('\n'),
  );

  const passphraseConfigFile = join(dir, 'ssh_config_passphrase');
  writeFileSync(
    passphraseConfigFile,
    ['Host *', `  IdentityFile ${join(dir, 'passphrase_ed25519')}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHostsFile}`, '  GlobalKnownHostsFile /dev/null', '  LogLevel ERROR', ''].join('\n'),
  );

  let output = '';
  let child = spawnServer();
  function spawnServer() {
    const started = spawn(testProgram('sshd'), ['-D', '-e', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return started;
  }
  const stopServer = async () => {
    await stopChild(child);
  };
  const hostKey = () => {
    const publicKey = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const fingerprint = keygen(['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')]).split(' ')[1] ?? '';
    return { line: `[127.0.0.1]:${port} ${publicKey}`, fingerprint };
  };
  await untilListening(port, () => output, () => child.exitCode !== null);
  const server: SshServer = {
    host: '127.0.0.1',
    port,
    user: 'root',
    configFile,
    knownHostsFile,
    hostKeyLine: hostKey().line,
    hostKeyFingerprint: hostKey().fingerprint,
    clientKey: join(dir, 'client_ed25519'),
    passphraseKey: { file: join(dir, 'passphrase_ed25519'), passphrase, configFile: passphraseConfigFile },
    async changeHostKey() {
      await stopServer();
      newHostKey();
      child = spawnServer();
      await untilListening(port, () => output, () => child.exitCode !== null);
      Object.assign(server, { hostKeyLine: hostKey().line, hostKeyFingerprint: hostKey().fingerprint });
    },
    log: () => output,
    async stop() {
      await stopServer();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

async function untilListening(port: number, log: () => string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const banner = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.setEncoding('utf8');
      socket.once('data', (text: string) => (socket.destroy(), resolve(text)));
      socket.once('error', () => resolve(''));
      socket.setTimeout(1_000, () => (socket.destroy(), resolve('')));
    });
    if (banner.startsWith('SSH-2.0-')) return;
    if (exited() || Date.now() > deadline) throw new Error(`sshd did not start on 127.0.0.1:${port}: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
