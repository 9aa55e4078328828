/**
 * The one place a window is made. Every window runs sandboxed with context isolation and no Node, loads
 * only the app's page, and can neither navigate, open windows nor attach webviews.
 */
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents, WebPreferences } from 'electron';

export function mainWebPreferences(preload: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload,
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
    // The spell checker downloads dictionaries from Google; nothing here needs it.
    spellcheck: false,
    devTools: options.devTools,
  };
}

export function mainWindowOptions(preload: string, options: { devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    width: 1000,
    height: 720,
    minWidth: 900,
    minHeight: 640,
    title: 'n8n Setup',
    show: false,
    webPreferences: mainWebPreferences(preload, options),
  };
}

export type BrowserWindowClass = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowOptions {
  preload: string;
  url: string;
  devTools: boolean;
}

export function createMainWindow(BrowserWindow: BrowserWindowClass, options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preload, options));
  guardWebContents(window.webContents);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}

export type WebContentsLike = Pick<WebContents, 'setWindowOpenHandler' | 'on'>;

/** The page is one document: it never leaves it, opens nothing and embeds no webview. */
export function guardWebContents(contents: WebContentsLike): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => {
    // Template previews are sandboxed srcdoc iframes (their HTML must never run in the app's own page).
    if (!event.isMainFrame && event.url === 'about:srcdoc') return;
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
