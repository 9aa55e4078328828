// The Electron shell's entry: the only main-process file that imports electron's modules, and the only one
// allowed to import ipcMain (it goes straight to the one IPC wrapper, ipc-bridge.ts). Everything else
// takes its Electron pieces as parameters and runs in plain Node tests.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { startApp } from './start-app.js';

startApp(
  { app, BrowserWindow, dialog, ipcMain, protocol, session, shell },
  {
    rendererDir: join(import.meta.dirname, '../renderer'),
    preload: join(import.meta.dirname, '../preload/index.cjs'),
    // electron-builder's extraResources puts the single-file CLI beside the app; from a checkout it is in dist/.
    cliBundle: app.isPackaged ? join(process.resourcesPath, 'n8n-setup.cjs') : join(import.meta.dirname, '../../dist/n8n-setup.cjs'),
  },
);
