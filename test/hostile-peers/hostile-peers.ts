/**
 * Peers that misbehave on purpose: real TCP (and TLS) servers on loopback, one behaviour each, for the
 * "no peer can end the process" suite. Each accepts any number of connections and does the same thing to
 * every one. Nothing here is SMTP- or HTTP-aware beyond the few
 * bytes a behaviour needs to get a client to the point where it breaks.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { DETECT_PORTS } from '../../services/smtp/detect-smtp.js';
import type { KeyAndCertificate } from '../smtp/test-certificates.js';
import { startLoopbackListener, type LoopbackListener } from '../support/loopback-listener.js';

export const HOSTILE_BEHAVIOURS = [
  'reset-at-once',
  'reset-mid-greeting',
  'half-close',
  'close-mid-greeting',
  'garbage-text',
  'garbage-binary',
  'endless-line',
  'stall-mid-tls',
  'stall-mid-starttls',
  'greeting-then-garbage',
  'never-read',
  'tls-then-reset',
] as const;

/** Peers that start like a web server, for `check`. */
export const HOSTILE_HTTP_BEHAVIOURS = ['http-endless-headers', 'http-reset-mid-body', 'http-endless-body', 'http-lying-length'] as const;

/** What `check` may end with against any of them (services/check/check-errors.ts). */
export const CHECK_FAILURE_CODES = ['INSTANCE_UNREACHABLE', 'NOT_N8N', 'RESPONSE_TOO_LARGE', 'REDIRECT_REFUSED', 'ADDRESS_REFUSED'];

export type HostileBehaviour = (typeof HOSTILE_BEHAVIOURS)[number] | (typeof HOSTILE_HTTP_BEHAVIOURS)[number];

export interface HostilePeer extends LoopbackListener {
  behaviour: HostileBehaviour;
}

/** Enough for any client to give up; bounded so a client that keeps reading cannot run the test machine out of memory. */
const ENDLESS_BYTES = 64 * 1024 * 1024;
const GREETING_START = '220-smtp.hostile.test ESMTP\r\n220-still gree';
/** The first bytes of a TLS ServerHello record: a client reading it waits for the rest, which never comes. */
const PARTIAL_SERVER_HELLO = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00, 0x00]);
const TLS_HANDSHAKE_RECORD = 0x16;

type Behave = (socket: Socket, certificate: KeyAndCertificate | undefined) => void;

/** Writes `chunk` again and again, as fast as the client reads, until it leaves or `limit` bytes went out. */
function writeEndlessly(socket: Socket, chunk: Buffer, limit = ENDLESS_BYTES): void {
  socket.resume();
  let sent = 0;
  const pump = () => {
    while (!socket.destroyed && sent < limit) {
      sent += chunk.length;
      if (!socket.write(chunk)) return void socket.once('drain', pump);
    }
  };
  pump();
}

const BEHAVIOURS: Record<HostileBehaviour, Behave> = {
  'reset-at-once': (socket) => socket.resetAndDestroy(),
  'reset-mid-greeting': (socket) => socket.write(GREETING_START, () => setTimeout(() => socket.resetAndDestroy(), 10)),
  // FIN after half a greeting; the read side stays open and nothing more ever comes.
  'half-close': (socket) => {
    socket.resume();
    socket.end(GREETING_START);
  },
  'close-mid-greeting': (socket) => socket.end(GREETING_START, () => socket.destroy()),
  'garbage-text': (socket) => {
    const garbage = () => socket.write(`HTTP/1.1 400 Bad Request\r\n<html>${'nonsense '.repeat(50)}</html>\r\n999 what\r\n250\r\n-\r\n`);
    garbage();
    socket.on('data', garbage);
  },
  'garbage-binary': (socket) => {
    const garbage = () => socket.write(Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(4096)]));
    garbage();
    socket.on('data', garbage);
  },
  'endless-line': (socket) => writeEndlessly(socket, Buffer.alloc(64 * 1024, 'A')),
  // A client starting TLS gets half a ServerHello, and never the rest.
  'stall-mid-tls': (socket) => socket.once('data', () => socket.write(PARTIAL_SERVER_HELLO)),
  // Greets, offers STARTTLS, says "go ahead", then stalls the same way in the handshake.
  'stall-mid-starttls': (socket) => {
    socket.write('220 smtp.hostile.test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      const line = chunk.toString('latin1');
      if (chunk[0] === TLS_HANDSHAKE_RECORD) socket.write(PARTIAL_SERVER_HELLO);
      else if (/^EHLO/i.test(line)) socket.write('250-smtp.hostile.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n');
      else if (/^STARTTLS/i.test(line)) socket.write('220 go ahead\r\n');
    });
  },
  'greeting-then-garbage': (socket) => {
    socket.write('220 smtp.hostile.test ESMTP ready\r\n');
    socket.on('data', () => socket.write(Buffer.concat([Buffer.from('250\0garbage \u2603\r\n'), randomBytes(512), Buffer.from('\r\n9x9 nope\r\n')])));
  },
  // Greets, then never reads: whatever the client sends stays in the kernel's buffers.
  'never-read': (socket) => {
    socket.pause();
    socket.write('220 smtp.hostile.test ESMTP\r\n');
  },
  'tls-then-reset': (socket, certificate) => {
    if (!certificate) throw new Error('tls-then-reset needs a certificate');
    const secure = new TLSSocket(socket, { isServer: true, key: certificate.key, cert: certificate.cert });
    secure.on('error', () => undefined);
    secure.once('secure', () => setTimeout(() => socket.resetAndDestroy(), 10));
  },
  'http-endless-headers': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    writeEndlessly(socket, Buffer.from(`X-Filler: ${'f'.repeat(1000)}\r\n`.repeat(64)));
  },
  'http-reset-mid-body': (socket) => {
    socket.resume();
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"data":{"settingsMode":"pub', () => setTimeout(() => socket.resetAndDestroy(), 10));
  },
  'http-endless-body': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
    const piece = Buffer.alloc(64 * 1024, '[');
    writeEndlessly(socket, Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
  },
  // Announces a small body, sends an endless one.
  'http-lying-length': (socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n');
    writeEndlessly(socket, Buffer.alloc(64 * 1024, '{'));
  },
};

export async function startHostilePeer(behaviour: HostileBehaviour, options: { address?: string; port?: number; certificate?: KeyAndCertificate } = {}): Promise<HostilePeer> {
  const listener = await startLoopbackListener((socket) => BEHAVIOURS[behaviour](socket, options.certificate), { ...options, allowHalfOpen: true });
  return Object.assign(listener, { behaviour });
}

export interface HostileMailHost {
  address: string;
  /** Connections accepted on all its ports so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** One behaviour on every port auto-detect probes (465, 587, 2525, 25) of a loopback address: a whole hostile mail host. */
export async function startHostileMailHost(behaviour: HostileBehaviour, address: string, certificate?: KeyAndCertificate): Promise<HostileMailHost> {
  const peers = await Promise.all(DETECT_PORTS.map(({ port }) => startHostilePeer(behaviour, { address, port, ...(certificate && { certificate }) })));
  return {
    address,
    get connections() {
      return peers.reduce((sum, peer) => sum + peer.connections, 0);
    },
    close: async () => void (await Promise.all(peers.map((peer) => peer.close()))),
  };
}
