import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const SERVER = { host: 'smtp.example.com', port: 587, user: 'apikey' };

describe('secret channels', () => {
  let app: AppUnderTest;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(() => app.remove());

  it('setSecret stores the secret bound to the server it is for, and secretStatus says which server, never the secret', async () => {
    expect(await app.table.setSecret({ profileName: 'wizard', kind: 'smtp-password', value: 'S3cret-sentinel', endpoint: SERVER }, app.context)).toEqual({
      ok: true,
      data: { account: 'wizard/smtp-password', backend: 'memory (this run only)' },
    });
    expect(JSON.parse((await app.secrets.get('wizard/smtp-password')) ?? '')).toEqual({ v: 1, ...SERVER, secret: 'S3cret-sentinel' });
    const status = await app.table.secretStatus({ profileName: 'wizard' }, app.context);
    expect(status).toEqual({
      ok: true,
      data: {
        keychain: { available: true, backend: 'memory (this run only)' },
        secrets: [
          { kind: 'smtp-password', account: 'wizard/smtp-password', stored: true, boundTo: SERVER },
          { kind: 'oauth-private-key', account: 'wizard/oauth-private-key', stored: false },
        ],
      },
    });
    expect(JSON.stringify(status)).not.toContain('S3cret-sentinel');
  });

  it('setSecret without the server it is for is invalid input, and stores nothing', async () => {
    expect(await app.table.setSecret({ profileName: 'wizard', kind: 'smtp-password', value: 'pw' }, app.context)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'endpoint' } });
    expect(await app.secrets.list()).toEqual([]);
  });

  it('secretStatus shows a bare value of an earlier version as stored, bound to no server', async () => {
    await app.secrets.set('wizard/smtp-password', 'legacy');
    expect(await app.table.secretStatus({ profileName: 'wizard' }, app.context)).toMatchObject({ ok: true, data: { secrets: [{ kind: 'smtp-password', stored: true }, { stored: false }] } });
    const status = await app.table.secretStatus({ profileName: 'wizard' }, app.context);
    expect(status.ok && status.data.secrets[0]).not.toHaveProperty('boundTo');
  });
});
