import fc from 'fast-check';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names.js';
import { contentSecurityPolicy } from '../../shared/ipc/security-headers.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { createAppUnderTest } from '../app/test-support/app-under-test.js';
import { startServeServer, type ServeServer } from './serve-server.js';
import { callApi, makeRendererFolder, send, signIn, startServeUnderTest, type ServeUnderTest } from './test-support/http-client.js';

const STRICT_CSP = contentSecurityPolicy({ dev: false });

describe('serve (real HTTP on 127.0.0.1)', () => {
  let served: ServeUnderTest;
  let server: ServeServer;
  let cookie: string;
  beforeAll(async () => {
    served = await startServeUnderTest();
    ({ server, cookie } = served);
  });
  afterAll(() => served.stop());

  /** A second server over the same app whose token no browser has used yet. */
  async function withUnusedToken(use: (fresh: ServeServer) => Promise<void>): Promise<void> {
    const fresh = await startServeServer({ port: 0, rendererDir: served.rendererDir, table: served.app.table });
    try {
      await use(fresh);
    } finally {
      await fresh.close();
    }
  }

  it('prints a link to 127.0.0.1 with a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  describe('authentication', () => {
    it.each(['/', '/assets/index.js', '/api/events'])('answers GET %s without token or cookie with 401', async (path) => {
      const response = await send(server.port, { path });
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', fix: expect.stringContaining('token') } });
    });

    it('answers an API call without a cookie, or with a made-up one, with 401', async () => {
      expect((await callApi(server.port, '', 'appInfo', {})).status).toBe(401);
      expect((await callApi(server.port, `${cookie.split('=')[0]}=forged`, 'appInfo', {})).status).toBe(401);
      expect((await callApi(server.port, `n8n_setup_00000000=${cookie.split('=')[1]}`, 'appInfo', {})).status).toBe(401);
    });

    it('refuses a wrong token, or the token anywhere but GET /', async () => {
      expect((await send(server.port, { path: '/?token=guess' })).status).toBe(401);
      expect((await send(server.port, { path: `/assets/index.js?token=${server.token}` })).status).toBe(401);
      expect((await send(server.port, { method: 'POST', path: `/?token=${server.token}` })).status).toBe(401);
    });

    it('trades the token for an HttpOnly, SameSite=Strict session cookie and a redirect that drops it from the address', async () => {
      await withUnusedToken(async (fresh) => {
        const response = await send(fresh.port, { path: `/?token=${fresh.token}` });
        expect(response.status).toBe(303);
        expect(response.headers.location).toBe('/');
        expect(response.headers['set-cookie']?.[0]).toMatch(/^n8n_setup_[0-9a-f]{8}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
        expect(response.headers['referrer-policy']).toBe('no-referrer');
      });
    });

    it('takes the token once: a second use gets 401 pointing to the open session or a restart, and the first session keeps working', async () => {
      await withUnusedToken(async (fresh) => {
        const first = await signIn(fresh.port, fresh.token);
        for (const host of [`127.0.0.1:${fresh.port}`, 'localhost:9000']) {
          const again = await send(fresh.port, { path: `/?token=${fresh.token}`, headers: { host } });
          expect(again.status).toBe(401);
          expect(again.headers['set-cookie']).toBeUndefined();
          expect(JSON.parse(again.body)).toMatchObject({ ok: false, error: { code: 'TOKEN_ALREADY_USED', message: expect.stringContaining('once'), fix: expect.stringMatching(/already open[\s\S]*restart/) } });
        }
        expect((await send(fresh.port, { headers: { cookie: first } })).status).toBe(200);
        expect(JSON.parse((await callApi(fresh.port, first, 'appInfo', {})).body)).toMatchObject({ ok: true });
        // A wrong token is still just a wrong token.
        expect(JSON.parse((await send(fresh.port, { path: '/?token=guess' })).body)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });

        // A second browser opening the used address gets a page in words, not JSON; with the same CSP, nothing of the token in it.
        const browser = await send(fresh.port, { path: `/?token=${fresh.token}`, headers: { accept: 'text/html,application/xhtml+xml', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none' } });
        expect(browser.status).toBe(401);
        expect(browser.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(browser.headers['content-security-policy']).toBe(STRICT_CSP);
        expect(browser.body).toContain('<p>This address has already signed a browser in, and it works only once.</p>');
        expect(browser.body).toMatch(/restart `n8n-setup serve`/);
        expect(browser.body).not.toContain('{"ok"');
        expect(browser.body).not.toContain(fresh.token);
        const noSession = await send(fresh.port, { headers: { accept: 'text/html' } });
        expect([noSession.status, noSession.headers['content-type']]).toEqual([401, 'text/html; charset=utf-8']);
      });
    });

    it('refuses the token of the running suite, which signed in at the start', async () => {
      expect((await send(server.port, { path: `/?token=${server.token}` })).status).toBe(401);
      expect((await callApi(server.port, cookie, 'appInfo', {})).status).toBe(200);
    });

    it('serves the page, with the same CSP header as the app, once the cookie is there', async () => {
      const page = await send(server.port, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toBe(STRICT_CSP);
      expect(page.headers['x-content-type-options']).toBe('nosniff');
      expect(page.body).toContain('<title>n8n Setup</title>');
      const asset = await send(server.port, { path: '/assets/index.js', headers: { cookie } });
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    });
  });

  describe('Host and Origin', () => {
    it.each(['evil.example', 'evil.example:80', 'localhost.evil.example', '127.0.0.2', '10.0.0.1:5680', '[::2]:5680', 'LOCALHOST:99999'])('refuses Host %j with 403 even with a valid cookie', async (host) => {
      const response = await callApi(server.port, cookie, 'appInfo', {}, { host });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_HOST' } });
    });

    it('refuses a request without a Host header', async () => {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: server.port }, () => socket.end(`GET / HTTP/1.1\r\ncookie: ${cookie}\r\nconnection: close\r\n\r\n`));
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text)).on('error', reject);
      });
      expect(reply).toMatch(/^HTTP\/1\.1 40[03] /);
    });

    it('answers a tunnel: Host localhost:9000, with its own cookie and matching Origin', async () => {
      await withUnusedToken(async (fresh) => {
        const tunnelCookie = await signIn(fresh.port, fresh.token, 'localhost:9000');
        const response = await callApi(fresh.port, tunnelCookie, 'appInfo', {}, { host: 'localhost:9000', origin: 'http://localhost:9000', 'sec-fetch-site': 'same-origin' });
        expect(response.status).toBe(200);
        expect(JSON.parse(response.body)).toMatchObject({ ok: true, data: { transport: 'http' } });
      });
      expect((await callApi(server.port, cookie, 'appInfo', {}, { host: '[::1]:8080' })).status).toBe(200);
      expect((await callApi(server.port, cookie, 'appInfo', {}, { host: 'localhost' })).status).toBe(200);
    });

    it.each([
      ['another port', { origin: 'http://localhost:9001', host: 'localhost:9000' }],
      ['another host name for this server', { origin: 'http://localhost:9000', host: '127.0.0.1:9000' }],
      ['https', { origin: 'https://localhost:9000', host: 'localhost:9000' }],
      ['a sandboxed page', { origin: 'null', host: 'localhost:9000' }],
      ['another site', { origin: 'https://evil.example', host: 'localhost:9000' }],
    ])('refuses an Origin from %s with 403', async (_why, headers) => {
      const response = await callApi(server.port, cookie, 'appInfo', {}, headers);
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    });

    it.each(['same-site', 'cross-site'])('refuses Sec-Fetch-Site: %s (another localhost app or site)', async (site) => {
      expect((await callApi(server.port, cookie, 'appInfo', {}, { 'sec-fetch-site': site })).status).toBe(403);
    });
  });

  describe('listening', () => {
    it('listens on 127.0.0.1 only: [::1] and every other address of this machine are refused', async () => {
      const others = new Set(['::1', ...Object.values(networkInterfaces()).flatMap((infos) => (infos ?? []).map((info) => info.address))]);
      others.delete('127.0.0.1');
      for (const address of others) {
        const outcome = await new Promise<string>((resolve) => {
          const socket = connect({ host: address, port: server.port, timeout: 2000 });
          socket.on('connect', () => (socket.destroy(), resolve('connected')));
          socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
          socket.on('timeout', () => (socket.destroy(), resolve('timeout')));
        });
        expect(outcome, address).not.toBe('connected');
      }
    });
  });

  describe('the API', () => {
    it('answers every contract channel at POST /api/<channel> (none is missing)', async () => {
      for (const channel of CHANNEL_NAMES) {
        const response = await callApi(server.port, cookie, channel, { __probe: true });
        expect(response.status, channel).toBe(200);
        expect(JSON.parse(response.body), channel).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
      }
      expect((await callApi(server.port, cookie, 'dropDatabase', {})).status).toBe(404);
    });

    it('refuses other methods and content types with typed errors', async () => {
      expect((await send(server.port, { path: '/api/appInfo', headers: { cookie } })).status).toBe(405);
      const form = await send(server.port, { method: 'POST', path: '/api/forgetAllSecrets', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
      expect(form.status).toBe(415);
      expect(JSON.parse(form.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    });

    it('refuses a body over the limit with 413', async () => {
      const response = await send(server.port, { method: 'POST', path: '/api/saveDraft', headers: { cookie, 'content-type': 'application/json' }, body: Buffer.alloc(3 * 1024 * 1024 + 1, 0x20) });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    });

    it('answers ≥ 1000 malformed bodies with typed errors and stays up', async () => {
      const channel = fc.oneof(fc.constantFrom(...CHANNEL_NAMES), fc.string({ maxLength: 20 }).map(encodeURIComponent));
      const body = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 3 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      );
      const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/JSON');
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(channel, body, contentType, async (name, text, type) => {
          const response = await send(server.port, { method: 'POST', path: `/api/${name}`, headers: { cookie, 'content-type': type }, body: text });
          sent++;
          expect([200, 400, 404, 415]).toContain(response.status);
          const parsed = JSON.parse(response.body);
          if (parsed.ok) return; // a random body that happens to be a valid request (e.g. {} for appInfo)
          expect(parsed.error).toEqual({ code: expect.any(String), message: expect.any(String), ...(parsed.error.field !== undefined && { field: expect.any(String) }), ...(parsed.error.fix !== undefined && { fix: expect.any(String) }) });
        }),
        { numRuns: 1200 },
      );
      expect(sent).toBeGreaterThanOrEqual(1000);
      expect(JSON.parse((await callApi(server.port, cookie, 'appInfo', {})).body)).toMatchObject({ ok: true });
    });
  });

  describe('SMTP stages over server-sent events', () => {
    it("streams a test's stages to the browser session that runs it", async () => {
      const smtp = await startSmtpFixture();
      const received: string[] = [];
      const stream = await new Promise<IncomingMessage>((resolve, reject) => {
        request({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host: `127.0.0.1:${server.port}`, cookie } }, resolve).on('error', reject).end();
      });
      expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => received.push(text));
      try {
        const profile = { version: 1, email: { mode: 'smtp', host: '127.0.0.1', port: smtp.port, security: 'none', auth: { type: 'none' }, sender: 'n8n@example.com' }, url: { public: 'https://n8n.example.com/' } };
        const result = JSON.parse((await callApi(server.port, cookie, 'testSmtp', { runId: 'sse-1', profile, to: 'admin@example.com' })).body);
        expect(result).toMatchObject({ ok: true, data: { ok: true } });
        await expect.poll(() => received.join('')).toContain('"stage":"done"');
        const events = received.join('').split('\n\n').filter((block) => block.startsWith('event: '));
        expect(events[0]).toMatch(/^event: smtpStage\ndata: \{"runId":"sse-1","stage":"resolve"/);
      } finally {
        stream.destroy();
        await smtp.close();
      }
    });
  });
});

describe('stopping serve', () => {
  it('closes promptly with an event stream and keep-alive connections open, then refuses connections', async () => {
    const app = await createAppUnderTest();
    const rendererDir = await makeRendererFolder();
    const server = await startServeServer({ port: 0, rendererDir, table: app.table });
    const cookie = await signIn(server.port, server.token);
    const stream = await new Promise<IncomingMessage>((resolve) => request({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: { host: `127.0.0.1:${server.port}`, cookie } }, resolve).end());
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => (stream.complete ? resolve(undefined) : stream.on('close', resolve).resume()));
    await expect(send(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await app.remove();
    await rm(rendererDir, { recursive: true, force: true });
  });

  it('says which port is taken', async () => {
    const app = await createAppUnderTest();
    const first = await startServeServer({ port: 0, rendererDir: '/nonexistent', table: app.table });
    await expect(startServeServer({ port: first.port, rendererDir: '/nonexistent', table: app.table })).rejects.toMatchObject({ code: 'PORT_IN_USE', field: 'port' });
    await first.close();
    await app.remove();
  });
});
