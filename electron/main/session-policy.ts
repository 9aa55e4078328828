/**
 * The session's answers to everything the page might ask for: no permission (camera, notifications,
 * reading the clipboard, devices…) except writing plain text to the clipboard from the app's own page (the
 * Copy buttons of the Done step), no downloads, and no network except the page's own source.
 */
import type { Session } from 'electron';
import type { RendererSource } from './renderer-source.js';

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

export function hardenSession(session: SessionLike, source: RendererSource): void {
  // Sanitized clipboard writes only (text the page hands over; never a read), and only for the app's own origin.
  const mayWriteClipboard = (permission: string, origin: string | undefined) => permission === 'clipboard-sanitized-write' && origin === source.origin;
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(mayWriteClipboard(permission, originOf(details?.requestingUrl))));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => mayWriteClipboard(permission, originOf(requestingOrigin)));
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());

  // app:// is not a web scheme, so in a package every web request is refused; in dev, Vite's server only.
  const devServer = source.devServer ? new URL(source.url) : undefined;
  // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- Vite's hot-reload socket on localhost, in development only
  const allowed = devServer ? [`${devServer.origin}/`, `ws://${devServer.host}/`] : [];
  // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- patterns of requests to refuse, not URLs to load
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (details, callback) => {
    callback({ cancel: !allowed.some((prefix) => details.url.startsWith(prefix)) });
  });
  if (devServer) {
    // app:// responses carry the CSP header themselves; Vite's responses get it here.
    session.webRequest.onHeadersReceived({ urls: [`${devServer.origin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [source.csp] } });
    });
  }
}

/** scheme://host[:port] — also for app://, whose origin Node's URL calls "null" (Chromium treats it as a standard scheme). */
function originOf(url: string | undefined): string | undefined {
  try {
    const parsed = url ? new URL(url) : undefined;
    return parsed && `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}
