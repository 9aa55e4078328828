/**
 * The app's API (the same handler table serves IPC and `serve`) refuses text that no variable or file can
 * carry — a NUL, a lone surrogate that JSON can spell — and saved files that are not UTF-8 or too large,
 * with the field and the fix; a value n8n would trim or unquote is refused for the reason n8n gives.
 */
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { INVALID_UTF8 } from '../../test/fixtures/invalid-utf8.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const profile: Profile = {
  version: 1,
  name: 'prod',
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
  url: { public: 'https://n8n.example.com/' },
};

const SERVER = { host: 'smtp.example.com', port: 587, user: 'apikey' };

describe("the app's API with text no file can carry", () => {
  let app: AppUnderTest;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(() => app.remove());

  it.for([
    ['a NUL', 'pa\0ss', /NUL character/],
    ['a lone surrogate', 'pa\ud800ss', /lone UTF-16 surrogate/],
  ] as const)('refuses a secret with %s before the keychain sees it', async ([, value, message]) => {
    const result = await app.table.setSecret({ profileName: 'prod', kind: 'smtp-password', value, endpoint: SERVER }, app.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'value', message: expect.stringMatching(message), fix: expect.any(String) } });
    expect(await app.secrets.get('prod/smtp-password')).toBeUndefined();
  });

  it('refuses a password n8n would unquote, and stores one whose quotes n8n keeps', async () => {
    const quoted = await app.table.setSecret({ profileName: 'prod', kind: 'smtp-password', value: "'hunter22'", endpoint: SERVER }, app.context);
    expect(quoted).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', field: 'password', message: expect.stringContaining('wrapped in matching single quotes, which n8n removes') } });
    expect(await app.table.setSecret({ profileName: 'prod', kind: 'smtp-password', value: "'hunter\n22'", endpoint: SERVER }, app.context)).toMatchObject({ ok: true });
    expect(JSON.parse((await app.secrets.get('prod/smtp-password')) ?? '')).toMatchObject({ secret: "'hunter\n22'" });
  });

  it('refuses run secrets with a NUL in an export request', async () => {
    const result = await app.table.previewExport({ profile, outDir: join(app.folder, 'out'), secrets: { 'smtp-password': 'a\0b' } }, app.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'secrets.smtp-password', message: expect.stringContaining('NUL') } });
  });

  it('refuses a profile with a NUL in a field, naming the field', async () => {
    const result = await app.table.saveProfile({ profile: { ...profile, email: { ...profile.email, auth: { type: 'password', user: 'api\0key' } } } }, app.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_PROFILE', field: 'email.auth.user', message: expect.stringContaining('NUL character') } });
  });

  it('refuses an uploaded template with a lone surrogate instead of writing U+FFFD', async () => {
    const result = await app.table.uploadTemplate({ profileName: 'prod', kind: 'invite', html: '<p>\udc00</p>' }, app.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'html' } });
  });

  it.for(INVALID_UTF8.slice(0, 7))('loads and lists a saved profile with %s as FILE_NOT_UTF8, never with U+FFFD', async ([, bytes]) => {
    await app.table.saveProfile({ profile }, app.context);
    const file = join(app.services.dataFolder, 'profiles', 'prod.json');
    await writeFile(file, Buffer.concat([Buffer.from(JSON.stringify(profile).replace('apikey', 'api')), Uint8Array.from(bytes)]));
    expect(await app.table.loadProfile({ name: 'prod' }, app.context)).toMatchObject({ ok: false, error: { code: 'FILE_NOT_UTF8', field: '(profile)', message: expect.stringContaining('The saved profile "prod" is not valid UTF-8 text (line 1)') } });
    expect(await app.table.listProfiles({}, app.context)).toMatchObject({ ok: true, data: { profiles: [{ name: 'prod', problem: { code: 'FILE_NOT_UTF8' } }] } });
  });

  it('refuses to import a 50 MB .env from its size', async () => {
    const envFile = join(app.folder, 'huge.env');
    await writeFile(envFile, '');
    await truncate(envFile, 50_000_000);
    const started = performance.now();
    const result = await app.table.importSetup({ envFile }, app.context);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE', field: 'env', message: expect.stringContaining(`The .env file ${envFile} is 47.7 MiB (50000000 bytes), over the 1 MiB`) } });
  });
});
