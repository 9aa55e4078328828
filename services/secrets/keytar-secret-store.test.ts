import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import { createKeytarSecretStore, type KeytarApi } from './keytar-secret-store.js';
import { storeProfileSecret } from './profile-secrets.js';

/**
 * The adapter against a fake keytar that behaves like libsecret, the macOS Keychain or Windows would, so
 * the deadline, the size limits and the lock check are shown without a real keyring (test/keychain has
 * the same cases against gnome-keyring).
 */
interface FakeKeytar extends KeytarApi {
  entries: Map<string, string>;
  calls: string[];
}

function fakeKeytar(overrides: Partial<KeytarApi> = {}): FakeKeytar {
  const entries = new Map<string, string>();
  const calls: string[] = [];
  const key = (service: string, account: string) => `${service}\n${account}`;
  return {
    entries,
    calls,
    getPassword: async (service, account) => (calls.push(`get ${account}`), entries.get(key(service, account)) ?? null),
    setPassword: async (service, account, password) => void (calls.push(`set ${account}`), entries.set(key(service, account), password)),
    deletePassword: async (service, account) => (calls.push(`delete ${account}`), entries.delete(key(service, account))),
    findCredentials: async (service) => {
      calls.push('find');
      return [...entries].filter(([k]) => k.startsWith(`${service}\n`)).map(([k, password]) => ({ account: k.slice(service.length + 1), password }));
    },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<SetupError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SetupError);
  return error as SetupError;
}

describe('createKeytarSecretStore', () => {
  it('loads keytar on the first call, not when the store is created', async () => {
    let loads = 0;
    const keytar = fakeKeytar();
    const store = createKeytarSecretStore({ platform: 'darwin', loadKeytar: async () => (loads++, keytar) });
    expect(loads).toBe(0);
    await store.set('prod/smtp-password', 'pw');
    await store.get('prod/smtp-password');
    expect(loads).toBe(1);
  });

  it('turns a missing keytar module into KEYCHAIN_NO_PROVIDER, not a crash', async () => {
    const store = createKeytarSecretStore({
      platform: 'linux',
      loadKeytar: async () => {
        throw new Error("Cannot find package '@github/keytar' imported from /tmp/n8n-setup.cjs");
      },
    });
    const error = await failure(store.get('default/smtp-password'));
    expect(error.code).toBe('KEYCHAIN_NO_PROVIDER');
    expect(error.message).toMatch(/^Cannot read the SMTP password of profile "default" from the Secret Service keyring: this copy of n8n-setup has no keychain module/);
    expect(await store.status()).toMatchObject({ available: false, error: { code: 'KEYCHAIN_NO_PROVIDER' } });
  });

  it('answers KEYCHAIN_TIMEOUT at the deadline, refuses new calls while the late one is outstanding, and recovers after it settles', async () => {
    let finish: (value: string | null) => void = () => undefined;
    const keytar = fakeKeytar({ getPassword: () => new Promise((resolve) => (finish = resolve)) });
    const store = createKeytarSecretStore({ platform: 'darwin', deadlineMs: 50, loadKeytar: async () => keytar });

    const started = Date.now();
    const late = await failure(store.get('default/smtp-password'));
    expect(late.code).toBe('KEYCHAIN_TIMEOUT');
    expect(late.message).toMatch(/did not answer within 0\.05 s: a password or access prompt may be waiting/);
    expect(Date.now() - started).toBeLessThan(1000);

    const refused = await failure(store.set('default/smtp-password', 'pw'));
    expect(refused.code).toBe('KEYCHAIN_TIMEOUT');
    expect(refused.message).toMatch(/still not answered an earlier request/);
    expect(keytar.calls).not.toContain('set default/smtp-password');

    finish(null);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await store.set('default/smtp-password', 'pw');
    expect(keytar.calls).toContain('set default/smtp-password');
  });

  it('refuses an entry over 2,560 UTF-8 bytes on Windows before calling keytar, and stores 2,560', async () => {
    const keytar = fakeKeytar();
    const store = createKeytarSecretStore({ platform: 'win32', loadKeytar: async () => keytar });
    const error = await failure(store.set('default/oauth-private-key', `${'é'.repeat(1280)}x`));
    expect(error).toMatchObject({ code: 'INVALID_VALUE', field: 'privateKey' });
    expect(error.message).toBe(
      'The service-account private key, stored with the server it belongs to (host, port and user), takes 2561 bytes; Windows Credential Manager holds at most 2560 bytes per entry (CRED_MAX_CREDENTIAL_BLOB_SIZE). Nothing was stored.',
    );
    expect(keytar.calls).toEqual([]);
    await store.set('default/oauth-private-key', 'é'.repeat(1280));
    expect(await store.get('default/oauth-private-key')).toBe('é'.repeat(1280));
  });

  // Google issues RSA-2048 service-account keys: about 1,704 bytes of PEM, one byte more per line in JSON.
  it('on Windows, counts the envelope: an RSA-2048 key fits with the longest host and user, an RSA-3072 key (which fit alone) does not', async () => {
    const keytar = fakeKeytar();
    const store = createKeytarSecretStore({ platform: 'win32', loadKeytar: async () => keytar });
    const key = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const longest = { host: ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.'), port: 65535, user: `${'u'.repeat(64)}@${'e'.repeat(63)}.${'f'.repeat(63)}.${'g'.repeat(61)}` };
    await storeProfileSecret(store, 'gsa', 'oauth-private-key', key(2048), longest);
    const stored = (await store.get('gsa/oauth-private-key')) ?? '';
    expect(Buffer.byteLength(stored)).toBeGreaterThan(2200);
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(2560);

    const rsa3072 = key(3072);
    expect(Buffer.byteLength(rsa3072)).toBeLessThan(2560);
    const error = await failure(storeProfileSecret(store, 'big', 'oauth-private-key', rsa3072, { host: 'smtp.gmail.com', port: 587, user: 'n8n@example.com' }));
    expect(error).toMatchObject({ code: 'INVALID_VALUE', field: 'privateKey', message: expect.stringMatching(/^The service-account private key, stored with the server it belongs to \(host, port and user\), takes 26\d\d bytes; Windows Credential Manager holds at most 2560 bytes per entry/) });
    expect(error.fix).toMatch(/--private-key-file.*"deploy": \{"secrets": "file"\}/);
    expect(JSON.stringify(error.toJSON())).not.toContain('PRIVATE KEY');
    expect(keytar.calls.filter((c) => c.startsWith('set big/'))).toEqual([]);
  });

  it('has no size limit where the platform documents none', async () => {
    const store = createKeytarSecretStore({ platform: 'darwin', loadKeytar: async () => fakeKeytar() });
    await store.set('default/oauth-private-key', 'k'.repeat(100_000));
    expect(await store.get('default/oauth-private-key')).toHaveLength(100_000);
  });

  it('on the Secret Service, does not trust "nothing stored" from a locked keyring', async () => {
    const keytar = fakeKeytar({
      getPassword: async () => null,
      deletePassword: async () => false,
      setPassword: async () => {
        throw new Error('Cannot create an item in a locked collection');
      },
      findCredentials: async () => {
        throw new Error('keytar crashes the process here when items are locked; it must not be called');
      },
    });
    const store = createKeytarSecretStore({ platform: 'linux', loadKeytar: async () => keytar });
    for (const call of [store.get('default/smtp-password'), store.delete('default/smtp-password'), store.list()]) {
      const error = await failure(call);
      expect(error.code).toBe('KEYCHAIN_LOCKED');
      expect(error.message).toMatch(/the login keyring is locked/);
    }
    expect(await store.status()).toMatchObject({ available: false, error: { code: 'KEYCHAIN_LOCKED' } });
  });

  it('on the Secret Service, checks an empty answer with a write it removes again; elsewhere it needs none', async () => {
    const linux = fakeKeytar();
    expect(await createKeytarSecretStore({ platform: 'linux', loadKeytar: async () => linux }).get('default/smtp-password')).toBeUndefined();
    expect(linux.calls).toEqual(['get default/smtp-password', 'set .unlock-check', 'delete .unlock-check']);
    expect(linux.entries.size).toBe(0);

    const mac = fakeKeytar();
    expect(await createKeytarSecretStore({ platform: 'darwin', loadKeytar: async () => mac }).get('default/smtp-password')).toBeUndefined();
    expect(mac.calls).toEqual(['get default/smtp-password']);
  });

  it('lists only accounts that name a profile secret, sorted', async () => {
    const keytar = fakeKeytar();
    const store = createKeytarSecretStore({ platform: 'win32', loadKeytar: async () => keytar });
    keytar.entries.set('n8n-setup\nzeta/smtp-password', 'a');
    keytar.entries.set('n8n-setup\nalpha/oauth-private-key', 'b');
    keytar.entries.set('n8n-setup\nnotes', 'c');
    keytar.entries.set('n8n-setup\nalpha/api-token', 'd');
    keytar.entries.set('other-app\nalpha/smtp-password', 'e');
    expect(await store.list()).toEqual(['alpha/oauth-private-key', 'zeta/smtp-password']);
  });

  it('names the cause and the choices, and never the secret, when the backend fails', async () => {
    const keytar = fakeKeytar({
      setPassword: async () => {
        throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
      },
    });
    const store = createKeytarSecretStore({ platform: 'linux', loadKeytar: async () => keytar });
    const error = await failure(storeProfileSecret(store, 'prod', 'smtp-password', 'S3cret-sentinel', { host: 'smtp.example.com', port: 587, user: 'u' }));
    expect(error.toJSON()).toEqual({
      code: 'KEYCHAIN_NO_DBUS',
      message:
        'Cannot store the SMTP password of profile "prod" in the Secret Service keyring: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set, as usual over SSH, in cron and in containers). The keychain said: "Cannot autolaunch D-Bus without X11 $DISPLAY".',
      fix:
        'Choose one: use the secret for this run only — give it with --password-stdin, nothing is stored; or write it only into the exported secret file — set "deploy": {"secrets": "file"} in the profile and export with --password-stdin; or run it in a desktop session, which has a D-Bus session bus and a keyring, then run this again.',
    });
    expect(JSON.stringify(error.toJSON())).not.toContain('S3cret-sentinel');
  });
});
