/**
 * A TCP listener for test peers: it hands each accepted socket to the peer's behaviour, counts the
 * connections, and on close() destroys whatever is still open, so a peer that never lets go cannot hold the
 * test run. Accepted sockets swallow their errors: a peer's own connection failing is the point of the test.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface LoopbackListener {
  address: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface ListenerOptions {
  /** Default 127.0.0.1. */
  address?: string;
  /** Default: any free port. */
  port?: number;
  /** Keep the write side open after the client's FIN (a peer that half-closes on its own terms). */
  allowHalfOpen?: boolean;
}

export async function startLoopbackListener(onConnection: (socket: Socket) => void, options: ListenerOptions = {}): Promise<LoopbackListener> {
  const address = options.address ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer({ allowHalfOpen: Boolean(options.allowHalfOpen) }, (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, resolve);
  });
  return {
    address,
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
