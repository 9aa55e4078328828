/**
 * A loopback stand-in for Google's OAuth2 token endpoint: checks the service account's signed JWT (RS256
 * with the account's public key, issuer, subject, audience) and answers with an access token, or with the
 * error Google gives when domain-wide delegation is missing.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenEndpointOptions {
  publicKey: string | KeyObject;
  serviceClient: string;
  user: string;
  accessToken: string;
  /** Answer every request like a service account without delegation does. */
  refuse?: boolean;
}

export interface TokenEndpoint {
  url: string;
  readonly requests: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function validAssertion(jwt: string, options: TokenEndpointOptions, url: string): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const signed = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey(options.publicKey), Buffer.from(signature, 'base64url'));
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; sub?: string; aud?: string; scope?: string };
  return signed && claims.iss === options.serviceClient && claims.sub === options.user && claims.aud === url && claims.scope === 'https://mail.google.com/';
}

export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  let requests = 0;
  let url = '';
  const server = createServer((request, response) => {
    requests += 1;
    void readBody(request).then((body) => {
      const form = new URLSearchParams(body);
      const ok = !options.refuse && form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && validAssertion(form.get('assertion') ?? '', options, url);
      response.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          ok
            ? { access_token: options.accessToken, token_type: 'Bearer', expires_in: 3600 }
            : { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    url,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
