import { normalizeSecretValue } from '../../../shared/export/secret-value-rules.js';
import { SECRET_KIND_NAMES, secretVariableOfKind } from '../../../shared/n8n/n8n-variables.js';
import { deleteProfileSecrets, forgetAllSecrets, storedSecretStates, storeProfileSecret } from '../../secrets/profile-secrets.js';
import { secretAccount } from '../../secrets/secret-accounts.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';

type Channels = 'secretStatus' | 'setSecret' | 'deleteSecret' | 'sessionSecrets' | 'forgetSessionSecrets' | 'forgetAllSecrets';

export function secretHandlers(services: AppServices): HandlerGroup<Channels> {
  return {
    secretStatus: async ({ profileName }) => {
      const store = await services.secretStore();
      const status = await store.status();
      if (!status.available) return { keychain: status, secrets: [] };
      return { keychain: status, secrets: await storedSecretStates(store, profileName) };
    },
    setSecret: async ({ profileName, kind, value, endpoint }) => {
      const store = await services.secretStore();
      // The rules export applies: a password n8n would alter is refused now, not after it was stored.
      const secret = normalizeSecretValue(secretVariableOfKind(kind), value);
      return { account: await storeProfileSecret(store, profileName, kind, secret, endpoint), backend: store.backend };
    },
    deleteSecret: async ({ profileName, kind }) => {
      const store = await services.secretStore();
      if (!kind) return { deleted: await deleteProfileSecrets(store, profileName) };
      return { deleted: (await store.delete(secretAccount(profileName, kind))) ? [kind] : [] };
    },
    sessionSecrets: async ({ endpoint }) => ({ held: services.sessionSecrets.heldFor(endpoint, SECRET_KIND_NAMES) }),
    forgetSessionSecrets: async () => ({ forgotten: services.sessionSecrets.forget() }),
    forgetAllSecrets: async () => ({ accounts: await forgetAllSecrets(await services.secretStore()) }),
  };
}
