import { afterEach, describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import { readInstance } from './read-instance.js';
import { startFakeN8n, startFakeServer, type FakeServer } from './test-support/fake-n8n-server.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(url: string, timeoutMs = 5_000): Promise<SetupError> {
  const error = await readInstance(url, { timeoutMs }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SetupError);
  return error as SetupError;
}

describe('readInstance', () => {
  it('reads /healthz and the public settings, with or without a trailing slash', async () => {
    server = await startFakeN8n({ instanceUrl: 'https://n8n.example.com', smtpSetup: true, secureCookie: true });
    const reading = await readInstance(`${server.url}/`, { timeoutMs: 5_000 });
    expect(reading.url).toBe(server.url);
    expect(reading.settings).toEqual({ instanceUrl: 'https://n8n.example.com', smtpSetup: true, secureCookie: true });
  });

  it('says nothing listens when the connection is refused', async () => {
    server = await startFakeN8n();
    const url = server.url;
    await server.close();
    server = undefined;
    const error = await failure(url);
    expect(error.code).toBe('INSTANCE_UNREACHABLE');
    expect(error.message).toMatch(/connection refused/);
    expect(error.fix).toMatch(/docker compose up -d/);
  });

  it('gives up within the timeout when nothing answers', async () => {
    server = await startFakeServer(() => undefined);
    const started = Date.now();
    const error = await failure(server.url, 300);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: 'INSTANCE_UNREACHABLE', message: expect.stringMatching(/No answer .* within 0.3 s/) });
  });

  it('says "not n8n" for another web server, naming what answered', async () => {
    server = await startFakeServer((_request, response) => response.writeHead(404).end('Not Found'));
    const error = await failure(server.url);
    expect(error).toMatchObject({ code: 'NOT_N8N', message: expect.stringMatching(/healthz answered HTTP 404/) });
  });

  it('says "not n8n" when /rest/settings is not n8n\'s (a proxy sending its own page)', async () => {
    server = await startFakeServer((request, response) => {
      if (request.url === '/healthz') return void response.writeHead(200).end('{"status":"ok"}');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    });
    expect((await failure(server.url)).code).toBe('NOT_N8N');
  });

  it('refuses a URL that is not http(s) as invalid input', async () => {
    expect(await failure('n8n.example.com')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'url' });
    expect(await failure('ftp://n8n.example.com')).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'url' });
  });
});
