/**
 * Server-sent events per browser session: the HTTP transport's way to push SMTP stages to the page that
 * started the test. A comment line every 20 s keeps SSH tunnels and proxies from closing a quiet stream.
 */
import type { ServerResponse } from 'node:http';
import type { EventName } from '../../shared/ipc/channel-names.js';

export interface EventStreams {
  attach(sessionId: string, response: ServerResponse, headers: Record<string, string>): void;
  send(sessionId: string, event: EventName, payload: unknown): void;
  closeAll(): void;
}

const HEARTBEAT_MS = 20_000;

export function createEventStreams(): EventStreams {
  const streams = new Map<string, Set<ServerResponse>>();
  const heartbeat = setInterval(() => {
    for (const set of streams.values()) for (const response of set) response.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    attach(sessionId, response, headers) {
      response.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
      response.write(': connected\n\n');
      const set = streams.get(sessionId) ?? new Set();
      set.add(response);
      streams.set(sessionId, set);
      response.on('close', () => set.delete(response));
    },
    send(sessionId, event, payload) {
      const text = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const response of streams.get(sessionId) ?? []) response.write(text);
    },
    closeAll() {
      clearInterval(heartbeat);
      for (const set of streams.values()) for (const response of set) response.end();
      streams.clear();
    },
  };
}
