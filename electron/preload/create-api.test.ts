import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names.js';
import { SUBSCRIPTION_NAMES } from '../../shared/ipc/setup-api.js';
import { createApi, type IpcRendererLike } from './create-api.js';

type Forward = (event: unknown, ...args: unknown[]) => void;

/** A fake ipcRenderer: records invokes and listeners, and can deliver an event as Electron would. */
function fakeIpcRenderer(answer: (channel: string, request: unknown) => Promise<unknown> = async () => ({ ok: true, data: {} })) {
  const listeners = new Map<string, Set<Forward>>();
  const ipc: IpcRendererLike = {
    invoke: (channel, request) => answer(channel, request),
    on: (channel, listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel))?.add(listener),
    removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
  };
  const deliver = (channel: string, event: unknown, payload: unknown) => listeners.get(channel)?.forEach((listener) => listener(event, payload));
  return { ipc, listeners, deliver };
}

describe('createApi (fake ipcRenderer)', () => {
  it('exposes a frozen object of functions only: one per channel and one per event subscription', () => {
    const api = createApi(fakeIpcRenderer().ipc);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, ...SUBSCRIPTION_NAMES].sort());
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('on');
  });

  it("passes the main process's typed result through", async () => {
    const { ipc } = fakeIpcRenderer(async (channel, request) => ({ ok: true, data: { channel, request } }));
    expect(await createApi(ipc).loadProfile({ name: 'prod' })).toEqual({ ok: true, data: { channel: 'n8n-setup:loadProfile', request: { name: 'prod' } } });
  });

  it('turns a failed invoke (an uncloneable request, a dead main process) into a typed result', async () => {
    const { ipc } = fakeIpcRenderer(async () => {
      throw new Error('An object could not be cloned.');
    });
    expect(await createApi(ipc).appInfo({})).toEqual({ ok: false, error: { code: 'IPC_FAILED', message: expect.stringContaining('could not be cloned'), fix: expect.any(String) } });
  });

  it('delivers SMTP stages without the IPC event (whose sender is ipcRenderer itself), until unsubscribed', () => {
    const { ipc, deliver, listeners } = fakeIpcRenderer();
    const received: unknown[] = [];
    const stop = createApi(ipc).onSmtpStage((event) => received.push(event));
    const stage = { runId: 'r', stage: 'connect', ms: 12 };
    deliver('n8n-setup:event:smtpStage', { sender: ipc, ports: [] }, stage);
    expect(received).toEqual([stage]);
    stop();
    expect(listeners.get('n8n-setup:event:smtpStage')?.size).toBe(0);
    deliver('n8n-setup:event:smtpStage', {}, stage);
    expect(received).toHaveLength(1);
  });
});
