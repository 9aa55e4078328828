import { normalizeSecretValue } from '../../../shared/export/secret-value-rules.js';
import { deleteProfileSecrets, forgetAllSecrets, storeProfileSecret } from '../../secrets/profile-secrets.js';
import { SECRET_KIND_NAMES, SECRET_KINDS, secretAccount } from '../../secrets/secret-accounts.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';

type Channels = 'secretStatus' | 'setSecret' | 'deleteSecret' | 'forgetAllSecrets';

export function secretHandlers(services: AppServices): HandlerGroup<Channels> {
  return {
    secretStatus: async ({ profileName }) => {
      const store = await services.secretStore();
      const status = await store.status();
      if (!status.available) return { keychain: status, secrets: [] };
      const secrets: Array<{ kind: (typeof SECRET_KIND_NAMES)[number]; account: string; stored: boolean }> = [];
      // One after the other: a locked keyring should show one unlock prompt, not two at once.
      for (const kind of SECRET_KIND_NAMES) {
        const account = secretAccount(profileName, kind);
        secrets.push({ kind, account, stored: (await store.get(account)) !== undefined });
      }
      return { keychain: status, secrets };
    },
    setSecret: async ({ profileName, kind, value }) => {
      const store = await services.secretStore();
      // The rules export applies: a password n8n would alter is refused now, not after it was stored.
      const secret = normalizeSecretValue(SECRET_KINDS[kind].variable, value);
      return { account: await storeProfileSecret(store, profileName, kind, secret), backend: store.backend };
    },
    deleteSecret: async ({ profileName, kind }) => {
      const store = await services.secretStore();
      if (!kind) return { deleted: await deleteProfileSecrets(store, profileName) };
      return { deleted: (await store.delete(secretAccount(profileName, kind))) ? [kind] : [] };
    },
    forgetAllSecrets: async () => ({ accounts: await forgetAllSecrets(await services.secretStore()) }),
  };
}
