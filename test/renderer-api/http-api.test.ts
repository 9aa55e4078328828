/**
 * The renderer's HTTP client (renderer/api/http-api.ts) against the real `serve` server and handler
 * table: the page's side of serve mode, without a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApi, type HttpApiOptions } from '../../renderer/api/http-api.js';
import type { ServeServer } from '../../services/serve/serve-server.js';
import { startServeUnderTest, type ServeUnderTest } from '../../services/serve/test-support/http-client.js';

const noEvents: HttpApiOptions['openEvents'] = () => ({ addEventListener: () => undefined, close: () => undefined });

describe('the HTTP client against serve', () => {
  let served: ServeUnderTest;
  let server: ServeServer;
  let cookie: string;
  beforeAll(async () => {
    served = await startServeUnderTest();
    ({ server, cookie } = served);
  });
  afterAll(() => served.stop());

  // Node's fetch keeps no cookies: hand it the session's, as the browser would.
  const signedInFetch: HttpApiOptions['fetch'] = (url, init) => fetch(`http://127.0.0.1:${server.port}${url}`, { ...init, headers: { ...init.headers, cookie } });

  it('calls channels and gets typed results', async () => {
    const api = createHttpApi({ fetch: signedInFetch, openEvents: noEvents, openWindow: () => undefined });
    expect(await api.appInfo({})).toMatchObject({ ok: true, data: { version: '9.9.9-test', transport: 'http' } });
    expect(await api.saveProfile({ profile: { version: 1, name: 'web', email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' } } })).toEqual({ ok: true, data: { name: 'web' } });
    expect(await api.loadProfile({ name: 'nope' })).toMatchObject({ ok: false, error: { code: 'PROFILE_NOT_FOUND' } });
  });

  it('gets 401 as a typed result without the session cookie', async () => {
    const api = createHttpApi({ fetch: (url, init) => fetch(`http://127.0.0.1:${server.port}${url}`, init), openEvents: noEvents, openWindow: () => undefined });
    expect(await api.appInfo({})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('turns an unreachable server into a typed result', async () => {
    const offline = createHttpApi({ fetch: () => Promise.reject(new TypeError('fetch failed')), openEvents: noEvents, openWindow: () => undefined });
    expect(await offline.appInfo({})).toMatchObject({ ok: false, error: { code: 'NETWORK_FAILED' } });
  });

  it('opens an allowed docs page in the browser, since the server has no screen', async () => {
    const opened: string[] = [];
    const api = createHttpApi({ fetch: signedInFetch, openEvents: noEvents, openWindow: (url) => void opened.push(url) });
    expect(await api.openDocs({ url: 'https://docs.n8n.io/' })).toEqual({ ok: true, data: { url: 'https://docs.n8n.io/', opened: false } });
    expect(await api.openDocs({ url: 'https://evil.example/' })).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
    expect(opened).toEqual(['https://docs.n8n.io/']);
  });

  it('delivers SMTP stages from one event stream to every listener, checked against the contract, and closes it with the last', () => {
    const sources: Array<{ listeners: Map<string, (event: { data: string }) => void>; closed: boolean }> = [];
    const api = createHttpApi({
      fetch: signedInFetch,
      openWindow: () => undefined,
      openEvents: (url) => {
        expect(url).toBe('/api/events');
        const source = { listeners: new Map<string, (event: { data: string }) => void>(), closed: false };
        sources.push(source);
        return { addEventListener: (type, listener) => void source.listeners.set(type, listener), close: () => void (source.closed = true) };
      },
    });
    const first: unknown[] = [];
    const second: unknown[] = [];
    const stopFirst = api.onSmtpStage((e) => first.push(e));
    const stopSecond = api.onSmtpStage((e) => second.push(e));
    expect(sources).toHaveLength(1);
    const deliver = (data: string) => sources[0]?.listeners.get('smtpStage')?.({ data });
    deliver(JSON.stringify({ runId: 'r', stage: 'connect', ms: 3 }));
    deliver('{"runId": "r", "stage": "not-a-stage", "ms": 1}');
    deliver('not json');
    expect(first).toEqual([{ runId: 'r', stage: 'connect', ms: 3 }]);
    expect(second).toEqual(first);
    stopFirst();
    expect(sources[0]?.closed).toBe(false);
    stopSecond();
    expect(sources[0]?.closed).toBe(true);
  });
});
