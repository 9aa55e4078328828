import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, ipcChannel, type ChannelName } from '../../shared/ipc/channel-names.js';
import { CONTRACT } from '../../shared/ipc/contract.js';
import type { IpcResult } from '../../shared/ipc/ipc-result.js';
import { createHandlerTable, type HandlerTable } from '../../services/app/handler-table.js';
import { createChannelHandlers } from '../../services/app/channel-handlers.js';
import { createAppUnderTest, type AppUnderTest } from '../../services/app/test-support/app-under-test.js';
import { registerIpcHandlers, type SenderEvent } from './ipc-bridge.js';

type Listener = (event: SenderEvent, ...args: unknown[]) => Promise<IpcResult<unknown>>;

/** A fake ipcMain: records handle() registrations so the test can invoke them as Electron would. */
function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return { handlers, ipcMain: { handle: (channel: string, listener: Listener) => void handlers.set(channel, listener) } };
}

/** A fake sender: the WebFrameMain fields the wrapper reads. */
function fakeEvent(url: string, options: { subFrame?: boolean; destroyed?: boolean } = {}): SenderEvent {
  const top = { url, parent: null };
  const frame = options.subFrame ? { url, parent: top } : top;
  return { senderFrame: options.destroyed ? null : frame, sender: { id: 1 } } as unknown as SenderEvent;
}

const APP_PAGE = 'app://renderer/index.html';

describe('registerIpcHandlers (fake ipcMain)', () => {
  let app: AppUnderTest;
  let handlers: Map<string, Listener>;
  beforeAll(async () => {
    app = await createAppUnderTest();
    const fake = fakeIpcMain();
    registerIpcHandlers(fake.ipcMain as never, app.table, { trustedOrigins: ['app://renderer'], contextFor: () => app.context });
    handlers = fake.handlers;
  });
  afterAll(() => app.remove());

  const invoke = (channel: ChannelName, event: SenderEvent, ...args: unknown[]) => (handlers.get(ipcChannel(channel)) as Listener)(event, ...args);

  it('answers the top frame of the app page', async () => {
    expect(await invoke('appInfo', fakeEvent(APP_PAGE), {})).toMatchObject({ ok: true, data: { version: '9.9.9-test' } });
  });

  it.each([
    ['another origin', fakeEvent('https://evil.example/')],
    ['a file:// page', fakeEvent('file:///tmp/index.html')],
    ['an app:// page under another host', fakeEvent('app://other/index.html')],
    ['a sub-frame of the app page', fakeEvent(APP_PAGE, { subFrame: true })],
    ['a sandboxed srcdoc frame', fakeEvent('about:srcdoc', { subFrame: true })],
    ['a frame already destroyed', fakeEvent(APP_PAGE, { destroyed: true })],
  ])('refuses %s without running the handler', async (_why, event) => {
    let ran = false;
    const table: HandlerTable = { ...app.table, forgetAllSecrets: async () => ((ran = true), { ok: true, data: { accounts: [] } }) };
    const fake = fakeIpcMain();
    registerIpcHandlers(fake.ipcMain as never, table, { trustedOrigins: ['app://renderer'], contextFor: () => app.context });
    const result = await (fake.handlers.get(ipcChannel('forgetAllSecrets')) as Listener)(event, {});
    expect(result).toEqual({ ok: false, error: { code: 'UNTRUSTED_SENDER', message: expect.any(String) } });
    expect(ran).toBe(false);
  });

  it('answers ≥ 1000 malformed payloads with typed validation errors and never throws', async () => {
    // Anything at all, and near misses: objects with the contract's own field names holding anything.
    const fieldNames = [...new Set(Object.values(CONTRACT).flatMap((spec) => Object.keys((spec.input as { shape?: object }).shape ?? {})))];
    const payloads = fc.oneof(
      fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
      fc.dictionary(fc.constantFrom(...fieldNames), fc.anything(), { minKeys: 1 }),
    );
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNEL_NAMES), payloads, fc.array(fc.anything(), { maxLength: 2 }), async (channel, payload, extra) => {
        fc.pre(!CONTRACT[channel].input.safeParse(payload).success);
        calls++;
        const result = await invoke(channel, fakeEvent(APP_PAGE), payload, ...extra);
        expect(result).toEqual({ ok: false, error: { code: expect.stringMatching(/^INVALID_(ARGUMENT|PROFILE)$/), message: expect.any(String), field: expect.any(String), ...(result.ok === false && result.error.fix !== undefined && { fix: expect.any(String) }) } });
      }),
      { numRuns: 1500 },
    );
    expect(calls).toBeGreaterThanOrEqual(1000);
  });

  it('turns an exception from the table itself into a typed result', async () => {
    const throwing = new Proxy({} as HandlerTable, {
      get: () => () => {
        throw new Error('table exploded');
      },
    });
    const fake = fakeIpcMain();
    registerIpcHandlers(fake.ipcMain as never, throwing, { trustedOrigins: ['app://renderer'], contextFor: () => app.context });
    expect(await (fake.handlers.get(ipcChannel('appInfo')) as Listener)(fakeEvent(APP_PAGE), {})).toMatchObject({ ok: false, error: { code: 'UNEXPECTED' } });
  });

  it('gives each call a context that sends events to the window that asked', async () => {
    const sent: Array<{ channel: string; payload: unknown }> = [];
    const contexts: unknown[] = [];
    const fake = fakeIpcMain();
    const table = createHandlerTable({ ...createChannelHandlers(app.services), cancelSmtp: async (_input, context) => (context.emit('smtpStage', { runId: 'r', stage: 'connect', ms: 1 }), { cancelled: false }) });
    registerIpcHandlers(fake.ipcMain as never, table, {
      trustedOrigins: ['app://renderer'],
      contextFor: (sender) => {
        contexts.push(sender);
        return { transport: 'electron', emit: (event, payload) => void sent.push({ channel: `n8n-setup:event:${event}`, payload }) };
      },
    });
    const event = fakeEvent(APP_PAGE);
    await (fake.handlers.get(ipcChannel('cancelSmtp')) as Listener)(event, { runId: 'r' });
    expect(contexts).toEqual([event.sender]);
    expect(sent).toEqual([{ channel: 'n8n-setup:event:smtpStage', payload: { runId: 'r', stage: 'connect', ms: 1 } }]);
  });
});
