import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import { createChannelHandlers, type ChannelHandlers } from './channel-handlers.js';
import { callChannel, createHandlerTable } from './handler-table.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

describe('createHandlerTable', () => {
  let app: AppUnderTest;
  beforeAll(async () => void (app = await createAppUnderTest()));
  afterAll(() => app.remove());

  function tableWith(overrides: Partial<ChannelHandlers>) {
    return createHandlerTable({ ...createChannelHandlers(app.services), ...overrides });
  }

  it('answers a valid request with { ok: true, data }', async () => {
    expect(await app.table.appInfo({}, app.context)).toEqual({
      ok: true,
      data: { version: '9.9.9-test', transport: 'http', platform: process.platform, homeFolder: app.folder, dataFolder: app.services.dataFolder },
    });
  });

  it('refuses a malformed request before the handler runs', async () => {
    let ran = false;
    const table = tableWith({ loadProfile: async () => ((ran = true), { profile: { version: 1, email: { mode: 'none' }, url: { public: 'https://a.example' } } }) });
    expect(await table.loadProfile({ name: '../etc/passwd' }, app.context)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'name' } });
    expect(ran).toBe(false);
  });

  it('drops keys the reply schema does not name, so nothing extra leaves the services', async () => {
    const table = tableWith({ cancelSmtp: async () => ({ cancelled: true, password: 'hunter2' }) as { cancelled: boolean } });
    expect(await table.cancelSmtp({ runId: 'r1' }, app.context)).toEqual({ ok: true, data: { cancelled: true } });
  });

  it('refuses a reply outside the contract without repeating it', async () => {
    const table = tableWith({ cancelSmtp: async () => ({ cancelled: 'hunter2' }) as unknown as { cancelled: boolean } });
    const result = await table.cancelSmtp({ runId: 'r1' }, app.context);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REPLY' } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('turns a SetupError into its JSON and any other exception into UNEXPECTED, never throwing', async () => {
    const table = tableWith({
      clearDraft: async () => {
        throw new SetupError({ code: 'WRITE_READ_ONLY', message: 'read-only', field: 'draft', fix: 'remount' });
      },
      loadDraft: async () => {
        throw new TypeError('boom');
      },
    });
    expect(await table.clearDraft({}, app.context)).toEqual({ ok: false, error: { code: 'WRITE_READ_ONLY', message: 'read-only', field: 'draft', fix: 'remount' } });
    expect(await table.loadDraft({}, app.context)).toMatchObject({ ok: false, error: { code: 'UNEXPECTED', message: expect.stringContaining('boom') } });
  });

  it('answers an unknown channel name with a typed error', async () => {
    expect(await callChannel(app.table, 'deleteEverything', {}, app.context)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await callChannel(app.table, '__proto__', {}, app.context)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });
});
