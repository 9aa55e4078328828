/**
 * Every long-running process the acceptance tier starts (n8n in its container view, Redis, Postgres) leads
 * its own process group, which is stopped as a whole: n8n's task runners and Postgres' backends go with
 * their leader. Whatever happens, every group still running is killed when the test process exits.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { ListedProgram } from '../../scripts/test-programs.mjs';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/** A started process, its stdout and stderr kept in `log()`. */
export interface GroupProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `command` as the leader of a new process group (stdin closed), killed when the test process exits. */
export function spawnGroup(command: ListedProgram, args: readonly string[], options: Pick<SpawnOptions, 'env' | 'cwd'> = {}): GroupProcess {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  trackGroup(child);
  return logged(child);
}

/** A started group leader with piped stdio: stdin closed, its output kept. */
export function logged(child: ChildProcess): GroupProcess {
  child.stdin?.end();
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return { child, log: () => output, stop: () => stopGroup(child) };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its end with `input` on stdin; its group is killed after `timeoutMs`. */
export async function runToEnd(command: ListedProgram, args: readonly string[], options: Pick<SpawnOptions, 'env' | 'cwd'> & { input?: string; timeoutMs: number }): Promise<Finished> {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  trackGroup(child);
  return finished(child, options.input ?? '', options.timeoutMs);
}

/** Feeds `input` to a started group leader and collects its output until it ends, killing its group after `timeoutMs`. */
export async function finished(child: ChildProcess, input: string, timeoutMs: number): Promise<Finished> {
  child.stdin?.end(input);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
}

/** Kills the group of `child` when the test process exits while it still runs. */
export function trackGroup(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/**
 * Waits until `ready()` holds, checking every 250 ms for at most `timeoutMs`. Fails at once when the
 * process exits first, and on the timeout, each time with the end of its log.
 */
export async function waitUntilReady(server: GroupProcess, what: string, timeoutMs: number, ready: () => boolean | Promise<boolean>): Promise<void> {
  const started = Date.now();
  let exited: string | undefined;
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) exited = `exited (${child.signalCode ?? child.exitCode})`;
  child.once('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  while (Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`${what} ${exited} before it was ready:\n${logTail(server.log())}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000} s:\n${logTail(server.log())}`);
}

export function logTail(log: string, lines = 40): string {
  return log.split('\n').slice(-lines).join('\n');
}

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader is gone. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  // Task runners and other members may outlive the leader by a moment.
  killGroup(child, 'SIGKILL');
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
