/**
 * Runs the Debian programs the peer-parser tests read our files with: docker-compose v1 and scripts for
 * /usr/bin/python3, the interpreter docker-compose v1, PyYAML and python-dotenv belong to (a pyenv or venv
 * `python3` on PATH would not have them).
 */
import { execFileSync } from 'node:child_process';
import { testProgram, type ListedProgram } from '../../scripts/test-programs.mjs';

/**
 * A clean environment, so that nothing from the test runner's shell can be substituted into values
 * (docker-compose interpolates from it) and no user site-packages shadow Debian's modules.
 */
const CLEAN_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PYTHONNOUSERSITE: '1' };

export interface RunOptions {
  cwd?: string;
  input?: string;
}

/** What `command` prints; throws with its stderr when it fails. */
export function runDebianProgram(command: ListedProgram, args: readonly string[], options: RunOptions = {}): string {
  return execFileSync(command, args, { ...options, input: options.input ?? '', stdio: 'pipe', env: CLEAN_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** Runs `script` with Debian's Python and parses what it prints as JSON. */
export function debianPythonJson(script: string, options: RunOptions & { args?: readonly string[] } = {}): unknown {
  const { args = [], ...run } = options;
  return JSON.parse(runDebianProgram(testProgram('python3'), ['-c', script, ...args], run));
}
