import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/ipc/security-headers.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { FakeProtocol } from './test-support/fake-electron.js';

describe('the app:// protocol (fake protocol)', () => {
  let base: string;
  let rendererDir: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'n8n-setup-out-'));
    rendererDir = join(base, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>n8n Setup</title>');
    await writeFile(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(join(base, 'secret.txt'), 'outside the renderer folder');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  function served() {
    const protocol = new FakeProtocol();
    serveAppProtocol(protocol as never, rendererDir);
    const handler = protocol.handlers.get('app');
    if (!handler) throw new Error('no app: handler');
    return (url: string, method = 'GET') => handler(new Request(url, { method }));
  }

  it('registers app: as a standard, secure scheme without a CSP bypass', () => {
    const protocol = new FakeProtocol();
    registerAppScheme(protocol as never);
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
  });

  it('serves the page with the strict CSP header', async () => {
    const response = await served()('app://renderer/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ dev: false }));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>n8n Setup</title>');
  });

  it.each(['app://renderer/../secret.txt', 'app://renderer/%2e%2e/secret.txt', 'app://renderer/..%2fsecret.txt', 'app://other/index.html', 'app://renderer/missing.js', 'app://renderer/assets'])(
    'answers %s with 404 and still the CSP header',
    async (url) => {
      const response = await served()(url);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy({ dev: false }));
    },
  );

  it('refuses methods other than GET and HEAD', async () => {
    expect((await served()('app://renderer/index.html', 'POST')).status).toBe(405);
    expect((await served()('app://renderer/index.html', 'HEAD')).status).toBe(200);
  });
});
