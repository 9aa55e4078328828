/**
 * "Trust this server's certificate" against real TLS servers: the chain the server presents is read as
 * sent, the chosen certificate is saved as the CA file, and the test that failed on it then passes — as
 * n8n's transport (Node's TLS) would with the same file. A server that sends only its own certificate
 * offers nothing to trust, and a leaf is refused.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCertificateChain } from '../../services/smtp/fetch-certificate-chain.js';
import { trustServerCertificate } from '../../services/smtp/trust-server-certificate.js';
import { certificateToTrust } from '../../shared/smtp/server-certificate.js';
import { startSmtpFixture, type FixtureOptions, type SmtpFixture } from './smtp-fixtures.js';
import { n8nVariables, runTest } from './smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

let certs: TestCertificates;
let dataFolder: string;
const open: SmtpFixture[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  dataFolder = await mkdtemp(join(tmpdir(), 'n8n-setup-trust-'));
});
afterAll(async () => {
  await Promise.all(open.map((fixture) => fixture.close()));
  rmSync(certs.dir, { recursive: true, force: true });
  rmSync(dataFolder, { recursive: true, force: true });
});

async function fixture(options: FixtureOptions): Promise<SmtpFixture> {
  const started = await startSmtpFixture(options);
  open.push(started);
  return started;
}

const noLogin = (port: number, overrides = {}) => n8nVariables(port, { N8N_SMTP_USER: '', N8N_SMTP_PASS: '', ...overrides });

describe.each([
  ['STARTTLS', 'starttls', false],
  ['TLS from the first byte', 'tls', true],
] as const)('trusting a certificate over %s', (_name, security, secure) => {
  const variables = (port: number) => noLogin(port, secure ? { N8N_SMTP_SSL: 'true', N8N_SMTP_STARTTLS: 'false' } : {});

  it('a self-signed server: its own certificate is offered, and once trusted the test passes', async () => {
    const server = await fixture({ certificate: certs.selfSigned, secure });
    const before = await runTest({ variables: variables(server.port) });
    expect(before).toMatchObject({ ok: false, class: 'CERT_SELF_SIGNED' });

    const { chain, failure } = await fetchCertificateChain({ host: '127.0.0.1', port: server.port, security });
    expect(failure).toBeUndefined();
    expect(chain).toHaveLength(1);
    expect(chain[0]).toMatchObject({ subject: 'CN=smtp.n8n-setup.test', selfSigned: true });
    expect(chain[0]!.pem.trim()).toBe(certs.selfSigned.cert.trim());
    const chosen = certificateToTrust(chain)!;
    const { caFile } = await trustServerCertificate(dataFolder, { host: '127.0.0.1', port: server.port, pem: chosen.pem });
    expect(statSync(caFile).mode & 0o777).toBe(0o644);

    const after = await runTest({ variables: variables(server.port), extraCa: readFileSync(caFile, 'utf8') });
    expect(after).toMatchObject({ ok: true });
    expect(server.messages).toHaveLength(1);
  });

  it('a private CA the server sends with its certificate: the CA is offered, not the leaf, and trusting it makes the test pass', async () => {
    const server = await fixture({ certificate: { key: certs.valid.key, cert: `${certs.valid.cert.trim()}\n${certs.caPem}` }, secure });
    // A root sent along is "self-signed certificate in chain" to Node: the same class as a self-signed server.
    expect(await runTest({ variables: variables(server.port) })).toMatchObject({ ok: false, class: 'CERT_SELF_SIGNED' });

    const { chain } = await fetchCertificateChain({ host: '127.0.0.1', port: server.port, security });
    expect(chain.map((c) => [c.subject, c.ca, c.selfSigned])).toEqual([
      ['CN=smtp.n8n-setup.test', false, false],
      ['CN=n8n-setup throwaway test CA', true, true],
    ]);
    expect(chain[1]!.sha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const chosen = certificateToTrust(chain)!;
    expect(chosen.subject).toBe('CN=n8n-setup throwaway test CA');
    const { caFile } = await trustServerCertificate(dataFolder, { host: '127.0.0.1', port: server.port, pem: chosen.pem });
    expect(await runTest({ variables: variables(server.port), extraCa: readFileSync(caFile, 'utf8') })).toMatchObject({ ok: true });
  });
});

describe('what cannot be trusted', () => {
  it('a server that sends only its own certificate, signed by a CA it does not send: nothing is offered, and its leaf is refused', async () => {
    const server = await fixture({ certificate: certs.valid });
    const { chain } = await fetchCertificateChain({ host: '127.0.0.1', port: server.port, security: 'starttls' });
    expect(chain).toHaveLength(1);
    expect(certificateToTrust(chain)).toBeUndefined();
    await expect(trustServerCertificate(dataFolder, { host: '127.0.0.1', port: server.port, pem: chain[0]!.pem })).rejects.toMatchObject({ code: 'INVALID_VALUE', message: /neither a CA nor self-signed/ });
  });

  it('a host name of 253 characters still gives a file name the file system takes', async () => {
    const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const { caFile } = await trustServerCertificate(dataFolder, { host, port: 587, pem: certs.caPem });
    expect(caFile.split('/').at(-1)!.length).toBeLessThan(100);
    expect(readFileSync(caFile, 'utf8').trim()).toBe(certs.caPem.trim());
  });

  it('text that is not exactly one certificate is refused with the fix', async () => {
    await expect(trustServerCertificate(dataFolder, { host: 'h', port: 1, pem: 'hello' })).rejects.toMatchObject({ code: 'INVALID_VALUE', message: 'Expected one PEM certificate, got 0.' });
    await expect(trustServerCertificate(dataFolder, { host: 'h', port: 1, pem: `${certs.caPem}${certs.caPem}` })).rejects.toMatchObject({ message: 'Expected one PEM certificate, got 2.' });
    await expect(trustServerCertificate(dataFolder, { host: 'h', port: 1, pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })).rejects.toMatchObject({ message: /cannot be read/ });
  });

  it('a server without STARTTLS, or nothing listening, says so instead of a chain', async () => {
    const plain = await fixture({});
    expect(await fetchCertificateChain({ host: '127.0.0.1', port: plain.port, security: 'starttls' })).toMatchObject({ chain: [], failure: { class: 'STARTTLS_NOT_OFFERED' } });
    const closedPort = plain.port;
    await plain.close();
    open.splice(open.indexOf(plain), 1);
    expect(await fetchCertificateChain({ host: '127.0.0.1', port: closedPort, security: 'tls' })).toMatchObject({ chain: [], failure: { class: 'CONNECTION_REFUSED' } });
  });
});
