/**
 * What an admin pastes into their own reverse proxy when n8n sits behind one (`deploy.proxy: external`):
 * nginx, Caddy and Traefik versions of the same routing, from the public URL and the address of n8n.
 */
import { caddySiteAddress, caddySiteBlock } from './caddyfile.js';
import { nginxServerBlock } from './nginx-server-block.js';
import { assertUpstream, publicUrlParts } from './public-url.js';
import { TRAEFIK, traefikDynamicConfig } from './traefik-routing.js';

export interface ProxySnippet {
  fileName: string;
  title: string;
  text: string;
}

export function proxySnippets(input: { publicUrl: string; upstream: string }): ProxySnippet[] {
  const url = publicUrlParts(input.publicUrl);
  assertUpstream(input.upstream);
  const tls = url.scheme === 'https';
  const caddy = [
    `# n8n at ${input.publicUrl} — add this site to your Caddyfile.`,
    caddySiteBlock({ address: caddySiteAddress(url), pathPrefix: url.pathPrefix, upstream: input.upstream }),
  ].join('\n');
  const traefikRoute = {
    hostname: url.hostname,
    pathPrefix: url.pathPrefix,
    entryPoint: tls ? TRAEFIK.secureEntryPoint : TRAEFIK.webEntryPoint,
    ...(tls ? { certResolver: TRAEFIK.certResolver } : {}),
  };
  return [
    { fileName: 'n8n.conf', title: 'nginx', text: nginxServerBlock(url, input.upstream) },
    { fileName: 'Caddyfile', title: 'Caddy', text: caddy },
    { fileName: 'n8n-traefik.yaml', title: 'Traefik (file provider)', text: traefikDynamicConfig(traefikRoute, input.upstream) },
  ];
}
