import { rmSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecret } from './secret-leaks.js';
import { startTokenEndpoint, type TokenEndpoint } from './oauth-token-endpoint.js';
import { startSmtpFixture, type SmtpFixture } from './smtp-fixtures.js';
import { allResults, n8nVariables, runTest, warningCodes } from './smtp-test-setup.js';
import { makeTestCertificates, type TestCertificates } from './test-certificates.js';

const MAILBOX = 'n8n@workspace.example.test';
const SERVICE_CLIENT = '112233445566778899';
const ACCESS_TOKEN = 'ya29.loopback-access-token-0123456789';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

let certs: TestCertificates;
let server: SmtpFixture;
const endpoints: TokenEndpoint[] = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  server = await startSmtpFixture({ certificate: certs.valid, oauth2: { [MAILBOX]: ACCESS_TOKEN } });
});

afterAll(async () => {
  rmSync(certs.dir, { recursive: true, force: true });
  // The secrets here are the access token and the private key: none of their spellings in any result.
  for (const result of allResults) {
    expectNoSecret(result, ACCESS_TOKEN, MAILBOX);
    for (const line of privateKey.split('\n').filter((l) => l.length >= 16)) expectNoSecret(result, line);
  }
  await server.close();
  await Promise.all(endpoints.map((e) => e.close()));
});

async function tokenEndpoint(refuse = false): Promise<TokenEndpoint> {
  const endpoint = await startTokenEndpoint({ publicKey, serviceClient: SERVICE_CLIENT, user: MAILBOX, accessToken: ACCESS_TOKEN, refuse });
  endpoints.push(endpoint);
  return endpoint;
}

/** As a .env holds it: one line, newlines written as the two characters "\n" (n8n turns them back). */
const keyAsEnvValue = privateKey.trim().replace(/\n/g, '\\n');

function oauthVariables() {
  return n8nVariables(server.port, { N8N_SMTP_USER: MAILBOX, N8N_SMTP_PASS: undefined, N8N_SMTP_OAUTH_SERVICE_CLIENT: SERVICE_CLIENT, N8N_SMTP_OAUTH_PRIVATE_KEY: keyAsEnvValue });
}

describe('Google service-account OAuth2 (n8n\'s transport shape, token URL pointed at loopback)', () => {
  it('gets a token with the signed JWT, logs in with XOAUTH2 and sends', async () => {
    const endpoint = await tokenEndpoint();
    const result = await runTest({ variables: oauthVariables(), extraCa: certs.caPem, oauthTokenUrl: endpoint.url });

    expect(result).toMatchObject({ ok: true, settings: { login: 'oauth2', user: MAILBOX } });
    expect(warningCodes(result)).toEqual([]);
    expect(endpoint.requests).toBe(1);
    expect(server.messages.at(-1)).toMatchObject({ user: MAILBOX, secure: true });
    expect(result.transcript.map((l) => l.text)).toContain('AUTH XOAUTH2 [redacted]');
    expectNoSecret(result, ACCESS_TOKEN, MAILBOX);
    for (const line of privateKey.split('\n').filter((l) => l.length > 40)) expect(JSON.stringify(result)).not.toContain(line);
  });

  it('a token request the endpoint refuses → OAUTH2_FAILED naming the OAuth variables', async () => {
    const endpoint = await tokenEndpoint(true);
    const result = await runTest({ variables: oauthVariables(), extraCa: certs.caPem, oauthTokenUrl: endpoint.url });

    expect(result).toMatchObject({ ok: false, class: 'OAUTH2_FAILED', kind: 'auth', variables: ['N8N_SMTP_OAUTH_SERVICE_CLIENT', 'N8N_SMTP_OAUTH_PRIVATE_KEY', 'N8N_SMTP_USER'] });
    expect(JSON.stringify(result.transcript)).toContain('unauthorized_client');
    expectNoSecret(result, privateKey.split('\n')[1] ?? '', MAILBOX);
  });

  it('a token the SMTP server does not accept → OAUTH2_FAILED', async () => {
    const endpoint = await startTokenEndpoint({ publicKey, serviceClient: SERVICE_CLIENT, user: MAILBOX, accessToken: 'ya29.some-other-token' });
    endpoints.push(endpoint);
    const result = await runTest({ variables: oauthVariables(), extraCa: certs.caPem, oauthTokenUrl: endpoint.url });
    expect(result).toMatchObject({ ok: false, class: 'OAUTH2_FAILED' });
    expect(result.ok === false && result.serverReply).toMatch(/^535 /);
  });
});
