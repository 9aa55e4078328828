/**
 * A throwaway Postfix (Debian's, run as root) in its own folder under the temp dir: configuration, queue,
 * Cyrus sasldb and mail log all live there, so nothing touches /etc/postfix or syslog, and concurrent
 * runs never share anything. Ports are allocated on 127.0.0.1.
 *
 *   const postfix = await startPostfix({ hostname, certificate, users, senderLogins, relayDomain });
 *   … postfix.ports.submission …; await postfix.waitForLog(/status=sent/);
 *   await postfix.stop();
 *
 * Starting also stops what a killed run left behind (an instance whose owning process is gone), so it is
 * safe to run again after a crash.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { testProgram, type ListedProgram } from '../../../scripts/test-programs.mjs';
import type { KeyAndCertificate } from '../test-certificates.js';
import { renderCyrusSmtpdConf, renderMainCf, renderMasterCf, type PostfixPaths, type PostfixPorts, type PostfixSettings } from './postfix-config.js';

const POSTFIX = testProgram('postfix');
const SASLPASSWD2 = testProgram('saslpasswd2');
const INSTANCE_PREFIX = 'n8n-setup-postfix-';
const OWNER_FILE = 'owner.pid';
const COMMAND_TIMEOUT_MS = 20_000;
const ADDRESS = '127.0.0.1';
const run = promisify(execFile);

/** The Debian packages behind it (scripts/setup-test-machine.sh installs them). */
export const POSTFIX_PACKAGES = ['postfix', 'sasl2-bin', 'libsasl2-modules'] as const;

/** Why Postfix cannot run here, or undefined when it can. */
export function whyPostfixCannotRun(): string | undefined {
  const probes: Array<[ListedProgram, string[]]> = [
    [testProgram('postconf'), ['-d', 'mail_version']],
    [SASLPASSWD2, ['-v']],
    [testProgram('dpkg'), ['-s', 'libsasl2-modules']],
    [testProgram('openssl'), ['version']],
  ];
  const missing = probes.some(([command, args]) => fails(command, args));
  if (missing) return `Postfix with Cyrus SASL is not installed; install the Debian packages ${POSTFIX_PACKAGES.join(' ')} and openssl (scripts/setup-test-machine.sh installs every tool the tests use)`;
  if (process.getuid?.() !== 0) return `Postfix's master must start as root and this runs as uid ${process.getuid?.()}`;
  return undefined;
}

function fails(command: ListedProgram, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status !== 0;
}

export interface PostfixOptions {
  hostname: string;
  certificate: KeyAndCertificate;
  /** SASL logins (user@realm) → password. */
  users: Record<string, string>;
  /** Envelope sender → the login that owns it. */
  senderLogins: Record<string, string>;
  relayDomain: string;
}

export interface PostfixInstance {
  address: string;
  ports: PostfixPorts;
  /** The mail log so far. */
  log(): string;
  /** The first log line matching `pattern`, waiting at most `timeoutMs` for it. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops Postfix (waiting for its master to exit) and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

function instancePaths(dir: string): PostfixPaths {
  return {
    configDir: join(dir, 'etc'),
    queueDir: join(dir, 'spool'),
    dataDir: join(dir, 'lib'),
    maillog: join(dir, 'maillog'),
    maillogPrefix: dir,
    certFile: join(dir, 'etc', 'tls-cert.pem'),
    keyFile: join(dir, 'etc', 'tls-key.pem'),
    saslConfigDir: join(dir, 'etc', 'sasl'),
    sasldb: join(dir, 'etc', 'sasldb2'),
  };
}

export async function startPostfix(options: PostfixOptions): Promise<PostfixInstance> {
  await stopAbandonedInstances();
  const dir = await mkdtemp(join(tmpdir(), INSTANCE_PREFIX));
  try {
    await writeFile(join(dir, OWNER_FILE), String(process.pid));
    // Postfix's daemons run as user postfix and must reach the queue inside.
    await chmod(dir, 0o755);
    const paths = instancePaths(dir);
    await prepareFolders(paths, options);
    const ports = await startOnFreePorts(paths, options);
    return instance(dir, paths, ports);
  } catch (error) {
    await stopInstance(dir);
    throw error;
  }
}

async function prepareFolders(paths: PostfixPaths, options: PostfixOptions): Promise<void> {
  await mkdir(paths.saslConfigDir, { recursive: true });
  await mkdir(paths.queueDir);
  await mkdir(paths.dataDir);
  await run(testProgram('chown'), ['postfix', paths.dataDir]);
  await writeFile(paths.certFile, options.certificate.cert);
  await writeFile(paths.keyFile, options.certificate.key, { mode: 0o600 });
  await writeFile(join(paths.saslConfigDir, 'smtpd.conf'), renderCyrusSmtpdConf(paths));
  for (const [login, password] of Object.entries(options.users)) {
    const at = login.lastIndexOf('@');
    if (at < 1) throw new Error(`SASL login "${login}" needs a realm (user@realm)`);
    // -p reads the password from stdin: it never appears in a process listing.
    const created = spawnSync(SASLPASSWD2, ['-p', '-c', '-f', paths.sasldb, '-u', login.slice(at + 1), login.slice(0, at)], { input: password, timeout: COMMAND_TIMEOUT_MS });
    if (created.status !== 0) throw new Error(`saslpasswd2 failed for ${login}: ${created.stderr.toString()}`);
  }
  // smtpd reads the logins as user postfix.
  await run(testProgram('chgrp'), ['postfix', paths.sasldb]);
  await chmod(paths.sasldb, 0o640);
}

/** Free ports are picked before Postfix binds them; if another process takes one meanwhile, try new ones. */
async function startOnFreePorts(paths: PostfixPaths, options: PostfixOptions): Promise<PostfixPorts> {
  for (let attempt = 1; ; attempt += 1) {
    const [submission = 0, wrapper = 0, mx = 0] = await freePorts(3);
    const settings: PostfixSettings = { hostname: options.hostname, address: ADDRESS, ports: { submission, wrapper, mx }, relayDomain: options.relayDomain, senderLogins: options.senderLogins };
    await writeFile(join(paths.configDir, 'main.cf'), renderMainCf(settings, paths));
    await writeFile(join(paths.configDir, 'master.cf'), renderMasterCf(settings));
    // Without a terminal, `postfix start` says why it failed only in the mail log.
    const started = await run(POSTFIX, ['-c', paths.configDir, 'start'], { timeout: COMMAND_TIMEOUT_MS }).then(
      () => true,
      () => false,
    );
    if (started) return settings.ports;
    const log = existsSync(paths.maillog) ? readFileSync(paths.maillog, 'utf8') : '';
    if (attempt < 3 && log.includes('Address already in use')) continue;
    throw new Error(`Postfix did not start; its mail log says:\n${log.split('\n').filter((line) => /fatal|error|warning/.test(line)).join('\n') || log}`);
  }
}

async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, ADDRESS, resolve));
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function instance(dir: string, paths: PostfixPaths, ports: PostfixPorts): PostfixInstance {
  const log = () => (existsSync(paths.maillog) ? readFileSync(paths.maillog, 'utf8') : '');
  let stopped: Promise<void> | undefined;
  return {
    address: ADDRESS,
    ports,
    log,
    async waitForLog(pattern, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const line = log()
          .split('\n')
          .find((l) => pattern.test(l));
        if (line) return line;
        if (performance.now() > deadline) throw new Error(`no line matching ${pattern} in Postfix's mail log within ${timeoutMs} ms:\n${log()}`);
        await sleep(20);
      }
    },
    stop: () => (stopped ??= stopInstance(dir)),
  };
}

/**
 * `postfix abort` signals the master, which takes its daemons (its process group) down with it; nothing here
 * needs an orderly stop, and `postfix stop` would poll in whole seconds.
 */
async function stopInstance(dir: string): Promise<void> {
  const paths = instancePaths(dir);
  const masterPid = await readFile(join(paths.queueDir, 'pid', 'master.pid'), 'utf8').then((text) => Number(text.trim()), () => undefined);
  if (masterPid && isRunning(masterPid)) {
    await run(POSTFIX, ['-c', paths.configDir, 'abort'], { timeout: COMMAND_TIMEOUT_MS }).catch(() => undefined);
    // The master leads a process group of its own; done when nothing in it runs any more.
    if (!(await groupExited(masterPid, 5000))) {
      for (const pid of runningInGroup(masterPid)) process.kill(pid, 'SIGKILL');
      if (!(await groupExited(masterPid, 1000))) throw new Error(`Postfix (process group ${masterPid}) did not stop; its folder ${dir} is left for a look`);
    }
  }
  await rm(dir, { recursive: true, force: true });
}

async function groupExited(group: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; runningInGroup(group).length > 0; waited += 20) {
    if (waited >= timeoutMs) return false;
    await sleep(20);
  }
  return true;
}

/** Linux's /proc: a zombie (exited, not yet reaped by whoever adopted it) no longer runs. */
function processState(pid: number): { state: string; group: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return { state: fields[0] ?? '', group: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  const state = processState(pid)?.state;
  return state !== undefined && state !== 'Z';
}

function runningInGroup(group: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      const found = processState(pid);
      return found?.group === group && found.state !== 'Z';
    });
}

/** Instances whose test process is gone (killed before its afterAll ran). */
async function stopAbandonedInstances(): Promise<void> {
  const names = (await readdir(tmpdir())).filter((name) => name.startsWith(INSTANCE_PREFIX));
  for (const name of names) {
    const dir = join(tmpdir(), name);
    const owner = await readFile(join(dir, OWNER_FILE), 'utf8').then(Number, () => undefined);
    // Without an owner file it is either being created this instant or was killed right then.
    const modified = await stat(dir).then((s) => s.mtimeMs, () => Date.now());
    const abandoned = owner ? !isRunning(owner) : Date.now() - modified > 60_000;
    if (abandoned) await stopInstance(dir);
  }
}
