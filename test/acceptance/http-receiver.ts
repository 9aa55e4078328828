/**
 * A loopback HTTP server that n8n's HTTP Request nodes post to: it keeps every request (method, path,
 * headers, body) so a test can see what a workflow computed and sent, and answers `{"received":true}`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './eventually.js';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpReceiver {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: ReceivedRequest[];
  /** The first request to `path`, in arrival order, that `matches`, waiting at most `timeoutMs`. */
  waitFor(path: string, matches?: (request: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      if (body.length < MAX_BODY) body += chunk;
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (path, matches = () => true, timeoutMs = 30_000) =>
      eventually(
        () => requests.find((request) => request.path === path && matches(request)),
        timeoutMs,
        () => `no request to ${path} arrived (received: ${requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'})`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
