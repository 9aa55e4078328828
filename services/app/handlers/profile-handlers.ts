import type { SetupErrorData } from '../../../shared/errors.js';
import { isKeychainError } from '../../secrets/keychain-errors.js';
import { deleteProfileSecrets, renameProfileSecrets } from '../../secrets/profile-secrets.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';

type Channels = 'listProfiles' | 'loadProfile' | 'saveProfile' | 'deleteProfile' | 'renameProfile';

export function profileHandlers(services: AppServices): HandlerGroup<Channels> {
  const { profiles } = services;
  return {
    listProfiles: async () => ({ profiles: await profiles.list(), folder: profiles.folder }),
    loadProfile: async ({ name }) => ({ profile: await profiles.load(name) }),
    saveProfile: async ({ profile }) => ({ name: await profiles.save(profile) }),
    deleteProfile: async ({ name }) => {
      await profiles.delete(name);
      // The profile is gone either way; a keychain that cannot be reached now keeps its entries, said plainly.
      try {
        const deleted = await deleteProfileSecrets(await services.secretStore(), name);
        return { name, secrets: { outcome: deleted.length ? 'deleted' : 'none' } };
      } catch (error) {
        if (!isKeychainError(error)) throw error;
        return { name, secrets: { outcome: 'failed', error: error.toJSON() } };
      }
    },
    renameProfile: async ({ from, to }) => {
      await profiles.checkRenamable(from, to);
      let secrets: { outcome: 'moved' | 'none' | 'failed'; error?: SetupErrorData };
      try {
        // Before the file: a conflicting entry under the new name stops the rename with nothing changed.
        const moved = await renameProfileSecrets(await services.secretStore(), from, to);
        secrets = { outcome: moved.length ? 'moved' : 'none' };
      } catch (error) {
        if (!isKeychainError(error)) throw error;
        secrets = { outcome: 'failed', error: error.toJSON() };
      }
      await profiles.rename(from, to);
      return { name: to, secrets };
    },
  };
}
