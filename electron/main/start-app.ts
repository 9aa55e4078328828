/**
 * The app's startup, with every Electron module passed in (index.ts hands over the real ones, tests hand
 * in fakes): single-instance lock, the app:// scheme, session policy, IPC, then the one window.
 */
import type { App, BrowserWindow, Dialog, IpcMain, Protocol, Shell, WebContents } from 'electron';
import { ipcEventChannel } from '../../shared/ipc/channel-names.js';
import { createAppServices } from '../../services/app/app-services.js';
import { createChannelHandlers } from '../../services/app/channel-handlers.js';
import type { HandlerContext } from '../../services/app/handler-context.js';
import { createHandlerTable } from '../../services/app/handler-table.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { openDocsExternally } from './external-links.js';
import { registerIpcHandlers } from './ipc-bridge.js';
import { nativeDialogs } from './native-dialogs.js';
import { rendererSource } from './renderer-source.js';
import { hardenSession } from './session-policy.js';
import { createMainWindow, type BrowserWindowClass } from './window-factory.js';

export interface ElectronModules {
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on' | 'whenReady' | 'isPackaged' | 'getPath' | 'getVersion' | 'enableSandbox'>;
  BrowserWindow: BrowserWindowClass & { fromWebContents(contents: WebContents): BrowserWindow | null };
  dialog: Pick<Dialog, 'showOpenDialog' | 'showErrorBox'>;
  ipcMain: Pick<IpcMain, 'handle'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: Parameters<typeof hardenSession>[0] };
  shell: Pick<Shell, 'openExternal'>;
}

export interface AppPaths {
  /** out/renderer */
  rendererDir: string;
  /** out/preload/index.cjs */
  preload: string;
  /** The single-file CLI (resources/n8n-setup.cjs when installed), written into every export. */
  cliBundle?: string;
}

export function startApp(electron: ElectronModules, paths: AppPaths, env: NodeJS.ProcessEnv = process.env): void {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Every renderer sandboxed, whatever a window's options say; both calls must come before `ready`.
  app.enableSandbox();
  registerAppScheme(electron.protocol);

  let window: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(
    () => {
      window = openMainWindow(electron, paths, env);
    },
    (error: unknown) => {
      electron.dialog.showErrorBox('n8n Setup could not start', error instanceof Error ? error.message : String(error));
      app.quit();
    },
  );
}

function openMainWindow(electron: ElectronModules, paths: AppPaths, env: NodeJS.ProcessEnv): BrowserWindow {
  const { app } = electron;
  const source = rendererSource({ isPackaged: app.isPackaged, devServerUrl: env.ELECTRON_RENDERER_URL });
  hardenSession(electron.session.defaultSession, source);
  serveAppProtocol(electron.protocol, paths.rendererDir);

  const services = createAppServices({ dataFolder: app.getPath('userData'), version: app.getVersion(), ...(paths.cliBundle && { cliBundle: paths.cliBundle }) });
  app.on('before-quit', () => services.smtpRuns.cancelAll());
  const contextFor = (sender: WebContents): HandlerContext => ({
    transport: 'electron',
    emit: (event, payload) => {
      if (!sender.isDestroyed()) sender.send(ipcEventChannel(event), payload);
    },
    dialogs: nativeDialogs(electron.dialog, electron.BrowserWindow.fromWebContents(sender)),
    openExternal: (url) => openDocsExternally(electron.shell, url),
  });
  registerIpcHandlers(electron.ipcMain, createHandlerTable(createChannelHandlers(services)), { trustedOrigins: [source.origin], contextFor });

  return createMainWindow(electron.BrowserWindow, { preload: paths.preload, url: source.url, devTools: !app.isPackaged });
}
