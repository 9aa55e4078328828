/**
 * Runs a bundled script in a child node process with a given environment and stdin, and collects what it
 * printed. `exitWithinMs` after its answer (a complete first stdout line when `answerIsFirstLine`, else the
 * end of its output) the child must have exited; one still running is killed by its pid and reported as
 * `lingered`, so a test sees a process a stuck keychain call keeps alive instead of waiting for it.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import type { ListedProgram } from '../../scripts/test-programs.mjs';
import type { DriverRequest, StepResult } from './keychain-driver.js';

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** From the start until it answered. */
  ms: number;
  lingered: boolean;
}

interface ChildOptions {
  env: NodeJS.ProcessEnv;
  /** Runs the child through this command line (e.g. a mount namespace): `[...within, node, script, ...args]`. */
  within?: [ListedProgram, ...string[]];
  stdin?: string;
  cwd?: string;
  answerIsFirstLine?: boolean;
  exitWithinMs?: number;
  timeoutMs?: number;
}

export function runChild(script: string, args: string[], options: ChildOptions): Promise<ChildRun> {
  const started = Date.now();
  const spawnOptions = { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] } satisfies SpawnOptions;
  const wrapper: ListedProgram | undefined = options.within?.[0];
  const child = wrapper ? spawn(wrapper, [...(options.within ?? []).slice(1), process.execPath, script, ...args], spawnOptions) : spawn(process.execPath, [script, ...args], spawnOptions);
  let stdout = '';
  let stderr = '';
  let answeredAt: number | undefined;
  let lingered = false;
  let lingerTimer: NodeJS.Timeout | undefined;
  const answered = () => {
    if (answeredAt !== undefined) return;
    answeredAt = Date.now();
    lingerTimer = setTimeout(() => {
      lingered = true;
      child.kill('SIGKILL');
    }, options.exitWithinMs ?? 3000);
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.answerIsFirstLine && stdout.includes('\n')) answered();
  });
  child.stdout.once('end', answered);
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timeout);
      clearTimeout(lingerTimer);
      resolve({ code, stdout, stderr, ms: (answeredAt ?? Date.now()) - started, lingered });
    });
  });
}

export type DriverResults = StepResult[] & { ms: number; lingered: boolean };

/** Runs keychain-driver steps; throws with the child's stderr if it did not answer in JSON. */
export async function runDriver(driver: string, env: NodeJS.ProcessEnv, request: DriverRequest, within?: ChildOptions['within']): Promise<DriverResults> {
  const run = await runChild(driver, [], { env, stdin: JSON.stringify(request), answerIsFirstLine: true, ...(within && { within }) });
  try {
    return Object.assign(JSON.parse(run.stdout.split('\n')[0] ?? '') as StepResult[], { ms: run.ms, lingered: run.lingered });
  } catch {
    throw new Error(`the keychain driver did not answer (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}
