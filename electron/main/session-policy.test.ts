import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/ipc/security-headers.js';
import { rendererSource } from './renderer-source.js';
import { hardenSession, type SessionLike } from './session-policy.js';
import { FakeSession, fakeEvent } from './test-support/fake-electron.js';

function hardened(source = rendererSource({ isPackaged: true })) {
  const session = new FakeSession();
  hardenSession(session as unknown as SessionLike, source);
  return session;
}

function requestOutcome(session: FakeSession, url: string): boolean {
  let cancel: boolean | undefined;
  session.webRequest.beforeRequest?.listener({ url }, (response: { cancel: boolean }) => (cancel = response.cancel));
  return cancel === true;
}

describe('hardenSession (fake session)', () => {
  it('denies every permission request and check, and every device', () => {
    const session = hardened();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (answer: boolean) => (granted = answer));
      expect(granted, permission).toBe(false);
      expect(session.permissionCheckHandler?.({}, permission, 'app://renderer')).toBe(false);
    }
    expect(session.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it("lets only the app's own page write text to the clipboard (the Copy buttons), never read it", () => {
    const source = rendererSource({ isPackaged: true });
    const session = hardened(source);
    const request = (permission: string, requestingUrl: string) => {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.({}, permission, (answer: boolean) => (granted = answer), { requestingUrl });
      return granted;
    };
    expect(request('clipboard-sanitized-write', `${source.origin}/index.html`)).toBe(true);
    expect(session.permissionCheckHandler?.({}, 'clipboard-sanitized-write', source.origin)).toBe(true);
    expect(request('clipboard-sanitized-write', 'https://evil.example.com/')).toBe(false);
    expect(session.permissionCheckHandler?.({}, 'clipboard-sanitized-write', 'https://evil.example.com')).toBe(false);
    expect(request('clipboard-read', `${source.origin}/index.html`)).toBe(false);
  });

  it('cancels downloads', () => {
    const event = fakeEvent();
    hardened().emit('will-download', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('refuses every web request in a packaged app', () => {
    const session = hardened();
    expect(session.webRequest.beforeRequest?.filter.urls).toEqual(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']);
    for (const url of ['https://evil.example/x', 'http://localhost:5173/', 'ws://localhost:5173/']) expect(requestOutcome(session, url), url).toBe(true);
    expect(session.webRequest.headersReceived).toBeUndefined();
  });

  it("in development allows only Vite's server and gives its pages the dev CSP as a header", () => {
    const session = hardened(rendererSource({ isPackaged: false, devServerUrl: 'http://localhost:5173/' }));
    expect(requestOutcome(session, 'http://localhost:5173/src/main.tsx')).toBe(false);
    expect(requestOutcome(session, 'ws://localhost:5173/')).toBe(false);
    expect(requestOutcome(session, 'https://evil.example/')).toBe(true);
    let headers: Record<string, string[]> | undefined;
    session.webRequest.headersReceived?.listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders));
    expect(session.webRequest.headersReceived?.filter.urls).toEqual(['http://localhost:5173/*']);
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy({ dev: true })] });
  });
});

describe('rendererSource', () => {
  it('is app:// with the strict policy when packaged, whatever the environment says, and when unpackaged without a dev server', () => {
    expect(rendererSource({ isPackaged: false })).toEqual({ url: 'app://renderer/index.html', origin: 'app://renderer', devServer: false, csp: contentSecurityPolicy({ dev: false }) });
    expect(rendererSource({ isPackaged: true, devServerUrl: 'http://localhost:5173/' })).toEqual({ url: 'app://renderer/index.html', origin: 'app://renderer', devServer: false, csp: contentSecurityPolicy({ dev: false }) });
  });

  it('accepts only a loopback http dev server', () => {
    expect(rendererSource({ isPackaged: false, devServerUrl: 'https://evil.example/' }).url).toBe('app://renderer/index.html');
    expect(rendererSource({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5173' })).toMatchObject({ url: 'http://127.0.0.1:5173/', origin: 'http://127.0.0.1:5173', devServer: true });
  });
});
