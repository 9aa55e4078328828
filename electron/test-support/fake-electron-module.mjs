// A stand-in for the `electron` module, for running the built main bundle in plain Node: it records what
// the app asks for and prints it as JSON once the window exists. Test support only.
const report = { windows: [], ipcChannels: [], schemes: [], protocols: [], sandbox: false };
globalThis.__electronReport = report;

class Emitter {
  constructor() {
    this.listeners = {};
  }
  on(event, listener) {
    (this.listeners[event] ??= []).push(listener);
    return this;
  }
  once(event, listener) {
    return this.on(event, listener);
  }
}

class WebContents extends Emitter {
  setWindowOpenHandler() {}
  isDestroyed() {
    return false;
  }
  send() {}
}

export class BrowserWindow extends Emitter {
  constructor(options) {
    super();
    this.webContents = new WebContents();
    report.windows.push(options);
    // Give lazily loaded modules a moment to show up if startup were to load them.
    setTimeout(() => {
      report.modules = [...globalThis.__loadedModules];
      process.stdout.write(`${JSON.stringify(report)}\n`);
      process.exit(0);
    }, 300);
  }
  static fromWebContents() {
    return null;
  }
  async loadURL(url) {
    report.loadedUrl = url;
  }
}

export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  enableSandbox: () => void (report.sandbox = true),
  quit: () => process.exit(3),
  whenReady: () => Promise.resolve(),
  getPath: () => process.env.FAKE_USER_DATA,
  getVersion: () => '0.0.0-fake',
});

const defaultSession = Object.assign(new Emitter(), {
  setPermissionRequestHandler() {},
  setPermissionCheckHandler() {},
  setDevicePermissionHandler() {},
  webRequest: { onBeforeRequest() {}, onHeadersReceived() {} },
});

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => report.schemes.push(...schemes),
  handle: (scheme) => report.protocols.push(scheme),
};
export const ipcMain = { handle: (channel) => report.ipcChannels.push(channel) };
export const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: (title, text) => process.stderr.write(`${title}: ${text}\n`) };
export const shell = { openExternal: async () => undefined };
export const session = { defaultSession };
