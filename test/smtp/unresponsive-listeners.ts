/**
 * Peers that never answer: a port that accepts and stays silent (no greeting), and a stand-in for a
 * firewall that drops packets — a listener with backlog 1 in a child process whose event loop is blocked,
 * so it never accepts; once its queue is full, further connect()s hang exactly like dropped SYNs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { startLoopbackListener, type LoopbackListener } from '../support/loopback-listener.js';

export interface SilentListener extends LoopbackListener {
  /** Connections the listener saw closed by the client. */
  readonly disconnects: number;
}

export async function startSilentListener(address = '127.0.0.1', port = 0): Promise<SilentListener> {
  let disconnects = 0;
  const listener = await startLoopbackListener(
    (socket) => {
      // Reads (and ignores) what the client sends: a socket that never reads would not notice the client leave.
      socket.resume();
      socket.on('close', () => (disconnects += 1));
    },
    { address, port },
  );
  return Object.defineProperty(listener, 'disconnects', { get: () => disconnects }) as SilentListener;
}

export interface DroppingListener {
  address: string;
  port: number;
  close(): Promise<void>;
}

const BLOCKED_LISTENER = `
const server = require('node:net').createServer();
server.listen({ host: process.argv[1], port: 0, backlog: 1 }, () => {
  process.stdout.write(String(server.address().port) + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

export async function startDroppingListener(address = '127.0.0.1'): Promise<DroppingListener> {
  const child: ChildProcess = spawn(process.execPath, ['-e', BLOCKED_LISTENER, address], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  // Fill the accept queue (backlog 1 holds about two connections on Linux) until a connect() hangs.
  const fillers: Socket[] = [];
  for (let i = 0; i < 8; i += 1) {
    const socket = connect({ host: address, port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return {
    address,
    port,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
