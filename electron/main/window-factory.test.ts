import { beforeEach, describe, expect, it } from 'vitest';
import { FakeBrowserWindow, fakeEvent } from './test-support/fake-electron.js';
import { createMainWindow, type BrowserWindowClass } from './window-factory.js';

describe('createMainWindow (fake BrowserWindow)', () => {
  let window: FakeBrowserWindow;
  beforeEach(() => {
    FakeBrowserWindow.created = [];
    window = createMainWindow(FakeBrowserWindow as unknown as BrowserWindowClass, { preload: '/app/out/preload/index.cjs', url: 'app://renderer/index.html', devTools: false }) as unknown as FakeBrowserWindow;
  });

  it('sets every webPreferences value to the hardened one', () => {
    expect(window.options.webPreferences).toStrictEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
  });

  it('allows DevTools only when asked (development)', () => {
    const dev = createMainWindow(FakeBrowserWindow as unknown as BrowserWindowClass, { preload: '/p.cjs', url: 'app://renderer/index.html', devTools: true }) as unknown as FakeBrowserWindow;
    expect(dev.options.webPreferences?.devTools).toBe(true);
  });

  it('loads the given page and shows the window when it is ready', () => {
    expect(window.loadedUrl).toBe('app://renderer/index.html');
    expect(window.shown).toBe(false);
    window.emit('ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('denies every new window', () => {
    expect(window.webContents.windowOpenHandler?.({ url: 'https://docs.n8n.io/' })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('prevents %s', (name) => {
    const event = fakeEvent({ url: 'https://evil.example/' });
    window.webContents.emit(name, event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('prevents every frame navigation except a sub-frame loading its srcdoc (template previews)', () => {
    const cases = [
      { isMainFrame: true, url: 'https://evil.example/', prevented: true },
      { isMainFrame: true, url: 'about:srcdoc', prevented: true },
      { isMainFrame: false, url: 'https://evil.example/', prevented: true },
      { isMainFrame: false, url: 'about:blank', prevented: true },
      { isMainFrame: false, url: 'about:srcdoc', prevented: false },
    ];
    for (const { prevented, ...fields } of cases) {
      const event = fakeEvent(fields);
      window.webContents.emit('will-frame-navigate', event);
      expect(event.defaultPrevented, JSON.stringify(fields)).toBe(prevented);
    }
  });
});
