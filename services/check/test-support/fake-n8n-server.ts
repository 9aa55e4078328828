/**
 * A stand-in for a running n8n in unit tests: /healthz and the public /rest/settings, shaped like n8n
 * 2.41.1's recorded answer (test/fixtures/n8n), with the fields a test varies. The acceptance tier checks
 * the same code against the real n8n.
 */
import { readFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSettings {
  instanceUrl?: string;
  smtpSetup?: boolean;
  secureCookie?: boolean;
}

interface RecordedSettings {
  data: { sso: { oidc: { loginUrl: string } }; userManagement: { smtpSetup: boolean }; authCookie: { secure: boolean } };
}

const RECORDED = JSON.parse(readFileSync(new URL('../../../test/fixtures/n8n/public-settings-2.41.1.json', import.meta.url), 'utf8')) as RecordedSettings;

/** n8n's public settings as it would answer them for these values. */
export function publicSettingsBody(settings: FakeSettings = {}): RecordedSettings {
  const body = structuredClone(RECORDED);
  body.data.sso.oidc.loginUrl = `${settings.instanceUrl ?? 'http://localhost:5678'}/rest/sso/oidc/login`;
  body.data.userManagement.smtpSetup = settings.smtpSetup ?? false;
  body.data.authCookie.secure = settings.secureCookie ?? true;
  return body;
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

export async function startFakeServer(handler: RequestListener): Promise<FakeServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** An n8n that answers with these settings; `rest` answers the other calls (each one is recorded). */
export function startFakeN8n(settings: FakeSettings = {}, rest?: RequestListener): Promise<FakeServer> {
  return startFakeServer((request, response) => {
    if (request.url === '/healthz') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (request.url === '/rest/settings') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(publicSettingsBody(settings)));
    if (rest) return void rest(request, response);
    response.writeHead(404).end('Cannot GET');
  });
}
