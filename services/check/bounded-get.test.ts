import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SetupError } from '../../shared/errors.js';
import { boundedGet, MAX_BODY_BYTES, type BoundedGetOptions, type LookupAll } from './bounded-get.js';
import { startFakeServer, type FakeServer } from './test-support/fake-n8n-server.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

async function failure(url: string, options: Partial<BoundedGetOptions> = {}): Promise<SetupError> {
  const error = await boundedGet(url, { timeoutMs: 5_000, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SetupError);
  return error as SetupError;
}

/** A test name for a loopback server, resolved without DNS. */
function resolveTo(...addresses: string[]): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  return Object.assign(async (host: string) => {
    calls.push(host);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }, { calls });
}

/** Writes until the client stops reading; counts what it wrote. */
function endlessBody(sent: { bytes: number; closed: boolean }) {
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    response.on('close', () => (sent.closed = true));
    const pump = () => {
      while (!response.destroyed && sent.bytes < 1024 ** 3) {
        sent.bytes += chunk.length;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
    };
    pump();
  };
}

describe('boundedGet: redirects', () => {
  it('follows a redirect within the origin', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/old') return void response.writeHead(301, { location: '/new' }).end();
      response.writeHead(200).end(`at ${request.url}`);
    });
    const answer = await boundedGet(`${server.url}/old`, { timeoutMs: 5_000 });
    expect(answer).toMatchObject({ url: `${server.url}/new`, status: 200 });
    expect(answer.body.toString()).toBe('at /new');
  });

  it('does not follow a redirect to another origin: the error names it, and the other server is never contacted', async () => {
    let contacted = 0;
    const elsewhere = await serve((_request, response) => {
      contacted += 1;
      response.writeHead(200).end('{}');
    });
    const server = await serve((_request, response) => void response.writeHead(302, { location: `${elsewhere.url}/healthz` }).end());
    const error = await failure(`${server.url}/healthz`);
    expect(error).toMatchObject({ code: 'REDIRECT_REFUSED', field: 'url' });
    expect(error.message).toBe(`${server.url}/healthz redirects to ${elsewhere.url}/healthz, on another origin (${elsewhere.url}); check follows redirects only within ${server.url}.`);
    expect(error.fix).toBe(`If n8n is reached at ${elsewhere.url}, check that address instead: --url ${elsewhere.url}.`);
    expect(contacted).toBe(0);
  });

  it('counts a change of scheme (http → https on the same host) as another origin', async () => {
    const server = await serve((_request, response) => void response.writeHead(308, { location: `https://127.0.0.1:${new URL(server.url).port}/rest/settings` }).end());
    const error = await failure(`${server.url}/rest/settings`);
    expect(error.code).toBe('REDIRECT_REFUSED');
    expect(error.fix).toMatch(/--url https:\/\/127\.0\.0\.1:\d+\.$/);
  });

  it('gives up on a redirect loop', async () => {
    const server = await serve((_request, response) => void response.writeHead(302, { location: '/again' }).end());
    expect(await failure(`${server.url}/start`)).toMatchObject({ code: 'REDIRECT_REFUSED', message: expect.stringMatching(/redirects more than 5 times/) });
  });
});

describe('boundedGet: addresses', () => {
  it('refuses a name that resolves to the metadata address, before connecting, naming both', async () => {
    const lookup = resolveTo('169.254.169.254');
    const error = await failure('http://n8n.test:5678/healthz', { lookup });
    expect(lookup.calls).toEqual(['n8n.test']);
    expect(error).toMatchObject({ code: 'ADDRESS_REFUSED', field: 'url' });
    expect(error.message).toMatch(/^n8n\.test resolves to 169\.254\.169\.254, a cloud metadata address .*: check does not connect there unless the URL names that address itself\.$/);
    expect(error.fix).toMatch(/--url http:\/\/169\.254\.169\.254:5678.*fix the DNS record of n8n\.test/);
  });

  it('refuses a name with a link-local address among its addresses, even beside a usable one', async () => {
    const server = await serve((_request, response) => void response.writeHead(200).end('reached'));
    const error = await failure(`http://n8n.test:${new URL(server.url).port}/healthz`, { lookup: resolveTo('127.0.0.1', 'fe80::1') });
    expect(error).toMatchObject({ code: 'ADDRESS_REFUSED', message: expect.stringContaining('fe80::1, a link-local address') });
  });

  it('connects to the address the name resolves to when it is allowed', async () => {
    const server = await serve((request, response) => void response.writeHead(200).end(`host ${request.headers.host}`));
    const port = new URL(server.url).port;
    const answer = await boundedGet(`http://n8n.test:${port}/healthz`, { timeoutMs: 5_000, lookup: resolveTo('127.0.0.1') });
    expect(answer.body.toString()).toBe(`host n8n.test:${port}`);
  });
});

describe('boundedGet: size', () => {
  it('reads a body of exactly the cap', async () => {
    const server = await serve((_request, response) => void response.writeHead(200).end(Buffer.alloc(MAX_BODY_BYTES, 'a')));
    expect((await boundedGet(server.url, { timeoutMs: 5_000 })).body.length).toBe(MAX_BODY_BYTES);
  });

  it('stops reading an endless body past 1 MiB, at once and holding no more than the cap', async () => {
    const sent = { bytes: 0, closed: false };
    const server = await serve(endlessBody(sent));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const error = await failure(`${server.url}/rest/settings`, { timeoutMs: 10_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', field: 'url', message: expect.stringMatching(/\/rest\/settings sent more than 1 MiB/) });
    await expect.poll(() => sent.closed).toBe(true);
    // The server could write only what the kernel's socket buffers hold beyond what was read.
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a body that announces more than the cap without reading it', async () => {
    const sent = { bytes: 0, closed: false };
    const endless = endlessBody(sent);
    const server = await serve((request, response) => {
      response.setHeader('content-length', String(4 * 1024 ** 3));
      endless(request, response);
    });
    expect((await failure(server.url)).code).toBe('RESPONSE_TOO_LARGE');
  });

  it('keeps to the deadline when the body trickles without end', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write('x'), 20);
      response.on('close', () => clearInterval(timer));
    });
    const started = performance.now();
    expect(await failure(server.url, { timeoutMs: 500 })).toMatchObject({ code: 'INSTANCE_UNREACHABLE', message: expect.stringMatching(/within 0.5 s/) });
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});
