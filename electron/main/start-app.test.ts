import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, ipcChannel } from '../../shared/ipc/channel-names.js';
import { startApp, type ElectronModules } from './start-app.js';
import { FakeBrowserWindow, FakeEmitter, FakeProtocol, FakeSession } from './test-support/fake-electron.js';
import { mainWindowOptions } from './window-factory.js';

const PATHS = { rendererDir: '/app/out/renderer', preload: '/app/out/preload/index.cjs' };

/** Fake Electron modules that record the order things happened in. */
function fakeElectron(options: { lock: boolean; isPackaged: boolean; userData: string }) {
  const steps: string[] = [];
  let ready!: () => void;
  const whenReady = new Promise<void>((resolve) => (ready = resolve));
  const app = Object.assign(new FakeEmitter(), {
    isPackaged: options.isPackaged,
    quitCalls: 0,
    requestSingleInstanceLock: () => (steps.push('lock'), options.lock),
    quit() {
      this.quitCalls++;
    },
    enableSandbox: () => void steps.push('enableSandbox'),
    whenReady: () => whenReady.then(() => void steps.push('ready')),
    getPath: (name: string) => (name === 'userData' ? options.userData : '/nowhere'),
    getVersion: () => '1.2.3',
  });
  const protocol = new FakeProtocol();
  const registerSchemes = protocol.registerSchemesAsPrivileged.bind(protocol);
  protocol.registerSchemesAsPrivileged = (schemes) => (steps.push('registerScheme'), registerSchemes(schemes));
  const handled = new Map<string, (...args: any[]) => unknown>();
  const opened: string[] = [];
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => undefined },
    ipcMain: { handle: (channel: string, listener: (...args: any[]) => unknown) => void handled.set(channel, listener) },
    protocol,
    session: { defaultSession: new FakeSession() },
    shell: { openExternal: async (url: string) => void opened.push(url) },
  };
  return { electron, app, steps, ready, handled, opened, protocol };
}

describe('startApp (fake Electron modules)', () => {
  let userData: string;
  beforeEach(async () => {
    FakeBrowserWindow.created = [];
    userData = await mkdtemp(join(tmpdir(), 'n8n-setup-userdata-'));
  });
  afterEach(() => rm(userData, { recursive: true, force: true }));

  async function started(isPackaged = true) {
    const fake = fakeElectron({ lock: true, isPackaged, userData });
    startApp(fake.electron as unknown as ElectronModules, PATHS, {});
    fake.ready();
    await expect.poll(() => FakeBrowserWindow.created.length).toBe(1);
    return fake;
  }

  it('quits at once when another instance holds the lock, opening nothing', async () => {
    const fake = fakeElectron({ lock: false, isPackaged: true, userData });
    startApp(fake.electron as unknown as ElectronModules, PATHS, {});
    fake.ready();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.steps).toEqual(['lock']);
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(fake.handled.size).toBe(0);
  });

  it('sandboxes every renderer and registers app: before ready', async () => {
    const fake = await started();
    expect(fake.steps.slice(0, 4)).toEqual(['lock', 'enableSandbox', 'registerScheme', 'ready']);
  });

  it('creates its one window through the window factory, loading app://', async () => {
    await started();
    const [window] = FakeBrowserWindow.created;
    expect(window?.options).toStrictEqual(mainWindowOptions(PATHS.preload, { devTools: false }));
    expect(window?.loadedUrl).toBe('app://renderer/index.html');
    expect(window?.webContents.windowOpenHandler?.({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });

  it('hardens the session and serves app: with the CSP before the window loads', async () => {
    const fake = await started();
    expect(fake.electron.session.defaultSession.permissionRequestHandler).toBeDefined();
    const response = await fake.protocol.handlers.get('app')?.(new Request('app://renderer/missing.js'));
    expect(response?.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
  });

  it('answers every contract channel over IPC, for the app page only', async () => {
    const fake = await started();
    expect([...fake.handled.keys()]).toEqual(CHANNEL_NAMES.map(ipcChannel));
    const window = FakeBrowserWindow.created[0];
    const event = (url: string) => ({ senderFrame: { url, parent: null }, sender: window?.webContents });
    expect(await fake.handled.get(ipcChannel('appInfo'))?.(event('app://renderer/index.html'), {})).toMatchObject({ ok: true, data: { version: '1.2.3', transport: 'electron', dataFolder: userData } });
    expect(await fake.handled.get(ipcChannel('appInfo'))?.(event('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('opens allowed docs with shell.openExternal and nothing else', async () => {
    const fake = await started();
    const event = { senderFrame: { url: 'app://renderer/index.html', parent: null }, sender: FakeBrowserWindow.created[0]?.webContents };
    const open = fake.handled.get(ipcChannel('openDocs'));
    expect(await open?.(event, { url: 'https://docs.n8n.io/hosting/' })).toEqual({ ok: true, data: { url: 'https://docs.n8n.io/hosting/', opened: true } });
    expect(await open?.(event, { url: 'file:///bin/sh' })).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
    expect(fake.opened).toEqual(['https://docs.n8n.io/hosting/']);
  });

  it('focuses the existing window when a second instance starts, and quits when it closes', async () => {
    const fake = await started();
    const window = FakeBrowserWindow.created[0] as FakeBrowserWindow & { focused?: boolean };
    window.focus = () => void (window.focused = true);
    fake.app.emit('second-instance');
    expect(window.focused).toBe(true);
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(1);
  });

  it('allows DevTools only when not packaged', async () => {
    await started(false);
    expect(FakeBrowserWindow.created[0]?.options.webPreferences?.devTools).toBe(true);
  });
});
