import { contentSecurityPolicy } from '../../shared/ipc/security-headers.js';
import { APP_INDEX_URL, APP_ORIGIN } from './app-protocol.js';

export interface RendererSource {
  url: string;
  /** The only origin whose top frame may call the API. */
  origin: string;
  /** Vite's dev server (hot reload), which needs the relaxed CSP. */
  devServer: boolean;
  /** The policy the page gets as a header. */
  csp: string;
}

/**
 * Where the window loads the page from: app:// with the strict CSP; only with `npm run dev` (electron-vite
 * sets ELECTRON_RENDERER_URL) Vite's dev server with the dev-only relaxation. A packaged app ignores that
 * variable, so no environment can point it at another page.
 */
export function rendererSource(options: { isPackaged: boolean; devServerUrl?: string | undefined }): RendererSource {
  if (!options.isPackaged && options.devServerUrl && URL.canParse(options.devServerUrl)) {
    const url = new URL(options.devServerUrl);
    if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      return { url: url.href, origin: url.origin, devServer: true, csp: contentSecurityPolicy({ dev: true }) };
    }
  }
  return { url: APP_INDEX_URL, origin: APP_ORIGIN, devServer: false, csp: contentSecurityPolicy({ dev: false }) };
}
