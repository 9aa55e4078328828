/**
 * `check` against every hostile peer, over http and https, through the service: each reading ends with a
 * SetupError that names the URL field and a fix (never an unhandled socket error), within its deadline.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkInstance } from '../../services/check/check-instance.js';
import { SetupError } from '../../shared/errors.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { CHECK_FAILURE_CODES, HOSTILE_BEHAVIOURS, HOSTILE_HTTP_BEHAVIOURS, startHostilePeer, type HostilePeer } from './hostile-peers.js';
import { recordUncaughtErrors } from './uncaught-errors.js';

const TIMEOUT_MS = 1_000;

const uncaught = recordUncaughtErrors();
let certs: TestCertificates;
let peer: HostilePeer | undefined;

beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

const CASES = [...HOSTILE_BEHAVIOURS, ...HOSTILE_HTTP_BEHAVIOURS].flatMap((behaviour) => [[behaviour, 'http'] as const, [behaviour, 'https'] as const]);

describe('checkInstance against a hostile peer', () => {
  it.each(CASES)('%s over %s: a SetupError on the URL with its fix, within the deadline', async (behaviour, scheme) => {
    peer = await startHostilePeer(behaviour, { certificate: certs.valid });
    const started = performance.now();
    const error = await checkInstance({ url: `${scheme}://127.0.0.1:${peer.port}` }, { timeoutMs: TIMEOUT_MS }).catch((e: unknown) => e);
    // One request fails; its deadline bounds it, whatever the peer does.
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    expect(error).toBeInstanceOf(SetupError);
    expect(error).toMatchObject({ code: expect.toBeOneOf(CHECK_FAILURE_CODES), field: 'url', fix: expect.stringMatching(/\S/) });
    expect(uncaught.errors).toEqual([]);
  });

  it('names what went wrong in the admin\'s words for the common cases', async () => {
    const expectations: Array<[(typeof CASES)[number], RegExp]> = [
      [['reset-at-once', 'http'], /closed the connection without answering \(a TLS port reached with http:\/\/ often does this: try https:\/\/\)/],
      [['garbage-text', 'http'], /answered something that is not HTTP/],
      [['garbage-text', 'https'], /does not speak TLS on this port/],
      [['http-endless-headers', 'http'], /answered something that is not HTTP \(HPE_HEADER_OVERFLOW\)/],
      [['http-endless-body', 'http'], /sent more than 1 MiB/],
      [['stall-mid-tls', 'https'], /No answer from .* within 1 s/],
    ];
    for (const [[behaviour, scheme], message] of expectations) {
      peer = await startHostilePeer(behaviour, { certificate: certs.valid });
      await expect(checkInstance({ url: `${scheme}://127.0.0.1:${peer.port}` }, { timeoutMs: TIMEOUT_MS }), `${behaviour} over ${scheme}`).rejects.toThrow(message);
      await peer.close();
      peer = undefined;
    }
  });
});
