/**
 * `serve`'s HTTP server: the built renderer and the handler table on 127.0.0.1 only. Nothing else on
 * the network can connect; remote admins reach it through an SSH tunnel.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SetupError } from '../../shared/errors.js';
import { errorDataOf } from '../../shared/ipc/ipc-result.js';
import type { HandlerTable } from '../app/handler-table.js';
import { createEventStreams } from './event-streams.js';
import { handleRequest, refuse } from './handle-request.js';
import { createServeSessions } from './serve-sessions.js';

export const SERVE_HOST = '127.0.0.1';

export interface ServeOptions {
  /** 0: any free port. */
  port: number;
  rendererDir: string;
  table: HandlerTable;
  /** Tests fix it; otherwise 32 random bytes. */
  token?: string;
}

export interface ServeServer {
  /** The address to open, with the one-time token: `http://127.0.0.1:PORT/?token=…` (the first browser to open it is signed in). */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startServeServer(options: ServeOptions): Promise<ServeServer> {
  const sessions = createServeSessions(options.token);
  const events = createEventStreams();
  const deps = { table: options.table, sessions, events, rendererDir: options.rendererDir };
  const server = createServer((request, response) => {
    handleRequest(request, response, deps).catch((error: unknown) => refuse(response, 500, errorDataOf(error)));
  });
  await listen(server, options.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/?token=${sessions.token}`,
    port,
    token: sessions.token,
    close: () => {
      events.closeAll();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold close() open for seconds; requests in flight are cut too.
      server.closeAllConnections();
      return closed;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, port)));
    server.listen(port, SERVE_HOST, () => resolve());
  });
}

function listenError(error: NodeJS.ErrnoException, port: number): SetupError {
  if (error.code === 'EADDRINUSE') {
    return new SetupError({ code: 'PORT_IN_USE', field: 'port', message: `Port ${port} on ${SERVE_HOST} is already in use.`, fix: 'Choose another with --port N (or --port 0 for any free port).' }, { cause: error });
  }
  if (error.code === 'EACCES') {
    return new SetupError({ code: 'PORT_NOT_ALLOWED', field: 'port', message: `Port ${port} needs administrator rights.`, fix: 'Use a port above 1023, e.g. --port 5680.' }, { cause: error });
  }
  return new SetupError({ code: 'SERVE_FAILED', message: `Cannot listen on ${SERVE_HOST}:${port}: ${error.message}` }, { cause: error });
}
