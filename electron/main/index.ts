// The Electron shell. Only this folder and electron/preload may import electron; everything it
// does beyond opening the window lives in services/ and runs without Electron.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1000,
    height: 720,
    minWidth: 900,
    minHeight: 640,
    title: 'n8n Setup',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return window;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(createMainWindow);
  app.on('window-all-closed', () => app.quit());
}
