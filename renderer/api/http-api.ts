/**
 * The page's API over HTTP, for `serve`: one function per contract channel, each a POST to
 * /api/<channel> (the session cookie rides along), and SMTP progress and apply output from the server-sent
 * event stream.
 * Like the preload's, no function throws: a network or server failure is a typed result.
 */
import { CHANNEL_NAMES, EVENT_NAMES, type EventName } from '../../shared/ipc/channel-names.js';
import { EVENTS } from '../../shared/ipc/events.js';
import { isIpcResult, type IpcResult } from '../../shared/ipc/ipc-result.js';
import { SUBSCRIPTIONS, type SetupApi } from '../../shared/ipc/setup-api.js';

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface HttpApiOptions {
  fetch: (url: string, init: RequestInit) => Promise<Pick<Response, 'json' | 'status'>>;
  openEvents: (url: string) => EventSourceLike;
  /** openDocs over HTTP: the server checks the URL, the browser opens it (the server has no screen). */
  openWindow: (url: string) => void;
}

export function createHttpApi(options: HttpApiOptions): SetupApi {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) api[name] = (request: unknown) => post(options, name, request);
  api.openDocs = async (request: unknown) => {
    const result = (await post(options, 'openDocs', request)) as IpcResult<{ url: string; opened: boolean }>;
    if (result.ok && !result.data.opened) options.openWindow(result.data.url);
    return result;
  };
  const subscribe = eventSubscriptions(options);
  for (const [name, event] of Object.entries(SUBSCRIPTIONS)) api[name] = (listener: (payload: unknown) => void) => subscribe(event, listener);
  return Object.freeze(api) as unknown as SetupApi;
}

async function post(options: HttpApiOptions, name: string, request: unknown): Promise<IpcResult<unknown>> {
  try {
    const response = await options.fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const body: unknown = await response.json();
    return isIpcResult(body) ? body : transportFailure(`the server answered ${response.status} without a result`);
  } catch (error) {
    return transportFailure(error instanceof Error ? error.message : String(error));
  }
}

/** One event stream for all listeners of every event, opened with the first and closed with the last. */
function eventSubscriptions(options: HttpApiOptions): (event: EventName, listener: (payload: unknown) => void) => () => void {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSourceLike | undefined;
  const count = () => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return (event, listener) => {
    if (!listeners.has(event)) listeners.set(event, new Set());
    listeners.get(event)!.add(listener);
    if (!source) {
      source = options.openEvents('/api/events');
      for (const name of EVENT_NAMES) {
        source.addEventListener(name, (message) => {
          const payload = parseEvent(name, message.data);
          if (payload) for (const each of listeners.get(name) ?? []) each(payload);
        });
      }
    }
    return () => {
      listeners.get(event)?.delete(listener);
      if (count() === 0) {
        source?.close();
        source = undefined;
      }
    };
  };
}

function parseEvent(event: EventName, data: string): unknown {
  try {
    const parsed = EVENTS[event].safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function transportFailure(detail: string): IpcResult<never> {
  return { ok: false, error: { code: 'NETWORK_FAILED', message: `n8n Setup's server did not answer: ${detail}.`, fix: 'Check that `n8n-setup serve` (and your SSH tunnel) still runs, then reload the page.' } };
}
