/**
 * keytar in a helper process, for the CLI. A keytar call runs on a libuv worker thread that nothing can
 * cancel, and Node joins those threads on exit: a call stuck on a stopped keyring daemon or a waiting
 * prompt keeps even process.exit() waiting (50 s per call on gnome-keyring, forever for a prompt). In a
 * helper, the deadline can end it: abandon() kills the helper by its pid, and the CLI exits on time.
 * Secrets travel only through the pipes between the two processes. The Electron shell, which cannot run
 * `node -e`, uses keytar in-process instead.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { KeytarApi } from './keytar-secret-store.js';

type Method = 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials';
type Helper = ChildProcessByStdio<Writable, Readable, null>;

/** The helper: loads keytar from the path it is given, then answers one JSON line per request line. */
const HELPER_SOURCE = `
const methods = new Set(['getPassword', 'setPassword', 'deletePassword', 'findCredentials']);
const say = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
let keytar;
try { keytar = require(process.argv[1]); } catch (error) { say({ loadError: String(error && error.message || error) }); process.exit(0); }
say({ ready: true });
let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  for (let end; (end = buffered.indexOf('\\n')) >= 0; ) {
    const { id, method, args } = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    Promise.resolve()
      .then(() => { if (!methods.has(method)) throw new Error('unknown method ' + method); return keytar[method](...args); })
      .then((value) => say({ id, value: value === undefined ? null : value }), (error) => say({ id, error: String(error && error.message || error) }));
  }
});
process.stdin.on('end', () => process.exit(0));
`;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export function keytarInHelperProcess(): KeytarApi {
  let helper: { child: Helper; ready: Promise<void> } | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 1;

  function start(): NonNullable<typeof helper> {
    // Resolved here, so a CLI copied away from its node_modules (into the n8n container) says "Cannot find module".
    const keytarPath = createRequire(resolutionBase()).resolve('@github/keytar');
    const child = spawn(process.execPath, ['-e', HELPER_SOURCE, keytarPath], { stdio: ['pipe', 'pipe', 'ignore'], env: process.env });
    let buffered = '';
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end; (end = buffered.indexOf('\n')) >= 0; ) {
        const message = parseLine(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        if (message.ready) markReady();
        else if (message.loadError !== undefined) failReady(new Error(message.loadError));
        else if (message.id !== undefined) settle(message.id, message.error === undefined ? { value: message.value } : { error: new Error(message.error) });
      }
    });
    // Writing to a helper that just died fails with EPIPE; its exit settles the requests instead.
    child.stdin.on('error', () => undefined);
    child.once('error', (error) => stopped(child, error));
    child.once('exit', (code, signal) => stopped(child, new Error(`the keychain helper process ended (${signal ?? `exit ${code}`})`)));
    return { child, ready };

    function stopped(which: Helper, error: Error): void {
      failReady(error);
      if (helper?.child !== which) return;
      helper = undefined;
      for (const id of [...pending.keys()]) settle(id, { error });
    }
  }

  function settle(id: number, outcome: { value: unknown } | { error: Error }): void {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if ('error' in outcome) waiting.reject(outcome.error);
    else waiting.resolve(outcome.value);
    holdProcessOpen(pending.size > 0);
  }

  /** An idle helper must not keep the CLI running; it exits by itself when our end of its stdin closes. */
  function holdProcessOpen(hold: boolean): void {
    const child = helper?.child;
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout] as Array<{ ref(): void; unref(): void }>) {
      if (hold) handle.ref();
      else handle.unref();
    }
  }

  async function request(method: Method, args: unknown[]): Promise<unknown> {
    const current = (helper ??= start());
    holdProcessOpen(true);
    try {
      await current.ready;
    } catch (error) {
      holdProcessOpen(pending.size > 0);
      throw error;
    }
    const id = nextId++;
    const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
    current.child.stdin.write(`${JSON.stringify({ id, method, args })}\n`);
    return answer;
  }

  return {
    getPassword: (service, account) => request('getPassword', [service, account]) as Promise<string | null>,
    setPassword: (service, account, password) => request('setPassword', [service, account, password]) as Promise<void>,
    deletePassword: (service, account) => request('deletePassword', [service, account]) as Promise<boolean>,
    findCredentials: (service) => request('findCredentials', [service]) as Promise<Array<{ account: string; password: string }>>,
    abandon() {
      if (!helper) return;
      // Forgotten at once, so the next call starts a fresh helper instead of writing to this dying one.
      const { child } = helper;
      helper = undefined;
      child.kill('SIGKILL');
      for (const id of [...pending.keys()]) settle(id, { error: new Error('abandoned at the deadline') });
    },
  };
}

type HelperMessage = { ready?: true; loadError?: string; id?: number; value?: unknown; error?: string };

/** Only the helper's own JSON lines count; anything else a native library prints there is ignored. */
function parseLine(line: string): HelperMessage {
  try {
    const message: unknown = JSON.parse(line);
    return message && typeof message === 'object' ? (message as HelperMessage) : {};
  } catch {
    return {};
  }
}

/** Where the running CLI lives (bin/ or dist/ of the installed package), following npm's bin symlink. */
function resolutionBase(): string {
  const script = process.argv[1];
  try {
    if (script) return realpathSync(script);
  } catch {
    // a script name that is not a file (node -e): resolve from the working folder instead
  }
  return join(process.cwd(), 'n8n-setup');
}
