/**
 * The API for this page, chosen once at startup: the Electron preload's when the page runs in the app
 * (it exposed `window.n8nSetup`), otherwise the HTTP client of `n8n-setup serve`.
 */
import { API_GLOBAL, type SetupApi } from '../../shared/ipc/setup-api.js';
import { createHttpApi } from './http-api.js';

export interface BrowserScope {
  fetch: typeof fetch;
  EventSource: typeof EventSource;
  open: (url: string, target: string, features: string) => unknown;
}

export function pickApi(scope: BrowserScope): SetupApi {
  const bridged = (scope as unknown as Record<string, unknown>)[API_GLOBAL];
  if (bridged) return bridged as SetupApi;
  return createHttpApi({
    fetch: (url, init) => scope.fetch(url, init),
    openEvents: (url) => new scope.EventSource(url),
    openWindow: (url) => void scope.open(url, '_blank', 'noopener,noreferrer'),
  });
}
