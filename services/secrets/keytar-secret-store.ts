/**
 * The OS keychain through @github/keytar: macOS Keychain, Windows Credential Manager, Secret Service
 * (libsecret over D-Bus) elsewhere. keytar is loaded on first use, inside try/catch, so a missing module or
 * libsecret becomes "keychain unavailable" and every command that needs no keychain still runs; the CLI
 * runs it in a helper process (keytar-helper-process.ts). Every call has a deadline; every failure is a
 * typed error (keychain-errors.ts). Nothing here ever writes a file.
 */
import { createCallGuard, DeadlineExceeded, KEYCHAIN_DEADLINE_MS } from './keychain-deadline.js';
import { classifyKeychainError, isKeychainError, keychainError, type KeychainCause } from './keychain-errors.js';
import { keytarInHelperProcess } from './keytar-helper-process.js';
import { describeSecret, isAppAccount, KEYCHAIN_SERVICE, parseSecretAccount, sshKeyOfAccount, type SecretKind } from './secret-accounts.js';
import type { SecretStore } from './secret-store.js';
import { checkEntrySize } from './storable-secret.js';

/** The part of @github/keytar this adapter uses. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  /** Ends calls that missed their deadline, where that is possible (keytar-helper-process.ts). */
  abandon?(): void;
}

export interface KeytarStoreOptions {
  /** Per keychain call; tests shorten it to show KEYCHAIN_TIMEOUT against a stopped keyring daemon. */
  deadlineMs?: number;
  /** Chooses the size limit, the lock check and the wording; tests pretend to be another platform. */
  platform?: NodeJS.Platform;
  /** Tests hand in a fake keytar; the default imports the real one, in this process, on first use. */
  loadKeytar?: () => Promise<KeytarApi>;
}

/** Written and removed again to learn whether the keyring is unlocked; not a secret account, so never listed. */
const UNLOCK_CHECK_ACCOUNT = '.unlock-check';

export function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'the Secret Service keyring';
}

export function createKeytarSecretStore(options: KeytarStoreOptions = {}): SecretStore {
  const platform = options.platform ?? process.platform;
  const deadlineMs = options.deadlineMs ?? KEYCHAIN_DEADLINE_MS;
  const backend = keychainName(platform);
  const guard = createCallGuard(deadlineMs);
  const loader = options.loadKeytar ?? importKeytar;
  let loading: Promise<KeytarApi> | undefined;
  // libsecret answers "nothing stored" when the keyring is locked, and keytar's findCredentials crashes the
  // process on locked items: on the Secret Service an empty answer counts only after checkUnlocked().
  const secretService = platform !== 'darwin' && platform !== 'win32';

  async function call<T>(failed: string, kind: SecretKind | undefined, run: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    const fail = (cause: KeychainCause, backendText?: string, error?: unknown) =>
      keychainError({ ...cause, failed, platform, ...(kind && { kind }), ...(backendText && { backendText }) }, { cause: error });
    if (guard.lateCalls > 0) throw fail({ code: 'KEYCHAIN_TIMEOUT', cause: 'it has still not answered an earlier request, so no new one is sent' });
    let keytar: KeytarApi;
    try {
      keytar = await (loading ??= loader());
    } catch (error) {
      throw fail(classifyKeychainError(messageOf(error)), messageOf(error), error);
    }
    try {
      return await guard.run(() => run(keytar), keytar.abandon?.bind(keytar));
    } catch (error) {
      if (error instanceof DeadlineExceeded) {
        throw fail({ code: 'KEYCHAIN_TIMEOUT', cause: `it did not answer within ${deadlineMs / 1000} s: a password or access prompt may be waiting on the desktop, or the keyring service hangs` }, undefined, error);
      }
      throw fail(classifyKeychainError(messageOf(error)), messageOf(error), error);
    }
  }

  async function checkUnlocked(failed: string, kind?: SecretKind): Promise<void> {
    await call(failed, kind, (k) => k.setPassword(KEYCHAIN_SERVICE, UNLOCK_CHECK_ACCOUNT, 'n8n-setup checks that the keyring is unlocked'));
    await call(failed, kind, (k) => k.deletePassword(KEYCHAIN_SERVICE, UNLOCK_CHECK_ACCOUNT));
  }

  return {
    backend,
    async set(account, entry) {
      checkEntrySize(account, entry, platform);
      await call(`Cannot store ${describe(account)} in ${backend}`, kindOf(account), (k) => k.setPassword(KEYCHAIN_SERVICE, account, entry));
    },
    async get(account) {
      const failed = `Cannot read ${describe(account)} from ${backend}`;
      const entry = await call(failed, kindOf(account), (k) => k.getPassword(KEYCHAIN_SERVICE, account));
      if (entry === null && secretService) await checkUnlocked(failed, kindOf(account));
      return entry ?? undefined;
    },
    async delete(account) {
      const failed = `Cannot delete ${describe(account)} from ${backend}`;
      const deleted = await call(failed, kindOf(account), (k) => k.deletePassword(KEYCHAIN_SERVICE, account));
      if (!deleted && secretService) await checkUnlocked(failed, kindOf(account));
      return deleted;
    },
    async list() {
      const failed = `Cannot list the entries of ${KEYCHAIN_SERVICE} in ${backend}`;
      if (secretService) await checkUnlocked(failed);
      // Windows matches the service as a prefix ("n8n-setup*"); the account filter keeps only our names.
      const credentials = await call(failed, undefined, (k) => k.findCredentials(KEYCHAIN_SERVICE));
      return credentials.map((c) => c.account).filter(isAppAccount).sort();
    },
    async status() {
      const failed = `Cannot use ${backend}`;
      try {
        if (secretService) await checkUnlocked(failed);
        else await call(failed, undefined, (k) => k.getPassword(KEYCHAIN_SERVICE, UNLOCK_CHECK_ACCOUNT));
        return { available: true, backend };
      } catch (error) {
        if (!isKeychainError(error)) throw error;
        return { available: false, backend, error: error.toJSON() };
      }
    },
  };
}

let system: SecretStore | undefined;

/**
 * The OS keychain: one store per process, so the late-call guard sees every call. Plain Node (the CLI)
 * talks to keytar through a helper process the deadline can end; Electron, which has no `node -e`, in-process.
 */
export function systemSecretStore(): SecretStore {
  return (system ??= createKeytarSecretStore(process.versions.electron ? {} : { loadKeytar: async () => keytarInHelperProcess() }));
}

async function importKeytar(): Promise<KeytarApi> {
  // A dynamic import, so nothing loads the native module before a command needs it; the CLI bundle keeps
  // it external (scripts/build-cli.mjs), and where it is absent this rejects with "Cannot find package".
  const module = (await import('@github/keytar')) as unknown as KeytarApi & { default?: KeytarApi };
  return module.default ?? module;
}

function describe(account: string): string {
  const parsed = parseSecretAccount(account);
  const key = sshKeyOfAccount(account);
  return parsed ? describeSecret(parsed.profileName, parsed.kind) : key ? `the passphrase of the SSH key ${key}` : `the entry "${account}"`;
}

function kindOf(account: string): SecretKind | undefined {
  return parseSecretAccount(account)?.kind;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
