import { describe, expect, it } from 'vitest';
import { loadProfile } from '../profile/read-profile-file.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import { deleteProfileSecrets, forgetAllSecrets, profileSecretStatus, readProfileSecrets, renameProfileSecrets, storeProfileSecret } from './profile-secrets.js';

const smtp = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', sender: 'n8n@example.com' };
const url = { public: 'https://n8n.example.com/' };

function profile(name: string | undefined, auth: unknown) {
  return loadProfile({ version: 1, ...(name && { name }), email: { ...smtp, auth }, url }, '/').resolved;
}

describe('profile secrets in a SecretStore', () => {
  it('reads what the profile needs under "<name>/smtp-password", with "default" for an unnamed profile', async () => {
    const store = createMemorySecretStore();
    await store.set('default/smtp-password', 'pw-default');
    await store.set('default/oauth-private-key', 'unused key');
    expect(await readProfileSecrets(store, profile(undefined, { type: 'password', user: 'u' }))).toEqual({ N8N_SMTP_PASS: 'pw-default' });
  });

  it('leaves out a secret given on the command line and one not stored', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', 'stored');
    const prod = profile('prod', { type: 'password', user: 'u' });
    expect(await readProfileSecrets(store, prod, { N8N_SMTP_PASS: 'given' })).toEqual({});
    expect(await readProfileSecrets(store, profile('other', { type: 'password', user: 'u' }))).toEqual({});
  });

  it('reads the private key for a Google service-account profile', async () => {
    const store = createMemorySecretStore();
    await storeProfileSecret(store, 'gsa', 'oauth-private-key', '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(await readProfileSecrets(store, profile('gsa', { type: 'google-service-account', user: 'a@example.com', serviceClient: '123' }))).toEqual({
      N8N_SMTP_OAUTH_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
    });
  });

  it('reports each kind as stored or not and whether the profile uses it', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', 'pw');
    expect(await profileSecretStatus(store, profile('prod', { type: 'password', user: 'u' }))).toEqual([
      { kind: 'smtp-password', account: 'prod/smtp-password', stored: true, needed: true },
      { kind: 'oauth-private-key', account: 'prod/oauth-private-key', stored: false, needed: false },
    ]);
  });

  it('renaming a profile moves its entries and leaves other profiles alone', async () => {
    const store = createMemorySecretStore();
    await store.set('old/smtp-password', 'pw');
    await store.set('old/oauth-private-key', 'key');
    await store.set('bystander/smtp-password', 'other');
    expect(await renameProfileSecrets(store, 'old', 'new')).toEqual(['smtp-password', 'oauth-private-key']);
    expect(await store.list()).toEqual(['bystander/smtp-password', 'new/oauth-private-key', 'new/smtp-password']);
    expect(await store.get('new/smtp-password')).toBe('pw');
  });

  it('refuses a rename onto a different stored secret and moves nothing', async () => {
    const store = createMemorySecretStore();
    await store.set('a/smtp-password', 'pw-a');
    await store.set('a/oauth-private-key', 'key-a');
    await store.set('b/oauth-private-key', 'key-b');
    await expect(renameProfileSecrets(store, 'a', 'b')).rejects.toMatchObject({ code: 'SECRET_CONFLICT', message: expect.stringMatching(/service-account private key of profile "b" is already stored/) });
    expect(await store.list()).toEqual(['a/oauth-private-key', 'a/smtp-password', 'b/oauth-private-key']);
  });

  it('finishes a rename that was interrupted after the copy (the same value under both names)', async () => {
    const store = createMemorySecretStore();
    await store.set('a/smtp-password', 'pw');
    await store.set('b/smtp-password', 'pw');
    await renameProfileSecrets(store, 'a', 'b');
    expect(await store.list()).toEqual(['b/smtp-password']);
  });

  it('deleting a profile deletes its entries and says which were stored', async () => {
    const store = createMemorySecretStore();
    await store.set('gone/smtp-password', 'pw');
    await store.set('kept/smtp-password', 'pw');
    expect(await deleteProfileSecrets(store, 'gone')).toEqual(['smtp-password']);
    expect(await deleteProfileSecrets(store, 'gone')).toEqual([]);
    expect(await store.list()).toEqual(['kept/smtp-password']);
  });

  it('"forget all secrets" removes every entry of every profile', async () => {
    const store = createMemorySecretStore();
    await store.set('a/smtp-password', '1');
    await store.set('b/oauth-private-key', '2');
    expect(await forgetAllSecrets(store)).toEqual(['a/smtp-password', 'b/oauth-private-key']);
    expect(await store.list()).toEqual([]);
  });
});
