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

export function runCli(args: string[], timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [inject('cliBundle'), ...args], { timeout: timeoutMs, env: { PATH: process.env.PATH ?? '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
