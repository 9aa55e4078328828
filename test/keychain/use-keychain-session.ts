/**
 * Test-file fixture: one throwaway keychain session (keychain-session.ts) and the bundled driver for the
 * whole file, stopped afterwards. Where the tools are missing, each test is skipped saying which Debian
 * packages to install, and under CI it fails instead (test/support/external-tools.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { skipOutsideCi } from '../support/external-tools.js';
import { bundleForTest } from './bundle-for-test.js';
import type { DriverRequest, Step, StepResult } from './keychain-driver.js';
import { missingKeyringTools, startKeychainSession, type KeychainSession, type KeyringState } from './keychain-session.js';
import { runDriver, type DriverResults } from './run-child.js';

export interface KeychainFixture {
  readonly session: KeychainSession;
  /** Runs the steps in one driver process in the session (or with `env` instead of its environment). */
  steps(steps: Step[], options?: { deadlineMs?: number; env?: NodeJS.ProcessEnv; transport?: DriverRequest['transport']; within?: Parameters<typeof runDriver>[3] }): Promise<DriverResults>;
  /** Bundles another entry next to the driver, e.g. the CLI. */
  bundle(entry: URL, name: string, options?: Parameters<typeof bundleForTest>[2]): Promise<string>;
}

/** `seed`: steps run while the keyring is unlocked, before a "locked" session locks it. */
export function useKeychainSession(state: KeyringState, options: { seed?: Step[] } = {}): KeychainFixture {
  const missing = missingKeyringTools();
  let session: KeychainSession | undefined;
  let scratch = '';
  let driver = '';
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-keychain-bundles-'));
    driver = await bundleForTest(new URL('./keychain-driver.ts', import.meta.url), join(scratch, 'keychain-driver.cjs'));
    const seed = options.seed;
    const beforeLocking = async (env: NodeJS.ProcessEnv) => {
      for (const result of await runDriver(driver, env, { steps: seed ?? [] })) valueOf(result);
    };
    if (!missing) session = await startKeychainSession(state, { beforeLocking });
  });
  afterAll(async () => {
    await session?.stop();
    await rm(scratch, { recursive: true, force: true });
  });
  beforeEach((context) => {
    if (missing) skipOutsideCi(context, missing);
  });
  return {
    get session() {
      if (!session) throw new Error('the keychain session did not start');
      return session;
    },
    steps(steps, options = {}) {
      const { env, within, ...request } = options;
      return runDriver(driver, env ?? this.session.env, { steps, ...request }, within);
    },
    bundle: (entry, name, options) => bundleForTest(entry, join(scratch, name), options),
  };
}

/** The value of a step that must have succeeded, or a failure naming its error. */
export function valueOf(result: StepResult | undefined): unknown {
  if (!result) throw new Error('no result for this step');
  if (!result.ok) throw new Error(`the step failed: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The error code of a step that must have failed. */
export function codeOf(result: StepResult | undefined): string {
  if (!result) throw new Error('no result for this step');
  if (result.ok) throw new Error(`the step succeeded with ${JSON.stringify(result.value)}`);
  return result.error.code;
}
