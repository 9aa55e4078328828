/**
 * The session's answers to everything the page might ask for: no permission (camera, notifications,
 * clipboard, devices…), no downloads, and no network except the page's own source.
 */
import type { Session } from 'electron';
import type { RendererSource } from './renderer-source.js';

export type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'> & {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>;
};

export function hardenSession(session: SessionLike, source: RendererSource): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
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
