/**
 * A throwaway Secret Service for the keychain tests: a private D-Bus session bus (our own config, with no
 * service activation, so nothing starts behind our back) and, if asked, a gnome-keyring-daemon on it with a
 * fresh HOME. Children get `env`; the test process itself never talks to it, because GDBus and libsecret
 * keep their first bus connection for the life of a process. Every daemon is our child, stopped by pid.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listedPrograms, testProgram } from '../../scripts/test-programs.mjs';

/** What the keyring daemon starts with: "unlocked" creates and unlocks a login keyring with a password;
 * "locked" has that keyring but no password given; "no-keyring" has none at all; "none" runs no daemon. */
export type KeyringState = 'unlocked' | 'locked' | 'no-keyring' | 'none';

export interface KeychainSession {
  /** The session's folder: HOME, TMPDIR and the bus socket all live inside it. */
  root: string;
  home: string;
  tmp: string;
  /** For child processes: HOME, TMPDIR, PATH, NODE_PATH and DBUS_SESSION_BUS_ADDRESS; no DISPLAY. */
  env: NodeJS.ProcessEnv;
  /** SIGSTOP / SIGCONT the keyring daemon: a backend that accepts calls and never answers. */
  pauseKeyring(): void;
  resumeKeyring(): void;
  stop(): Promise<void>;
}

/** What a session runs, from scripts/test-programs.txt (scripts/setup-test-machine.sh installs them). */
export const KEYRING_TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'] as const;

/** Why a session cannot start here, or undefined. libsecret-1-0 is checked by loading keytar in the children. */
export function missingKeyringTools(): string | undefined {
  const missing = listedPrograms().filter((entry) => (KEYRING_TOOLS as readonly string[]).includes(entry.name) && !existsSync(entry.path));
  if (!missing.length) return undefined;
  return `${missing.map((entry) => entry.path).join(', ')} not found; install the Debian packages ${[...new Set(missing.map((entry) => entry.debianPackage))].join(' ')} and libsecret-1-0 (scripts/setup-test-machine.sh does)`;
}

export const KEYRING_PASSWORD = 'throwaway-login-password';

/** This checkout's packages, for bundles run from a throwaway folder (the keychain helper resolves keytar with it). */
export const NODE_PATH = fileURLToPath(new URL('../../node_modules', import.meta.url));

const children = new Set<ChildProcess>();
// A crashed test run must not leave daemons behind: SIGKILL works on stopped processes too.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface SessionOptions {
  /** Runs while the keyring is still unlocked, before a "locked" session locks it: to leave entries in it. */
  beforeLocking?: (env: NodeJS.ProcessEnv) => Promise<void>;
}

export async function startKeychainSession(state: KeyringState, options: SessionOptions = {}): Promise<KeychainSession> {
  const root = await mkdtemp(join(tmpdir(), 'n8n-setup-keychain-'));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  const busDir = join(root, 'bus');
  await Promise.all([mkdir(join(home, '.local/share/keyrings'), { recursive: true }), mkdir(tmp), mkdir(join(busDir, 'no-services'), { recursive: true })]);
  const bus = await startBus(busDir);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TMPDIR: tmp, LANG: 'C.UTF-8', NODE_PATH, DBUS_SESSION_BUS_ADDRESS: bus.address };

  let keyring: ChildProcess | undefined;
  if (state === 'unlocked' || state === 'locked') keyring = await startKeyring(env, true);
  if (state === 'locked') {
    // The login keyring is created by the first unlock; restarting without a password leaves it locked.
    await waitForLoginKeyring(home);
    await options.beforeLocking?.(env);
    await stopChild(keyring);
    keyring = await startKeyring(env, false);
  }
  if (state === 'no-keyring') keyring = await startKeyring(env, false);

  return {
    root,
    home,
    tmp,
    env,
    pauseKeyring: () => void keyring?.kill('SIGSTOP'),
    resumeKeyring: () => void keyring?.kill('SIGCONT'),
    async stop() {
      await stopChild(keyring);
      await stopChild(bus.child);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function startBus(busDir: string): Promise<{ child: ChildProcess; address: string }> {
  const config = join(busDir, 'session.conf');
  await writeFile(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${busDir}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>${join(busDir, 'no-services')}</servicedir>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`,
  );
  const child = track(spawn(testProgram('dbus-daemon'), [`--config-file=${config}`, '--nofork', '--print-address=1', '--nosyslog'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code} before printing its address: ${err}`)));
    child.once('error', reject);
  });
  return { child, address };
}

async function startKeyring(env: NodeJS.ProcessEnv, unlock: boolean): Promise<ChildProcess> {
  const args = ['--foreground', '--components=secrets', ...(unlock ? ['--unlock'] : [])];
  const child = track(spawn(testProgram('gnome-keyring-daemon'), args, { env, stdio: ['pipe', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // With --unlock it reads the login password from stdin until EOF; an empty one would make it prompt.
  child.stdin?.end(unlock ? KEYRING_PASSWORD : '');
  const deadline = Date.now() + 10_000;
  while (!(await ownsSecretsName(env))) {
    if (child.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

async function ownsSecretsName(env: NodeJS.ProcessEnv): Promise<boolean> {
  const args = ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'];
  const { stdout } = await promisify(execFile)(testProgram('dbus-send'), args, { env });
  return stdout.includes('boolean true');
}

async function waitForLoginKeyring(home: string): Promise<void> {
  const folder = join(home, '.local/share/keyrings');
  for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if ((await readdir(folder)).includes('login.keyring')) return;
  }
  throw new Error('gnome-keyring-daemon --unlock did not create login.keyring within 10 s');
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
