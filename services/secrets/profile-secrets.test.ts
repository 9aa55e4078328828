import { describe, expect, it } from 'vitest';
import { loadProfile } from '../profile/read-profile-file.js';
import { createMemorySecretStore } from './memory-secret-store.js';
import { deleteProfileSecrets, forgetAllSecrets, profileSecretStatus, readProfileSecrets, renameProfileSecrets, storeProfileSecret } from './profile-secrets.js';

const smtp = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', sender: 'n8n@example.com' };
const url = { public: 'https://n8n.example.com/' };

function profile(name: string | undefined, auth: unknown) {
  return loadProfile({ version: 1, ...(name && { name }), email: { ...smtp, auth }, url }, '/').resolved;
}

const HOME = { host: 'smtp.example.com', port: 587, user: 'u' };
const entry = (secret: string, endpoint = HOME) => JSON.stringify({ v: 1, ...endpoint, secret });

describe('profile secrets in a SecretStore', () => {
  it('reads what the profile needs under "<name>/smtp-password", with "default" for an unnamed profile', async () => {
    const store = createMemorySecretStore();
    await store.set('default/smtp-password', entry('pw-default'));
    await store.set('default/oauth-private-key', entry('unused key'));
    expect(await readProfileSecrets(store, profile(undefined, { type: 'password', user: 'u' }))).toEqual({ secrets: { N8N_SMTP_PASS: 'pw-default' }, unbound: [] });
  });

  it('leaves out a secret given on the command line and one not stored', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', 'stored, and bound to no server: never even decoded');
    const prod = profile('prod', { type: 'password', user: 'u' });
    expect(await readProfileSecrets(store, prod, { N8N_SMTP_PASS: 'given' })).toEqual({ secrets: {}, unbound: [] });
    expect(await readProfileSecrets(store, profile('other', { type: 'password', user: 'u' }))).toEqual({ secrets: {}, unbound: [] });
  });

  it('stores the secret with the server it is for, and reads the private key back for a Google service-account profile', async () => {
    const store = createMemorySecretStore();
    const key = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----';
    await storeProfileSecret(store, 'gsa', 'oauth-private-key', key, { ...HOME, user: 'a@example.com' });
    expect(JSON.parse((await store.get('gsa/oauth-private-key')) ?? '')).toEqual({ v: 1, host: 'smtp.example.com', port: 587, user: 'a@example.com', secret: key });
    expect((await readProfileSecrets(store, profile('gsa', { type: 'google-service-account', user: 'a@example.com', serviceClient: '123' }))).secrets).toEqual({ N8N_SMTP_OAUTH_PRIVATE_KEY: key });
  });

  it('refuses an empty secret and one with a NUL character before storing anything', async () => {
    const store = createMemorySecretStore();
    await expect(storeProfileSecret(store, 'p', 'smtp-password', '', HOME)).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'password' });
    await expect(storeProfileSecret(store, 'p', 'oauth-private-key', 'a\0b', HOME)).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'privateKey', message: expect.stringMatching(/NUL character/) });
    expect(await store.list()).toEqual([]);
  });

  it.each([
    ['another host', { host: 'smtp.elsewhere.example' }, 'email.host'],
    ['another port', { port: 25 }, 'email.port'],
    ['another user', { user: 'someone-else' }, 'email.auth.user'],
  ])('refuses a secret stored for %s with SECRET_ENDPOINT_CHANGED naming both servers and the field', async (_name, change, field) => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', entry('S3cret-sentinel', { ...HOME, ...change }));
    const error = await readProfileSecrets(store, profile('prod', { type: 'password', user: 'u' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SECRET_ENDPOINT_CHANGED', field, message: expect.stringMatching(/^The SMTP password of profile "prod" belongs to .* but this profile would send it to smtp\.example\.com:587 \(user "u"\)\. It was not used\.$/) });
    expect(JSON.stringify(error)).not.toContain('S3cret-sentinel');
  });

  it('takes a host name in another case as the same server', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', entry('pw', { ...HOME, host: 'SMTP.Example.COM' }));
    expect(await readProfileSecrets(store, profile('prod', { type: 'password', user: 'u' }))).toEqual({ secrets: { N8N_SMTP_PASS: 'pw' }, unbound: [] });
  });

  it('with secretForNewServer, uses a secret of another server, or a bare one from an earlier version, and lists it to bind', async () => {
    const store = createMemorySecretStore();
    await store.set('moved/smtp-password', entry('pw-moved', { ...HOME, host: 'old.example.com' }));
    await store.set('legacy/smtp-password', 'pw-legacy');
    const consent = { secretForNewServer: true };
    expect(await readProfileSecrets(store, profile('moved', { type: 'password', user: 'u' }), {}, consent)).toEqual({ secrets: { N8N_SMTP_PASS: 'pw-moved' }, unbound: [{ kind: 'smtp-password', secret: 'pw-moved' }] });
    expect(await readProfileSecrets(store, profile('legacy', { type: 'password', user: 'u' }), {}, consent)).toEqual({ secrets: { N8N_SMTP_PASS: 'pw-legacy' }, unbound: [{ kind: 'smtp-password', secret: 'pw-legacy' }] });
    await expect(readProfileSecrets(store, profile('legacy', { type: 'password', user: 'u' }))).rejects.toMatchObject({ code: 'SECRET_ENDPOINT_CHANGED', message: expect.stringMatching(/was stored without the server it belongs to/) });
  });

  it('refuses an envelope of a newer format instead of sending its text as the password', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', JSON.stringify({ v: 2, secret: 'pw', endpoints: [] }));
    await expect(readProfileSecrets(store, profile('prod', { type: 'password', user: 'u' }), {}, { secretForNewServer: true })).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
  });

  it('reports each kind as stored or not, whether the profile uses it, and the server it is bound to', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', entry('pw'));
    await store.set('prod/oauth-private-key', 'bare key of an earlier version');
    expect(await profileSecretStatus(store, profile('prod', { type: 'password', user: 'u' }))).toEqual([
      { kind: 'smtp-password', account: 'prod/smtp-password', stored: true, boundTo: HOME, needed: true, matchesProfile: true },
      { kind: 'oauth-private-key', account: 'prod/oauth-private-key', stored: true, needed: false, matchesProfile: false },
    ]);
    await store.set('prod/smtp-password', entry('pw', { ...HOME, port: 465 }));
    expect((await profileSecretStatus(store, profile('prod', { type: 'password', user: 'u' })))[0]).toMatchObject({ boundTo: { port: 465 }, matchesProfile: false });
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
