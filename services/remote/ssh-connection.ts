/**
 * The server over SSH, with the system's OpenSSH client — what VS Code Remote-SSH does, so that every
 * ~/.ssh/config feature (Host aliases, User, Port, IdentityFile, ProxyJump), the ssh-agent and hardware keys
 * work as they do in the admin's terminal (docs/dependencies.md says why not a library).
 *
 * Host keys are never taken on trust: a host not in known_hosts is scanned (`ssh-keyscan`) and its
 * fingerprints are handed back for the admin to confirm (`--accept-host-key SHA256:…` on the command line);
 * only the confirmed key is written to known_hosts, and every connection then runs with
 * `StrictHostKeyChecking=yes`, so a key that differs from the scanned one — or changed since — is refused.
 */
import { spawn } from 'node:child_process';
import { appendFile, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { withAskpass, type AskSsh } from './askpass.js';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

export interface SshOptions {
  /** ssh's configuration file (-F); default: the user's ~/.ssh/config. */
  configFile?: string;
  /** The programs (tests pass Debian's paths); default: ssh, ssh-keyscan and ssh-keygen from PATH. */
  programs?: { ssh: string; sshKeyscan: string; sshKeygen: string };
  /** For connecting, and for each short command. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Answers ssh's questions (a key's passphrase); without it ssh runs in batch mode and asks nothing. */
  askpass?: AskSsh;
  /**
   * A key's passphrase the admin gave before (the wizard holds it for the session), tried once per
   * connection; none, or a wrong one: the login fails with SSH_KEY_PASSPHRASE naming the key.
   */
  keyPassphrase?: (key: string) => Promise<string | undefined>;
  /** The command the script goes to on the server: `sh -s`, or `sudo -n sh -s` to run it as root. */
  remoteCommand?: string;
}

/** What ssh makes of the target with its configuration (`ssh -G`): the real name, port, user and known_hosts. */
export interface ResolvedTarget {
  hostname: string;
  port: number;
  user: string;
  knownHostsFile: string;
  /** Reached through another host (ProxyJump) or a command (ProxyCommand): ssh-keyscan cannot reach it. */
  proxied: boolean;
}

export interface HostKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  type: string;
  /** `SHA256:…`, as `ssh-keygen -l` and ssh's own prompt show it. */
  fingerprint: string;
  /** The line for known_hosts. */
  line: string;
}

const PROGRAMS = { ssh: 'ssh', sshKeyscan: 'ssh-keyscan', sshKeygen: 'ssh-keygen' };

export function targetArgs(target: SshTarget, options: SshOptions): string[] {
  return [...(options.configFile ? ['-F', options.configFile] : []), ...(target.user ? ['-l', target.user] : []), ...(target.port ? ['-p', String(target.port)] : [])];
}

export async function resolveTarget(target: SshTarget, options: SshOptions): Promise<ResolvedTarget> {
  const run = await runProgram((options.programs ?? PROGRAMS).ssh, [...targetArgs(target, options), '-G', '--', target.host], '', options);
  if (run.code !== 0) throw sshError(target, run.stderr, 'read its ssh configuration');
  const settings = new Map<string, string>();
  for (const line of run.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0 && !settings.has(line.slice(0, space))) settings.set(line.slice(0, space), line.slice(space + 1));
  }
  const knownHosts = (settings.get('userknownhostsfile') ?? '~/.ssh/known_hosts').split(/\s+/)[0] ?? '~/.ssh/known_hosts';
  return {
    hostname: settings.get('hostname') ?? target.host,
    port: Number(settings.get('port') ?? 22),
    user: settings.get('user') ?? '',
    knownHostsFile: knownHosts.replace(/^~(?=\/)/, homedir()),
    proxied: [settings.get('proxyjump'), settings.get('proxycommand')].some((value) => value !== undefined && value !== 'none'),
  };
}

/** How known_hosts names the host: `host`, or `[host]:port` off port 22. */
export function knownHostsName(resolved: Pick<ResolvedTarget, 'hostname' | 'port'>): string {
  return resolved.port === 22 ? resolved.hostname : `[${resolved.hostname}]:${resolved.port}`;
}

export async function isKnownHost(resolved: ResolvedTarget, options: SshOptions): Promise<boolean> {
  const run = await runProgram((options.programs ?? PROGRAMS).sshKeygen, ['-F', knownHostsName(resolved), '-f', resolved.knownHostsFile], '', options);
  return run.code === 0 && run.stdout.trim() !== '';
}

/**
 * The host's keys as it presents them now, with their fingerprints. A host behind a jump host (or a
 * ProxyCommand) is out of ssh-keyscan's reach: ssh itself connects the way the config says, records the key
 * the host presents into a known_hosts file of its own, and stops before any login (authentication "none").
 */
export async function scanHostKeys(resolved: ResolvedTarget, options: SshOptions, target?: SshTarget): Promise<HostKey[]> {
  const programs = options.programs ?? PROGRAMS;
  const lines = resolved.proxied && target ? await keysThroughProxy(target, resolved, options) : (await runProgram(programs.sshKeyscan, ['-T', String(Math.ceil(options.timeoutMs / 1000)), '-p', String(resolved.port), '--', resolved.hostname], '', options)).stdout.split('\n');
  const keys: HostKey[] = [];
  for (const line of lines.filter((l) => l && !l.startsWith('#'))) {
    const [, type, key] = line.split(/\s+/);
    if (!type || !key) continue;
    const print = await runProgram(programs.sshKeygen, ['-l', '-E', 'sha256', '-f', '-'], `${type} ${key}\n`, options);
    const fingerprint = print.stdout.split(/\s+/)[1];
    if (print.code === 0 && fingerprint?.startsWith('SHA256:')) keys.push({ type, fingerprint, line: `${knownHostsName(resolved)} ${type} ${key}` });
  }
  return keys;
}

async function keysThroughProxy(target: SshTarget, resolved: ResolvedTarget, options: SshOptions): Promise<string[]> {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'n8n-setup-hostkey-'));
  try {
    const file = join(dir, 'known_hosts');
    const args = [...targetArgs(target, options), '-T', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${file}`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'HashKnownHosts=no', '-o', 'PreferredAuthentications=none', '-o', `ConnectTimeout=${Math.ceil(options.timeoutMs / 1000)}`, '--', target.host, 'true'];
    await runProgram((options.programs ?? PROGRAMS).ssh, args, '', options);
    const text = await readFile(file, 'utf8').catch(() => '');
    // The name ssh recorded is the one it looks up later: the line is written as known_hosts wants it.
    return text.split('\n').map((line) => line.replace(/^\S+/, knownHostsName(resolved)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Makes sure the host is known: known already (a changed key is caught when connecting), or scanned now and
 * confirmed by `accept` (a fingerprint the admin checked), whose key alone is added to known_hosts.
 */
export async function ensureKnownHost(target: SshTarget, accept: string | undefined, options: SshOptions): Promise<ResolvedTarget> {
  const resolved = await resolveTarget(target, options);
  if (await isKnownHost(resolved, options)) return resolved;
  const keys = await scanHostKeys(resolved, options, target);
  if (keys.length === 0) {
    throw new SetupError({ code: 'SSH_UNREACHABLE', field: 'ssh', message: `No SSH server answered at ${resolved.hostname} port ${resolved.port}.`, fix: 'Check the host name, the port (Port in ~/.ssh/config) and that sshd runs there.' });
  }
  const chosen = keys.find((key) => key.fingerprint === accept);
  if (!chosen) {
    const shown = keys.map((key) => `${key.type} ${key.fingerprint}`).join(', ');
    throw new SetupError({
      code: 'SSH_HOST_KEY_UNKNOWN',
      field: 'accept-host-key',
      message: `${knownHostsName(resolved)} is not in ${resolved.knownHostsFile}${accept ? `, and ${accept} is not one of its keys` : ''}. It presents: ${shown}.`,
      fix: `Compare with the server's own (on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then run again with --accept-host-key ${keys[0]?.fingerprint ?? 'SHA256:…'}.`,
    });
  }
  await mkdir(dirname(resolved.knownHostsFile), { recursive: true, mode: 0o700 });
  await appendFile(resolved.knownHostsFile, `${chosen.line}\n`, { mode: 0o600 });
  return resolved;
}

/** `ssh … sh -s` with `script` on stdin; the remote output as it comes, the exit code at the end. */
/**
 * A script sent whole, or in two parts: `rest` only once the server printed the line `when` (the server's sh
 * waits for it meanwhile), so that a run stopped before then never receives `rest` at all.
 */
export type RemoteScript = string | { first: string; when: string; rest: string };

export function runRemoteScript(target: SshTarget, script: RemoteScript, options: SshOptions, onOutput: (stream: 'stdout' | 'stderr', text: string) => void): Promise<{ code: number; stderr: string }> {
  if (options.askpass) return withAskpass(options.askpass, (env) => runSsh(target, script, options, onOutput, env));
  const { keyPassphrase } = options;
  if (keyPassphrase) {
    // Only a key's passphrase is answered, once: a password or a second try (a wrong passphrase) is refused.
    // ssh asks again for the same key when the passphrase did not open it.
    const asked: { key?: string; given?: boolean; again?: boolean } = {};
    const ask: AskSsh = async (prompt) => {
      const key = KEY_PROMPT.exec(prompt)?.[1];
      if (key === undefined) return undefined;
      if (asked.key !== undefined) {
        asked.again = asked.again || key === asked.key;
        return undefined;
      }
      asked.key = key;
      const value = await keyPassphrase(key);
      asked.given = value !== undefined;
      return value;
    };
    // Only keys: a password or keyboard-interactive question is the server's text, and never gets the passphrase.
    const keysOnly = { ...options, extraArgs: ['-o', 'KbdInteractiveAuthentication=no', '-o', 'PasswordAuthentication=no'] };
    return withAskpass(ask, (env) => runSsh(target, script, keysOnly, onOutput, env)).catch((error: unknown) => {
      // A passphrase that opened the key (no second question): the refusal has another reason, said as it is.
      if (error instanceof SetupError && error.code === 'SSH_LOGIN_REFUSED' && asked.key !== undefined && (!asked.given || asked.again)) throw new KeyPassphraseError(asked.key, asked.given === true, `${target.user ? `${target.user}@` : ''}${target.host}`);
      throw error;
    });
  }
  return runSsh(target, script, options, onOutput, undefined);
}

/** ssh's prompt for a key: `Enter passphrase for key '/home/me/.ssh/id_ed25519':` (older: without "key" and quotes). */
const KEY_PROMPT = /^Enter passphrase for (?:key )?'?(.+?)'?:?\s*$/;

/** The login failed for want of a key's passphrase (or a wrong one): `key` is the key file ssh named. */
export class KeyPassphraseError extends SetupError {
  constructor(
    readonly key: string,
    readonly wrong: boolean,
    where: string,
  ) {
    super({
      code: 'SSH_KEY_PASSPHRASE',
      field: 'sshPassphrase',
      message: wrong ? `The passphrase given for the key ${key} does not open it, so ${where} refused the login.` : `The key ${key} is protected by a passphrase and ssh-agent does not hold it, so ${where} refused the login.`,
      fix: wrong ? 'Type the key’s passphrase again under "Where does n8n run?".' : 'Type the key’s passphrase under "Where does n8n run?" (held for this session; kept in the keychain only if you choose), or add the key to ssh-agent (ssh-add) and try again.',
    });
  }
}

function runSsh(target: SshTarget, script: RemoteScript, options: SshOptions & { extraArgs?: string[] }, onOutput: (stream: 'stdout' | 'stderr', text: string) => void, askpassEnv: NodeJS.ProcessEnv | undefined): Promise<{ code: number; stderr: string }> {
  const args = [
    ...targetArgs(target, options),
    ...(options.extraArgs ?? []),
    '-T',
    '-o', `BatchMode=${askpassEnv ? 'no' : 'yes'}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `ConnectTimeout=${Math.ceil(options.timeoutMs / 1000)}`,
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    '--', target.host, options.remoteCommand ?? 'sh -s',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn((options.programs ?? PROGRAMS).ssh, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(askpassEnv && { env: { ...process.env, ...askpassEnv } }), ...(options.signal && { signal: options.signal }) });
    let stderr = '';
    const parts = typeof script === 'string' ? { first: script } : script;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      onOutput('stdout', text);
      if (!('rest' in parts) || child.stdin.writableEnded) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.includes(parts.when)) child.stdin.end(parts.rest);
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-8192);
      onOutput('stderr', text);
    });
    child.stdin.on('error', () => undefined);
    if ('rest' in parts) child.stdin.write(parts.first);
    else child.stdin.end(parts.first);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(new SetupError({ code: 'CANCELLED', message: 'Cancelled: the connection to the server was closed.' }));
      else reject(new SetupError({ code: 'SSH_NOT_INSTALLED', field: 'ssh', message: `Cannot run ssh (${error.code ?? error.message}).`, fix: 'Install the OpenSSH client (Debian/Ubuntu: apt install openssh-client; Windows: the OpenSSH client feature).' }));
    });
    child.once('close', (code) => {
      // ssh's own failures (not the remote command's) end with 255 and say why on stderr.
      if (code === 255) return reject(sshError(target, stderr, 'connect'));
      resolve({ code: code ?? 1, stderr });
    });
  });
}

function sshError(target: SshTarget, stderr: string, doing: string): SetupError {
  const where = `${target.user ? `${target.user}@` : ''}${target.host}`;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i.test(stderr)) {
    return new SetupError({
      code: 'SSH_HOST_KEY_CHANGED',
      field: 'ssh',
      message: `The host key of ${where} is not the one in known_hosts: the server was reinstalled, or something sits between you and it. Nothing was sent.`,
      fix: 'Ask the server’s admin for its current fingerprint; once it is confirmed, remove the old key with ssh-keygen -R HOST and connect again.',
    });
  }
  if (/Host key verification failed/i.test(stderr)) {
    return new SetupError({ code: 'SSH_HOST_KEY_UNKNOWN', field: 'accept-host-key', message: `The host key of ${where} is not known. Nothing was sent.`, fix: 'Run again with --accept-host-key SHA256:… after checking the fingerprint.' });
  }
  if (/Permission denied/i.test(stderr)) {
    return new SetupError({ code: 'SSH_LOGIN_REFUSED', field: 'ssh', message: `${where} refused the login (${stderr.trim().split('\n').at(-1) ?? ''}).`, fix: 'Check the user and that your key is in the server’s authorized_keys (ssh-copy-id), or that ssh-agent holds it (ssh-add).' });
  }
  if (/Connection refused|timed out|No route|Could not resolve|Name or service not known/i.test(stderr)) {
    return new SetupError({ code: 'SSH_UNREACHABLE', field: 'ssh', message: `Cannot ${doing} ${where}: ${stderr.trim().split('\n').at(-1) ?? ''}.`, fix: 'Check the host name, the port and that sshd runs there (ssh in a terminal shows the same).' });
  }
  return new SetupError({ code: 'SSH_FAILED', field: 'ssh', message: `ssh could not ${doing} ${where}: ${stderr.trim().split('\n').at(-1) ?? 'no reason given'}.`, fix: 'Run ssh to the same host in a terminal to see the whole message.' });
}

function runProgram(program: string, args: string[], input: string, options: SshOptions): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: options.timeoutMs + 2_000, ...(options.signal && { signal: options.signal }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout = (stdout + text).slice(0, 1 << 20)));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-8192)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(new SetupError({ code: 'SSH_NOT_INSTALLED', field: 'ssh', message: `Cannot run ${program} (${error.code ?? error.message}).`, fix: 'Install the OpenSSH client (Debian/Ubuntu: apt install openssh-client).' })),
    );
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
