/**
 * Caddy site blocks for n8n: one generator for the snippet an admin pastes into their own Caddyfile and for
 * the Caddyfile of the caddy service this tool adds to compose. Caddy passes websocket upgrades and keeps
 * `Host` by default and sets X-Forwarded-For/-Proto; `flush_interval -1` sends the editor's push messages
 * on at once instead of buffering them.
 */
import { SetupError } from '../errors.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { hostWithPort, normalizePathPrefix } from './public-url.js';
import type { PublicUrlParts } from './public-url.js';

export interface CaddySite {
  /** Caddy site address: `n8n.example.com` (automatic HTTPS) or `http://n8n.example.com`. */
  address: string;
  /** '' or '/n8n': the sub-path stripped before requests reach n8n. */
  pathPrefix: string;
  /** Where n8n listens: 127.0.0.1:5678, n8n:5678. */
  upstream: string;
}

/** The upstream the bundled caddy service uses: the n8n service on the compose network. */
export const BUNDLED_UPSTREAM = `n8n:${CONTAINER.listenPort}`;

export function caddySiteAddress(url: PublicUrlParts): string {
  return url.scheme === 'https' ? hostWithPort(url) : `http://${hostWithPort(url)}`;
}

export function caddySiteBlock({ address, pathPrefix, upstream }: CaddySite): string {
  const proxy = [`reverse_proxy ${upstream} {`, '\tflush_interval -1', '}'];
  const body = pathPrefix
    ? [
        '# n8n serves its routes at the root: handle_path strips the prefix; the bare prefix gets its slash.',
        `redir ${pathPrefix} ${pathPrefix}/ 308`,
        `handle_path ${pathPrefix}/* {`,
        ...indent(proxy),
        '}',
      ]
    : proxy;
  return [`${address} {`, ...indent(body), '}', ''].join('\n');
}

/** The first words of a Caddyfile this tool wrote: such a file may be rewritten, an admin's never. */
export const CADDYFILE_MARKER = '# Written by n8n Setup';

/** The Caddyfile mounted into the bundled caddy service (`./Caddyfile`, next to the compose file). */
export function bundledCaddyfile(proxy: { host: string; acmeEmail: string; pathPrefix?: string }): string {
  if (/[\s{}"#]/.test(proxy.acmeEmail)) {
    throw new SetupError({ code: 'INVALID_VALUE', field: 'deploy.acmeEmail', message: `"${proxy.acmeEmail}" is not an e-mail address.`, fix: 'Give the address Let\'s Encrypt should write to about certificates.' });
  }
  const header = [
    `${CADDYFILE_MARKER} for the caddy service of the compose file. Caddy obtains and renews the`,
    `# certificate for ${proxy.host} by itself; apply changes with \`docker compose up -d\`.`,
  ];
  const global = proxy.acmeEmail ? ['{', `\temail ${proxy.acmeEmail}`, '}', ''] : [];
  const site = caddySiteBlock({ address: proxy.host, pathPrefix: normalizePathPrefix(proxy.pathPrefix), upstream: BUNDLED_UPSTREAM });
  return [...header, '', ...global, site].join('\n');
}

function indent(lines: string[]): string[] {
  return lines.map((line) => `\t${line}`);
}
