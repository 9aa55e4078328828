/**
 * Test support: the real keytar adapter on a machine with no D-Bus session, as over SSH. Every call fails
 * with the text libsecret gives there, so callers see exactly the typed error they would see for real.
 * Not imported by product code.
 */
import { createKeytarSecretStore, type KeytarApi } from '../keytar-secret-store.js';
import type { SecretStore } from '../secret-store.js';

export function keychainWithoutDbus(): { store: SecretStore; calls: () => number } {
  let calls = 0;
  const fail = async (): Promise<never> => {
    calls++;
    throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
  };
  const keytar: KeytarApi = { getPassword: fail, setPassword: fail, deletePassword: fail, findCredentials: fail };
  return { store: createKeytarSecretStore({ platform: 'linux', loadKeytar: async () => keytar }), calls: () => calls };
}
