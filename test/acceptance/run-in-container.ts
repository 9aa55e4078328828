/**
 * Runs a command inside a container view (container-view.ts): a private mount namespace with the files at
 * their container paths, as uid 1000, with exactly the given environment. Needs root (unshare, mount,
 * setpriv). Every process started here is killed when the test process exits, whatever happened.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testProgram } from '../../scripts/test-programs.mjs';
import type { ContainerSpec } from './container-view.js';
import { finished, trackGroup, type Finished } from './process-groups.js';

const ENTER = fileURLToPath(new URL('./enter-container.sh', import.meta.url));

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
  trackGroup(child);
  return child;
}

/** Runs a command to its end with `input` on stdin, killed after `timeoutMs`. */
export async function runInContainer(spec: ContainerSpec, scratch: string, command: string[], timeoutMs: number, input = ''): Promise<Finished> {
  return finished(spawnInContainer(spec, scratch, command), input, timeoutMs);
}
