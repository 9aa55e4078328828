/**
 * The programs some tests run (peer parsers, proxies, OpenSSL) and the Debian package of each;
 * scripts/setup-test-machine.sh installs them all. On a developer machine a test whose tool is missing is
 * skipped, saying why; under CI (`CI` set) it fails instead, naming the package, so that a missing package
 * never passes as a green run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';

export interface ExternalTool {
  name: string;
  debianPackage: string;
  /** What to run: Debian puts daemons such as nginx in /usr/sbin, which a non-root PATH often lacks. */
  command: string;
  /** Whether it runs here; probed on first use. */
  readonly installed: boolean;
}

function externalTool(name: string, debianPackage: string, probe: [command: string, ...args: string[]]): ExternalTool {
  let installed: boolean | undefined;
  return {
    name,
    debianPackage,
    command: probe[0],
    get installed() {
      installed ??= spawnSync(probe[0], probe.slice(1), { stdio: 'ignore' }).status === 0;
      return installed;
    },
  };
}

/** Debian's docker-compose (v1, Python): run through /usr/bin, see docker-compose-v1.ts. */
export const DOCKER_COMPOSE_V1 = externalTool('docker-compose v1', 'docker-compose', ['/usr/bin/docker-compose', 'version']);
export const PYTHON_DOTENV = externalTool('python-dotenv', 'python3-dotenv', ['/usr/bin/python3', '-c', 'import dotenv']);
export const NGINX = externalTool('nginx', 'nginx-light', [existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx', '-v']);
export const CADDY = externalTool('Caddy', 'caddy', ['caddy', 'version']);
export const OPENSSL = externalTool('OpenSSL', 'openssl', ['openssl', 'version']);

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
