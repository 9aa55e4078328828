/**
 * Our CLI as the admin runs it on the server: the single-file build (dist/n8n-setup.cjs, what is shipped;
 * the tier's copy of it), as its own process, with a bounded run time.
 */
import { execFile } from 'node:child_process';
import { inject } from 'vitest';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `stdin`: what is piped in (a password with --password-stdin); otherwise stdin is empty. `env`: added to PATH. */
export function runCli(args: string[], options: { timeoutMs?: number; stdin?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [inject('cliBundle'), ...args], { timeout: options.timeoutMs ?? 60_000, env: { PATH: process.env.PATH ?? '', ...options.env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(options.stdin ?? '');
  });
}
