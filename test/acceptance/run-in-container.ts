/**
 * Runs a command inside a container view (container-view.ts): a private mount namespace with the files at
 * their container paths, as uid 1000, with exactly the given environment. Needs root (unshare, mount,
 * setpriv). Every process started here is killed when the test process exits, whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testProgram } from '../../scripts/test-programs.mjs';
import type { ContainerSpec } from './container-view.js';

const ENTER = fileURLToPath(new URL('./enter-container.sh', import.meta.url));

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

export function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('The acceptance tier runs n8n as uid 1000 in a private mount namespace, which needs root (CI runs it as root; locally: sudo -E npm run test:acceptance).');
  }
}

/** Starts `command` in the container; stdio is piped, the process leads its own group. */
export function spawnInContainer(spec: ContainerSpec, scratch: string, command: string[]): ChildProcess {
  const mountArgs = spec.mounts.flatMap((m) => [m.readOnly ? 'ro' : 'rw', m.source, m.target]);
  const child = spawn(
    testProgram('unshare'),
    ['--mount', '--propagation', 'private', '--', '/bin/sh', ENTER, scratch, String(spec.uid), String(spec.uid), ...mountArgs, '--', ...command],
    // Detached: n8n and its task runners form one process group, stopped together.
    { env: spec.environment, detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end with `input` on stdin, killed after `timeoutMs`. */
export async function runInContainer(spec: ContainerSpec, scratch: string, command: string[], timeoutMs: number, input = ''): Promise<Finished> {
  const child = spawnInContainer(spec, scratch, command);
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

/** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader is gone. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  // Task runners may outlive the leader by a moment.
  killGroup(child, 'SIGKILL');
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}
