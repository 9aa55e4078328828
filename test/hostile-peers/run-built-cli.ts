/**
 * The shipped single-file CLI (dist/n8n-setup.cjs, built by `npm run build`) as its own process under this
 * Node, and what a run must look like against any peer: an exit code the README documents, a classified
 * failure, and no trace of an unhandled error.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const BUILT = fileURLToPath(new URL('../../dist/n8n-setup.cjs', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Killed after `limitMs`: a CLI that hangs fails its test (signal SIGKILL) instead of holding the run. */
export function runBuiltCli(args: string[], env: Record<string, string> = {}, limitMs = 60_000): Promise<CliRun> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first (npm test does)`);
  return new Promise((done) => {
    const child = spawn(process.execPath, [BUILT, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const hung = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(hung);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** What Node prints for an error nobody handled, a stack trace, or our own report of an error we did not expect. */
const CRASH = /^\s+at |node:internal|node:events|Unhandled|uncaught|"UNEXPECTED"|Node\.js v\d/m;

/** Ended on its own, with one of `codes`, and nothing on stderr but our own `error: … fix: …` lines. */
export function expectClassifiedExit(run: CliRun, codes: readonly number[]): void {
  expect(run.signal, `killed: ${run.stderr}`).toBeNull();
  expect(run.stderr).not.toMatch(CRASH);
  expect(run.stdout).not.toMatch(CRASH);
  expect(codes).toContain(run.code);
}
