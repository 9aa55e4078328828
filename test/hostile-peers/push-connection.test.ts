/**
 * The editor's websocket (`check --login`) against every hostile peer, and against websocket peers that
 * misbehave after the upgrade: each ends in an outcome (a finding), never an unhandled error, within the
 * deadline; a peer that floods frames is cut off at the frame limit.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPush } from '../../services/check/push-connection.js';
import { pushFinding } from '../../shared/check/proxy-findings.js';
import { startLoopbackListener, type LoopbackListener } from '../support/loopback-listener.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { HOSTILE_BEHAVIOURS, HOSTILE_HTTP_BEHAVIOURS, startHostilePeer } from './hostile-peers.js';
import { recordUncaughtErrors } from './uncaught-errors.js';

const TIMEOUT_MS = 1_000;
const uncaught = recordUncaughtErrors();
let peer: LoopbackListener | undefined;
let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function probe(port: number) {
  const started = performance.now();
  const outcome = await openPush(`http://127.0.0.1:${port}`, { cookie: 'n8n-auth=x', origin: `http://127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS, settleMs: 300 });
  expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
  // Every outcome becomes a finding with words.
  expect(pushFinding(outcome, { url: `http://127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, cookieDropped: false }).message).toMatch(/\S/);
  expect(uncaught.errors).toEqual([]);
  return outcome;
}

/** Completes the websocket handshake, then does `after` with the raw socket. */
function upgradingPeer(after: (socket: Socket) => void) {
  return startLoopbackListener((socket) => {
    socket.once('data', (request: Buffer) => {
      const key = /sec-websocket-key: *(\S+)/i.exec(request.toString())?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      after(socket);
    });
  });
}

describe('the editor’s websocket against a hostile peer', () => {
  it.each([...HOSTILE_BEHAVIOURS, ...HOSTILE_HTTP_BEHAVIOURS])('%s: an outcome within the deadline, nothing thrown', async (behaviour) => {
    peer = await startHostilePeer(behaviour, { certificate: certs.valid });
    expect(['failed', 'no-answer', 'refused', 'closed']).toContain((await probe(peer.port)).kind);
  });

  it('a 101 with a wrong accept key: failed, not connected', async () => {
    peer = await startLoopbackListener((socket) => socket.once('data', () => socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n')));
    expect(await probe(peer.port)).toMatchObject({ kind: 'failed' });
  });

  it('a frame larger than the limit after the upgrade: cut off (closed), not read into memory', async () => {
    // One unmasked binary frame announcing 1 GiB (64-bit length), then some of it.
    const header = Buffer.from([0x82, 127, 0, 0, 0, 0, 0x40, 0, 0, 0]);
    peer = await upgradingPeer((socket) => socket.write(Buffer.concat([header, Buffer.alloc(64 * 1024)])));
    expect(['closed', 'failed']).toContain((await probe(peer.port)).kind);
  });

  it('garbage frames after the upgrade: an outcome, nothing thrown', async () => {
    peer = await upgradingPeer((socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x01])));
    expect(['closed', 'failed']).toContain((await probe(peer.port)).kind);
  });

  it('an upgrade that then says nothing: connected (n8n says nothing either on a good connection)', async () => {
    peer = await upgradingPeer(() => undefined);
    expect(await probe(peer.port)).toEqual({ kind: 'connected' });
  });

  it('n8n\'s refusal spelled by a peer: "Invalid origin!" then close 1008', async () => {
    // A text frame "Invalid origin!" and a close frame with code 1008, unmasked as a server sends them.
    const text = Buffer.from('Invalid origin!');
    peer = await upgradingPeer((socket) => socket.write(Buffer.concat([Buffer.from([0x81, text.length]), text, Buffer.from([0x88, 2, 0x03, 0xf0])])));
    expect(await probe(peer.port)).toMatchObject({ kind: 'invalid-origin', closeCode: 1008 });
  });
});
