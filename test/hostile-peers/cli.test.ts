/**
 * The shipped CLI against hostile peers, as an admin runs it: `smtp-detect`, `smtp-test` and `check` end on
 * their own with a documented exit code and a classified failure, never with a stack trace or an unhandled
 * error. The runs of each test go in parallel; each is bounded by the command's own default limits.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SMTP_EXIT } from '../../cli/commands/smtp-test-command.js';
import { SMTP_DIAGNOSES, SMTP_FAILURE_CLASSES, type SmtpFailureClass } from '../../shared/smtp/smtp-diagnoses.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { CHECK_FAILURE_CODES, HOSTILE_BEHAVIOURS, HOSTILE_HTTP_BEHAVIOURS, startHostileMailHost, startHostilePeer, type HostileBehaviour, type HostileMailHost, type HostilePeer } from './hostile-peers.js';
import { expectClassifiedExit, runBuiltCli } from './run-built-cli.js';

/**
 * Met by a client that starts with TLS too (the services tests meet every peer both ways; a process each costs
 * more here): the peers that speak TLS, and a few that break a handshake in other ways.
 */
const IMPLICIT_TLS_TOO = new Set<HostileBehaviour>(['stall-mid-tls', 'tls-then-reset', 'reset-at-once', 'garbage-text', 'close-mid-greeting']);

/** Hostile mail hosts on the standard ports live on 127.0.11.x, clashing with no other fixture. */
const mailHostAddress = (index: number) => `127.0.11.${index + 1}`;

let certs: TestCertificates;
const running: Array<HostilePeer | HostileMailHost> = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(running.splice(0).map((peer) => peer.close()));
});

async function track<T extends HostilePeer | HostileMailHost>(started: Promise<T>): Promise<T> {
  const peer = await started;
  running.push(peer);
  return peer;
}

describe('n8n-setup smtp-detect against hostile mail hosts', () => {
  // The reported crash. A reset that comes before the connection is set up fails the connect (always handled);
  // one after it, as when half a greeting came first, hit the socket with no listener for its error.
  it.each(['reset-at-once', 'reset-mid-greeting'] as const)('a host whose ports all accept and then reset (%s): exit 3 with the class, not an unhandled ECONNRESET', async (behaviour) => {
    const host = await track(startHostileMailHost(behaviour, mailHostAddress(behaviour === 'reset-at-once' ? 0 : 1)));
    const address = host.address.replaceAll('.', '\\.');
    for (const run of await Promise.all([1, 2, 3].map(() => runBuiltCli(['smtp-detect', '--host', host.address])))) {
      expectClassifiedExit(run, [SMTP_EXIT.connection]);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^(TLS_FAILED|CONNECTION_CLOSED|SSL_ON_PLAIN_PORT): No mail port of ${address} answered usefully \\(465: \\w+, 587: \\w+, 2525: \\w+, 25: \\w+\\)`, 'm'));
    }
    const json = await runBuiltCli(['smtp-detect', '--host', host.address, '--json']);
    expectClassifiedExit(json, [SMTP_EXIT.connection]);
    const found = JSON.parse(json.stdout) as { ports: Array<{ port: number; failure?: SmtpFailureClass }> };
    expect(found.ports.map((p) => p.port)).toEqual([465, 587, 2525, 25]);
    for (const probe of found.ports) expect(SMTP_FAILURE_CLASSES).toContain(probe.failure);
    expect(host.connections).toBeGreaterThanOrEqual(16);
  });

  it('every hostile behaviour on all four ports: exit 3, every port with a class', async () => {
    const hosts = await Promise.all(HOSTILE_BEHAVIOURS.map((behaviour, i) => track(startHostileMailHost(behaviour, mailHostAddress(i + 2), certs.valid))));
    const runs = await Promise.all(hosts.map((host) => runBuiltCli(['smtp-detect', '--host', host.address, '--json'])));
    for (const [i, run] of runs.entries()) {
      expectClassifiedExit(run, [SMTP_EXIT.connection]);
      const found = JSON.parse(run.stdout) as { ports: Array<{ failure?: SmtpFailureClass }>; failure: { class: SmtpFailureClass } };
      expect(SMTP_FAILURE_CLASSES, HOSTILE_BEHAVIOURS[i]).toContain(found.failure.class);
      for (const probe of found.ports) expect(SMTP_FAILURE_CLASSES, HOSTILE_BEHAVIOURS[i]).toContain(probe.failure);
    }
  }, 90_000);
});

describe('n8n-setup smtp-test against hostile servers', () => {
  it('every hostile behaviour: the exit code of its class, the class in the JSON', async () => {
    const peers = await Promise.all(HOSTILE_BEHAVIOURS.map((behaviour) => track(startHostilePeer(behaviour, { certificate: certs.valid }))));
    // Each peer as the plain-then-STARTTLS client meets it, and the TLS ones (and a few others) as the implicit-TLS client does.
    const cases = peers.flatMap((peer) => (IMPLICIT_TLS_TOO.has(peer.behaviour) ? ['false', 'true'] : ['false']).map((ssl) => ({ peer, ssl })));
    const runs = await Promise.all(
      cases.map(({ peer, ssl }) =>
        runBuiltCli(['smtp-test', '--from-env', '--to', 'admin@example.test', '--json'], { N8N_SMTP_HOST: '127.0.0.1', N8N_SMTP_PORT: String(peer.port), N8N_SMTP_SSL: ssl, N8N_SMTP_SENDER: 'n8n <n8n@example.test>' }),
      ),
    );
    for (const [i, run] of runs.entries()) {
      const label = `${cases[i]?.peer.behaviour}, N8N_SMTP_SSL=${cases[i]?.ssl}`;
      const report = JSON.parse(run.stdout) as { ok: boolean; class: SmtpFailureClass };
      expect(report.ok, label).toBe(false);
      expect(SMTP_FAILURE_CLASSES, label).toContain(report.class);
      expectClassifiedExit(run, [SMTP_EXIT[SMTP_DIAGNOSES[report.class].kind]]);
      expect(run.stderr, label).toBe('');
    }
  }, 90_000);
});

describe('n8n-setup check against hostile servers', () => {
  it('every hostile behaviour: exit 1 with a SetupError on --url and its fix', async () => {
    const peers = await Promise.all([...HOSTILE_BEHAVIOURS, ...HOSTILE_HTTP_BEHAVIOURS].map((behaviour) => track(startHostilePeer(behaviour, { certificate: certs.valid }))));
    const cases = peers.flatMap((peer) => (IMPLICIT_TLS_TOO.has(peer.behaviour) ? ['http', 'https'] : ['http']).map((scheme) => ({ peer, url: `${scheme}://127.0.0.1:${peer.port}` })));
    const runs = await Promise.all(cases.map(({ url }) => runBuiltCli(['check', '--url', url, '--timeout', '1', '--json'])));
    for (const [i, run] of runs.entries()) {
      const label = `${cases[i]?.peer.behaviour} at ${cases[i]?.url}`;
      expectClassifiedExit(run, [1]);
      const report = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; field: string; fix: string } };
      expect(report, label).toMatchObject({ ok: false, error: { code: expect.toBeOneOf(CHECK_FAILURE_CODES), field: 'url', fix: expect.stringMatching(/\S/) } });
      expect(run.stderr, label).toMatch(/^error: url: .+\n {2}fix: .+\n$/);
    }
  }, 90_000);
});
