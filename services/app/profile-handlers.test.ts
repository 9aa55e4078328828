import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const profile = (name: string): Profile => ({
  version: 1,
  name,
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
  url: { public: `https://${name}.example.com/` },
});

describe('profile channels', () => {
  let app: AppUnderTest;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(() => app.remove());
  const call = (channel: 'listProfiles' | 'loadProfile' | 'saveProfile' | 'deleteProfile' | 'renameProfile', request: unknown) => app.table[channel](request, app.context);

  it('saves, lists and loads a profile as a private JSON file in the data folder', async () => {
    expect(await call('saveProfile', { profile: profile('prod') })).toEqual({ ok: true, data: { name: 'prod' } });
    const file = join(app.services.dataFolder, 'profiles', 'prod.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await call('loadProfile', { name: 'prod' })).toEqual({ ok: true, data: { profile: profile('prod') } });
    const listed = await call('listProfiles', {});
    expect(listed).toMatchObject({ ok: true, data: { profiles: [{ name: 'prod', publicUrl: 'https://prod.example.com/', emailMode: 'smtp' }], folder: join(app.services.dataFolder, 'profiles') } });
    expect(await readdir(join(app.services.dataFolder, 'profiles'))).toEqual(['prod.json']);
  });

  it('saves a profile without a name as "default"', async () => {
    const { name: _name, ...unnamed } = profile('x');
    expect(await call('saveProfile', { profile: unnamed })).toEqual({ ok: true, data: { name: 'default' } });
  });

  it('refuses an invalid profile with the field and the fix, and writes nothing', async () => {
    const result = await call('saveProfile', { profile: { ...profile('prod'), email: { ...profile('prod').email, port: 70000 } } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PROFILE', field: 'email.port', fix: expect.any(String) } });
    expect(await call('listProfiles', {})).toMatchObject({ ok: true, data: { profiles: [] } });
  });

  it('lists a hand-broken file with its problem instead of hiding it', async () => {
    await call('saveProfile', { profile: profile('good') });
    await writeFile(join(app.services.dataFolder, 'profiles', 'broken.json'), '{"version": 1,');
    await writeFile(join(app.services.dataFolder, 'profiles', 'prod.json.20250101T000000000Z.bak'), '{}');
    const listed = await app.table.listProfiles({}, app.context);
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.data.profiles.map((p) => [p.name, p.problem?.code])).toEqual(expect.arrayContaining([['good', undefined], ['broken', 'INVALID_PROFILE']]));
    expect(listed.data.profiles).toHaveLength(2);
    expect(await call('loadProfile', { name: 'broken' })).toMatchObject({ ok: false, error: { code: 'INVALID_PROFILE' } });
  });

  it('renames a profile, its name inside and its keychain entries', async () => {
    await call('saveProfile', { profile: profile('old') });
    await app.secrets.set('old/smtp-password', 's3cret');
    expect(await call('renameProfile', { from: 'old', to: 'new' })).toEqual({ ok: true, data: { name: 'new', secrets: { outcome: 'moved' } } });
    expect(await call('loadProfile', { name: 'new' })).toEqual({ ok: true, data: { profile: { ...profile('old'), name: 'new' } } });
    expect(await call('loadProfile', { name: 'old' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
    expect(await app.secrets.list()).toEqual(['new/smtp-password']);
  });

  it('refuses a rename onto an existing profile, or onto differing keychain entries, changing nothing', async () => {
    await call('saveProfile', { profile: profile('a') });
    await call('saveProfile', { profile: profile('b') });
    expect(await call('renameProfile', { from: 'a', to: 'b' })).toMatchObject({ ok: false, error: { code: 'PROFILE_EXISTS', field: 'to' } });
    await app.secrets.set('a/smtp-password', 'one');
    await app.secrets.set('c/smtp-password', 'two');
    expect(await call('renameProfile', { from: 'a', to: 'c' })).toMatchObject({ ok: false, error: { code: 'SECRET_CONFLICT' } });
    expect(await call('loadProfile', { name: 'a' })).toMatchObject({ ok: true });
    expect(await app.secrets.list()).toEqual(['a/smtp-password', 'c/smtp-password']);
  });

  it('deletes a profile and its keychain entries', async () => {
    await call('saveProfile', { profile: profile('gone') });
    await app.secrets.set('gone/smtp-password', 'x');
    await app.secrets.set('kept/smtp-password', 'y');
    expect(await call('deleteProfile', { name: 'gone' })).toEqual({ ok: true, data: { name: 'gone', secrets: { outcome: 'deleted' } } });
    expect(await app.secrets.list()).toEqual(['kept/smtp-password']);
    expect(await call('deleteProfile', { name: 'gone' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('still deletes the profile when the keychain cannot be used, and says its entries stayed', async () => {
    const locked: SecretStore = {
      ...app.secrets,
      delete: async () => {
        throw new SetupError({ code: 'KEYCHAIN_LOCKED', message: 'The keyring is locked.' });
      },
    };
    const other = await createAppUnderTest({ secretStore: async () => locked });
    try {
      await other.table.saveProfile({ profile: profile('p') }, other.context);
      expect(await other.table.deleteProfile({ name: 'p' }, other.context)).toEqual({ ok: true, data: { name: 'p', secrets: { outcome: 'failed', error: { code: 'KEYCHAIN_LOCKED', message: 'The keyring is locked.' } } } });
      expect(await other.table.listProfiles({}, other.context)).toMatchObject({ ok: true, data: { profiles: [] } });
    } finally {
      await other.remove();
    }
  });
});
