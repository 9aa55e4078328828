import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIpcHandlers } from '../../electron/main/ipc-bridge.js';
import { createApi } from '../../electron/preload/create-api.js';
import { createHttpApi } from '../../renderer/api/http-api.js';
import { createAppUnderTest, type AppUnderTest } from '../../services/app/test-support/app-under-test.js';
import { CHANNEL_NAMES, EVENT_NAMES, ipcChannel } from './channel-names.js';
import { CONTRACT } from './contract.js';
import { EVENTS } from './events.js';
import { SUBSCRIPTION_NAMES } from './setup-api.js';

/** What a derived surface has more or less than the contract. */
function drift(names: readonly string[], expected: readonly string[] = CHANNEL_NAMES): { missing: string[]; extra: string[] } {
  return { missing: expected.filter((n) => !names.includes(n)).sort(), extra: names.filter((n) => !expected.includes(n)).sort() };
}

const NO_DRIFT = { missing: [], extra: [] };
const API_NAMES = [...CHANNEL_NAMES, ...SUBSCRIPTION_NAMES];

function recordingIpcRenderer() {
  const invoked: Array<{ channel: string; args: unknown[] }> = [];
  return {
    invoked,
    ipc: { invoke: async (channel: string, ...args: unknown[]) => (invoked.push({ channel, args }), { ok: true, data: null }), on: () => undefined, removeListener: () => undefined },
  };
}

function recordingFetch() {
  const posted: Array<{ url: string; method?: string; body?: unknown }> = [];
  return {
    posted,
    api: createHttpApi({
      fetch: async (url, init) => (posted.push({ url, method: init.method, body: init.body }), { status: 200, json: async () => ({ ok: true, data: { url: '', opened: true } }) }),
      openEvents: () => ({ addEventListener: () => undefined, close: () => undefined }),
      openWindow: () => undefined,
    }),
  };
}

describe('the contract', () => {
  let app: AppUnderTest;
  beforeAll(async () => void (app = await createAppUnderTest()));
  afterAll(() => app.remove());

  it('names every spec, and specs every name', () => {
    expect(drift(Object.keys(CONTRACT))).toEqual(NO_DRIFT);
    expect(drift(Object.keys(EVENTS), EVENT_NAMES)).toEqual(NO_DRIFT);
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
  });

  it('finds a channel too many and a channel missing (the check itself works)', () => {
    expect(drift([...CHANNEL_NAMES, 'deployToCloud'])).toEqual({ missing: [], extra: ['deployToCloud'] });
    expect(drift(CHANNEL_NAMES.filter((n) => n !== 'writeExport'))).toEqual({ missing: ['writeExport'], extra: [] });
  });

  it('gives every channel a summary and input and output schemas', () => {
    for (const [name, spec] of Object.entries(CONTRACT)) {
      expect(spec.summary.length, name).toBeGreaterThan(10);
      expect(typeof spec.input.safeParse, name).toBe('function');
      expect(typeof spec.output.safeParse, name).toBe('function');
    }
  });

  it('the preload API has exactly one function per channel, each invoking its own channel, plus the SMTP subscription', async () => {
    const { ipc, invoked } = recordingIpcRenderer();
    const api = createApi(ipc);
    expect(drift(Object.keys(api), API_NAMES)).toEqual(NO_DRIFT);
    for (const name of CHANNEL_NAMES) await (api[name] as (r: unknown) => Promise<unknown>)({ probe: name });
    expect(invoked).toEqual(CHANNEL_NAMES.map((name) => ({ channel: ipcChannel(name), args: [{ probe: name }] })));
  });

  it('the HTTP client has exactly one function per channel, each posting to /api/<channel>, plus the SMTP subscription', async () => {
    const { api, posted } = recordingFetch();
    expect(drift(Object.keys(api), API_NAMES)).toEqual(NO_DRIFT);
    for (const name of CHANNEL_NAMES) await (api[name] as (r: unknown) => Promise<unknown>)({ probe: name });
    expect(posted).toEqual(CHANNEL_NAMES.map((name) => ({ url: `/api/${name}`, method: 'POST', body: JSON.stringify({ probe: name }) })));
  });

  it('the handler table has exactly one entry per channel', () => {
    expect(drift(Object.keys(app.table))).toEqual(NO_DRIFT);
  });

  it('the IPC wrapper registers exactly one handler per channel', () => {
    const registered: string[] = [];
    registerIpcHandlers({ handle: (channel: string) => void registered.push(channel) }, app.table, { trustedOrigins: [], contextFor: () => app.context });
    expect(drift(registered, CHANNEL_NAMES.map(ipcChannel))).toEqual(NO_DRIFT);
  });
});
