/**
 * Secrets held only by this process: "use this secret for this run only". Nothing touches a disk or the
 * keychain; the values are gone when the process ends. Tests use it as the keychain's stand-in.
 */
import { isAppAccount } from './secret-accounts.js';
import type { SecretStore } from './secret-store.js';

export const MEMORY_BACKEND = 'memory (this run only)';

export function createMemorySecretStore(): SecretStore {
  const entries = new Map<string, string>();
  return {
    backend: MEMORY_BACKEND,
    async set(account, entry) {
      entries.set(account, entry);
    },
    async get(account) {
      return entries.get(account);
    },
    async delete(account) {
      return entries.delete(account);
    },
    async list() {
      return [...entries.keys()].filter(isAppAccount).sort();
    },
    async status() {
      return { available: true, backend: MEMORY_BACKEND };
    },
  };
}
