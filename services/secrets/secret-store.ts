/**
 * The port every secret goes through. Accounts are the names from secret-accounts.ts; the service is fixed.
 * An entry is the text stored under an account: the secret with its server (secret-envelope.ts).
 * Adapters: the OS keychain (keytar-secret-store.ts) and memory, for "use this secret for this run only".
 * Every failure is a SetupError; no adapter ever falls back to a file.
 */
import type { SetupErrorData } from '../../shared/errors.js';

export interface SecretStore {
  /** For messages: "the macOS Keychain", "memory (this run only)". */
  readonly backend: string;
  set(account: string, entry: string): Promise<void>;
  /** undefined: nothing is stored under this account (never "could not tell": that is an error). */
  get(account: string): Promise<string | undefined>;
  /** true when an entry was removed. */
  delete(account: string): Promise<boolean>;
  /** This app's accounts, sorted; entries of other apps and foreign names under our service are left out. */
  list(): Promise<string[]>;
  /** Whether the store can be used right now, and if not, the typed error saying why and what to do. */
  status(): Promise<SecretStoreStatus>;
}

export type SecretStoreStatus = { available: true; backend: string } | { available: false; backend: string; error: SetupErrorData };
