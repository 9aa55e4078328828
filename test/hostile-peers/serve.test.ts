/**
 * A real `n8n-setup serve` (the installed command, its own process) under fire: Detect, Test and Check
 * requests aimed at hostile peers, well over 200 hostile connections at once. Every request gets a typed
 * answer, and afterwards `serve` is still up, with the same session, and still answers.
 */
import { rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServedApp } from '../../e2e/wizard/support/serve-app.js';
import { callApi, signIn } from '../../services/serve/test-support/http-client.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { SMTP_FAILURE_CLASSES } from '../../shared/smtp/smtp-diagnoses.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { CHECK_FAILURE_CODES, HOSTILE_BEHAVIOURS, HOSTILE_HTTP_BEHAVIOURS, startHostileMailHost, startHostilePeer, type HostileMailHost, type HostilePeer } from './hostile-peers.js';

const HOSTILE_CONNECTIONS = 200;
/** Each Detect opens one connection per port; this many rounds over every hostile mail host. */
const DETECT_ROUNDS = 4;
/** Mail hosts on 127.0.11.101 and up: apart from the CLI test's. */
const mailHostAddress = (index: number) => `127.0.11.${101 + index}`;

let certs: TestCertificates;
let app: ServedApp;
let port: number;
let cookie: string;
const through = new Agent({ keepAlive: false, maxSockets: Infinity });
const hosts: HostileMailHost[] = [];
const peers: HostilePeer[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  app = await startServe();
  const link = new URL(app.url);
  port = Number(link.port);
  cookie = await signIn(port, link.searchParams.get('token') ?? '');
  hosts.push(...(await Promise.all(HOSTILE_BEHAVIOURS.map((behaviour, i) => startHostileMailHost(behaviour, mailHostAddress(i), certs.valid)))));
  peers.push(...(await Promise.all([...HOSTILE_BEHAVIOURS, ...HOSTILE_HTTP_BEHAVIOURS].map((behaviour) => startHostilePeer(behaviour, { certificate: certs.valid })))));
});

afterAll(async () => {
  through.destroy();
  await Promise.all([...hosts, ...peers].map((peer) => peer.close()));
  await app?.stop();
  if (certs) rmSync(certs.dir, { recursive: true, force: true });
});

function profileFor(peer: HostilePeer, security: 'none' | 'starttls' | 'tls'): Profile {
  return {
    version: 1,
    name: 'hostile',
    email: { mode: 'smtp', host: '127.0.0.1', port: peer.port, security, auth: { type: 'none' }, sender: 'n8n <n8n@example.test>' },
    url: { public: 'https://n8n.example.com' },
  };
}

async function call(channel: string, input: unknown): Promise<{ status: number; answer: { ok: boolean; data?: Record<string, unknown>; error?: { code: string } } }> {
  const response = await callApi(port, cookie, channel, input, {}, through);
  return { status: response.status, answer: JSON.parse(response.body) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string } } };
}

describe('n8n-setup serve under hostile peers', () => {
  it(`answers every Detect, Test, certificate fetch and Check aimed at them (${HOSTILE_CONNECTIONS}+ hostile connections), then still answers`, async () => {
    const detects = Array.from({ length: DETECT_ROUNDS }, () => hosts.map((host) => call('detectSmtp', { host: host.address }))).flat();
    const tests = peers
      .filter((peer) => (HOSTILE_BEHAVIOURS as readonly string[]).includes(peer.behaviour))
      .flatMap((peer) => (['none', 'starttls', 'tls'] as const).map((security, i) => call('testSmtp', { runId: `${peer.behaviour}-${i}`, profile: profileFor(peer, security), to: 'admin@example.test' })));
    const checks = peers.flatMap((peer) => ['http', 'https'].map((scheme) => call('checkInstance', { url: `${scheme}://127.0.0.1:${peer.port}` })));
    const certificates = peers
      .filter((peer) => (HOSTILE_BEHAVIOURS as readonly string[]).includes(peer.behaviour))
      .flatMap((peer) => (['tls', 'starttls'] as const).map((security) => call('smtpCertificates', { host: '127.0.0.1', port: peer.port, security })));
    const [detected, tested, checked, fetched] = await Promise.all([Promise.all(detects), Promise.all(tests), Promise.all(checks), Promise.all(certificates)]);

    const connections = [...hosts, ...peers].reduce((sum, peer) => sum + peer.connections, 0);
    expect(connections).toBeGreaterThanOrEqual(HOSTILE_CONNECTIONS);
    for (const { status, answer } of detected) {
      expect(status).toBe(200);
      expect(answer).toMatchObject({ ok: true, data: { failure: { class: expect.toBeOneOf(SMTP_FAILURE_CLASSES) } } });
      expect(answer.data).not.toHaveProperty('recommended');
    }
    for (const { status, answer } of tested) {
      expect(status).toBe(200);
      expect(answer).toMatchObject({ ok: true, data: { ok: false, class: expect.toBeOneOf(SMTP_FAILURE_CLASSES) } });
    }
    for (const { status, answer } of checked) {
      expect(status).toBe(200);
      expect(answer).toMatchObject({ ok: false, error: { code: expect.toBeOneOf(CHECK_FAILURE_CODES) } });
    }

    for (const { status, answer } of fetched) {
      expect(status).toBe(200);
      expect(answer.ok).toBe(true);
      const data = answer.data as { chain: unknown[]; failure?: { class: string } };
      if (data.failure) expect(SMTP_FAILURE_CLASSES).toContain(data.failure.class);
      else expect(data.chain.length).toBeGreaterThan(0);
    }

    // The same session still works: serve did not restart, nor lose the signed-in browser.
    expect((await call('appInfo', {})).answer).toMatchObject({ ok: true, data: { transport: 'http' } });
    const again = await call('detectSmtp', { host: hosts[0]?.address });
    expect(again.answer).toMatchObject({ ok: true, data: { failure: { class: expect.toBeOneOf(SMTP_FAILURE_CLASSES) } } });
  }, 90_000);
});
