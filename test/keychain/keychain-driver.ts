/**
 * Child process for the keychain tests: reads a list of steps as JSON on stdin, runs them against the real
 * keytar adapter (and raw keytar for another app's entries), and prints the results as one JSON line.
 * Bundled by the tests (bundle-for-test.ts) and started in a throwaway D-Bus session (keychain-session.ts).
 * It then ends by itself like the CLI does, so a test can see whether a stuck call keeps a process alive.
 */
import { writeSync } from 'node:fs';
import { keytarInHelperProcess } from '../../services/secrets/keytar-helper-process.js';
import { createKeytarSecretStore, type KeytarApi } from '../../services/secrets/keytar-secret-store.js';
import { deleteProfileSecrets, forgetAllSecrets, renameProfileSecrets } from '../../services/secrets/profile-secrets.js';
import { SetupError } from '../../shared/errors.js';

export type Step =
  | { op: 'set'; account: string; secret: string }
  | { op: 'get' | 'delete'; account: string }
  | { op: 'list' | 'status' | 'forget-all' }
  | { op: 'rename'; from: string; to: string }
  | { op: 'delete-profile'; name: string }
  /** Another application's entry, written with keytar directly. */
  | { op: 'foreign-set'; service: string; account: string; secret: string }
  | { op: 'foreign-get'; service: string; account: string }
  /** The steps at the same time. */
  | { op: 'together'; steps: Step[] };

export interface DriverRequest {
  deadlineMs?: number;
  /** "helper": keytar in a helper process, as the CLI has it (the default); "in-process": as Electron has it. */
  transport?: 'helper' | 'in-process';
  steps: Step[];
}

export type StepResult = { ok: true; value: unknown; ms: number } | { ok: false; error: { code: string; message: string; fix?: string }; ms: number };

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverRequest;
  const store = createKeytarSecretStore({
    ...(request.deadlineMs !== undefined && { deadlineMs: request.deadlineMs }),
    ...(request.transport !== 'in-process' && { loadKeytar: async () => keytarInHelperProcess() }),
  });
  const keytar = async (): Promise<KeytarApi> => {
    const module = (await import('@github/keytar')) as unknown as KeytarApi & { default?: KeytarApi };
    return module.default ?? module;
  };

  async function run(step: Step): Promise<unknown> {
    switch (step.op) {
      case 'set':
        return store.set(step.account, step.secret);
      case 'get':
        return store.get(step.account);
      case 'delete':
        return store.delete(step.account);
      case 'list':
        return store.list();
      case 'status':
        return store.status();
      case 'forget-all':
        return forgetAllSecrets(store);
      case 'rename':
        return renameProfileSecrets(store, step.from, step.to);
      case 'delete-profile':
        return deleteProfileSecrets(store, step.name);
      case 'foreign-set':
        return (await keytar()).setPassword(step.service, step.account, step.secret);
      case 'foreign-get':
        return (await keytar()).getPassword(step.service, step.account);
      case 'together':
        return Promise.all(step.steps.map(timed));
    }
  }

  async function timed(step: Step): Promise<StepResult> {
    const started = Date.now();
    try {
      const value = await run(step);
      return { ok: true, value: value ?? null, ms: Date.now() - started };
    } catch (error) {
      const data = error instanceof SetupError ? error.toJSON() : { code: 'THROWN', message: error instanceof Error ? error.message : String(error) };
      return { ok: false, error: data, ms: Date.now() - started };
    }
  }

  const results: StepResult[] = [];
  for (const step of request.steps) results.push(await timed(step));
  writeSync(1, `${JSON.stringify(results)}\n`);
}

void main();
