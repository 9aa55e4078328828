/**
 * The programs some tests run (peer parsers, proxies, OpenSSL), each from scripts/test-programs.txt: its
 * Debian path and package. scripts/setup-test-machine.sh installs them all. On a developer machine a test
 * whose tool is missing is skipped, saying why; under CI (`CI` set) it fails instead, naming the package, so
 * that a missing package never passes as a green run.
 */
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'vitest';
import { listedPrograms, testProgram, type ListedProgram } from '../../scripts/test-programs.mjs';

export interface ExternalTool {
  name: string;
  debianPackage: string;
  /** Its Debian path: Debian puts daemons such as nginx in /usr/sbin, which a non-root PATH often lacks. */
  command: ListedProgram;
  /** Whether it runs here; probed on first use. */
  readonly installed: boolean;
}

/** `program` from the list; `probeArgs` must succeed where it works. `module`: a Debian package the probe also needs. */
function externalTool(program: string, probeArgs: string[], module?: { name: string; debianPackage: string }): ExternalTool {
  const command: ListedProgram = testProgram(program);
  const listed = listedPrograms().find((entry) => entry.name === program);
  let installed: boolean | undefined;
  return {
    name: module?.name ?? program,
    debianPackage: module?.debianPackage ?? listed?.debianPackage ?? program,
    command,
    get installed() {
      installed ??= spawnSync(command, probeArgs, { stdio: 'ignore' }).status === 0;
      return installed;
    },
  };
}

/** Debian's docker-compose (v1, Python): see docker-compose-v1.ts. */
export const DOCKER_COMPOSE_V1 = externalTool('docker-compose', ['version']);
export const PYTHON_DOTENV = externalTool('python3', ['-c', 'import dotenv'], { name: 'python-dotenv', debianPackage: 'python3-dotenv' });
export const NGINX = externalTool('nginx', ['-v']);
export const CADDY = externalTool('caddy', ['version']);
export const OPENSSL = externalTool('openssl', ['version']);

const underCi = Boolean(process.env.CI) && process.env.CI !== 'false';

/** Call first in a test that runs `tool`: when it is missing, skips the test here and fails it under CI. */
export function requireTool(context: TestContext, tool: ExternalTool): void {
  if (tool.installed) return;
  skipOutsideCi(context, `${tool.name} is not installed; install the Debian package ${tool.debianPackage} (scripts/setup-test-machine.sh installs every tool the tests use)`);
}

/**
 * Skips the running test, printing why, for a condition a developer machine may lack and CI must not:
 * under CI the test fails with `reason` instead.
 */
export function skipOutsideCi(context: TestContext, reason: string): never {
  if (underCi) throw new Error(`${reason}. Under CI this fails instead of skipping.`);
  return skipSayingWhy(context, reason);
}

/** Skips the running test and prints why, so that no skip is silent. */
export function skipSayingWhy(context: TestContext, reason: string): never {
  console.warn(`Skipping: ${reason}`);
  return context.skip(reason);
}
