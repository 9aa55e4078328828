/**
 * Fakes of the Electron pieces the shell uses, recording what was asked of them: enough for the factories
 * that take Electron as parameters to run in plain Node. Not imported by product code.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a fake takes the listener of every Electron event, whatever its signature
type Listener = (...args: any[]) => unknown;

/** An object with on/once that keeps its listeners, and emit() to fire them as Electron would. */
export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args));
  }
}

/** A preventable Electron event with the fields the guards read. */
export function fakeEvent(fields: Record<string, unknown> = {}) {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...fields };
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  sent: Array<{ channel: string; args: unknown[] }> = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  shown = false;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  static fromWebContents(contents: unknown) {
    return FakeBrowserWindow.created.find((w) => w.webContents === contents) ?? null;
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
  }
  show() {
    this.shown = true;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
}

export class FakeSession extends FakeEmitter {
  permissionRequestHandler: Listener | undefined;
  permissionCheckHandler: Listener | undefined;
  devicePermissionHandler: Listener | undefined;
  readonly webRequest = {
    beforeRequest: undefined as undefined | { filter: { urls: string[] }; listener: Listener },
    headersReceived: undefined as undefined | { filter: { urls: string[] }; listener: Listener },
    onBeforeRequest: (filter: { urls: string[] }, listener: Listener) => void (this.webRequest.beforeRequest = { filter, listener }),
    onHeadersReceived: (filter: { urls: string[] }, listener: Listener) => void (this.webRequest.headersReceived = { filter, listener }),
  };
  setPermissionRequestHandler(handler: Listener) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener) {
    this.devicePermissionHandler = handler;
  }
}

export class FakeProtocol {
  privileged: unknown[] = [];
  handlers = new Map<string, (request: Request) => Promise<Response>>();
  registerSchemesAsPrivileged(schemes: unknown[]) {
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    this.handlers.set(scheme, handler);
  }
}
