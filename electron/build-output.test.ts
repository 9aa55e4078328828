/**
 * The real build (electron-vite, as `npm run build:app` runs it, into a scratch folder inside the repo so
 * the bundle resolves node_modules as it will in the package), checked file by file; the main bundle is
 * started in plain Node with a fake `electron` module to see what startup loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../shared/ipc/channel-names.js';
import { SUBSCRIPTION_NAMES } from '../shared/ipc/setup-api.js';
import { metaContentSecurityPolicy } from '../shared/ipc/security-headers.js';
import { mainWindowOptions } from './main/window-factory.js';

const run = promisify(execFile);
const REPO = join(import.meta.dirname, '..');

describe('the build output', () => {
  let scratch: string;
  let out: string;
  beforeAll(async () => {
    await import('node:fs/promises').then((fs) => fs.mkdir(join(REPO, '.cache'), { recursive: true }));
    scratch = await mkdtemp(join(REPO, '.cache', 'build-output-'));
    out = join(scratch, 'out');
    await run(process.execPath, [join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'error'], { cwd: REPO });
  }, 120_000);
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('has the main bundle, one CommonJS preload file and the renderer', async () => {
    expect(await readdir(join(out, 'main'))).toContain('index.js');
    expect(await readdir(join(out, 'preload'))).toEqual(['index.cjs']);
    expect(await readdir(join(out, 'renderer'))).toEqual(expect.arrayContaining(['index.html', 'assets']));
  });

  it('bundles the preload self-contained: it requires electron and nothing else, and exposes exactly the API', async () => {
    const code = await readFile(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    const exposed: Array<{ name: string; api: Record<string, unknown> }> = [];
    const required: string[] = [];
    const fakeElectron = { contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push({ name, api }) }, ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined } };
    const module = { exports: {} };
    runInNewContext(code, { require: (id: string) => (required.push(id), fakeElectron), module, exports: module.exports });
    expect(required).toEqual(['electron']);
    expect(exposed.map((e) => e.name)).toEqual(['n8nSetup']);
    expect(Object.keys(exposed[0]?.api ?? {}).sort()).toEqual([...CHANNEL_NAMES, ...SUBSCRIPTION_NAMES].sort());
  });

  it('writes the strict CSP into the built index.html', async () => {
    const html = await readFile(join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${metaContentSecurityPolicy({ dev: false })}" />`);
  });

  it('bundles the API client into the renderer (the HTTP client and the preload lookup)', async () => {
    const assets = await readdir(join(out, 'renderer', 'assets'));
    const code = (await Promise.all(assets.filter((a) => a.endsWith('.js')).map((a) => readFile(join(out, 'renderer', 'assets', a), 'utf8')))).join('\n');
    expect(code).toContain('/api/events');
    expect(code).toContain('n8nSetup');
    expect(code).not.toMatch(/\bnew Function\(|\beval\(/);
  });

  it('starts without loading nodemailer or the keychain module, and opens its window through the factory', async () => {
    const userData = await mkdtemp(join(scratch, 'user-data-'));
    const { stdout } = await run(process.execPath, ['--import', join(import.meta.dirname, 'test-support', 'load-with-fake-electron.mjs'), join(out, 'main', 'index.js')], {
      cwd: scratch,
      env: { ...process.env, FAKE_USER_DATA: userData, ELECTRON_RENDERER_URL: '' },
      timeout: 20_000,
    });
    const report = JSON.parse(stdout) as { windows: unknown[]; ipcChannels: string[]; modules: string[]; loadedUrl: string; sandbox: boolean; protocols: string[] };
    expect(report.modules.some((url) => url.includes('/node_modules/zod/'))).toBe(true); // the recorder works
    expect(report.modules.filter((url) => /nodemailer|keytar/.test(url))).toEqual([]);
    expect(report.windows).toEqual([mainWindowOptions(join(out, 'preload', 'index.cjs'), { devTools: true })]);
    expect(report.loadedUrl).toBe('app://renderer/index.html');
    expect(report.sandbox).toBe(true);
    expect(report.protocols).toEqual(['app']);
    expect(report.ipcChannels).toHaveLength(CHANNEL_NAMES.length);
  });

  it('keeps nodemailer and the keychain module in chunks that only a call imports', async () => {
    const main = await readFile(join(out, 'main', 'index.js'), 'utf8');
    const staticImports = [...main.matchAll(/^import\s+(?:[^;]*?from\s*)?"([^"]+)"/gm)].map((m) => m[1]);
    expect(staticImports.filter((s) => /nodemailer|keytar/.test(s ?? ''))).toEqual([]);
    const chunks = await readdir(join(out, 'main', 'chunks'));
    expect(chunks.some((c) => c.startsWith('send-test-email'))).toBe(true);
  });
});
