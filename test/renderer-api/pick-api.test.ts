import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names.js';
import { SUBSCRIPTION_NAMES } from '../../shared/ipc/setup-api.js';
import type { SetupApi } from '../../shared/ipc/setup-api.js';
import { pickApi, type BrowserScope } from '../../renderer/api/pick-api.js';

function browserScope(extra: Record<string, unknown> = {}) {
  const fetched: string[] = [];
  const scope = {
    fetch: async (url: string) => (fetched.push(url), new Response(JSON.stringify({ ok: true, data: { from: 'http' } }))),
    EventSource: class {},
    open: () => null,
    ...extra,
  } as unknown as BrowserScope;
  return { scope, fetched };
}

describe('pickApi', () => {
  it("uses the preload's API when the page runs in the app", async () => {
    const preloadApi = { appInfo: async () => ({ ok: true, data: { from: 'preload' } }) } as unknown as SetupApi;
    const { scope, fetched } = browserScope({ n8nSetup: preloadApi });
    expect(pickApi(scope)).toBe(preloadApi);
    expect(fetched).toEqual([]);
  });

  it('uses the HTTP client of `serve` in a plain browser', async () => {
    const { scope, fetched } = browserScope();
    const api = pickApi(scope);
    expect(Object.keys(api).sort()).toEqual([...CHANNEL_NAMES, ...SUBSCRIPTION_NAMES].sort());
    expect(await api.appInfo({})).toEqual({ ok: true, data: { from: 'http' } });
    expect(fetched).toEqual(['/api/appInfo']);
  });
});
