/**
 * The reverse-proxy services this tool adds to a compose file (`deploy.proxy: caddy | traefik`), and the
 * named volumes they keep their certificates in.
 */
import { YAMLMap } from 'yaml';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { normalizePathPrefix } from '../proxy/public-url.js';
import { TRAEFIK, traefikLabels } from '../proxy/traefik-routing.js';
import type { BundledProxySpec } from './compose-spec.js';
import { encodeComposeValue } from './encode-compose-value.js';
import { sequenceOf } from './n8n-service-entries.js';

/** Named volume → where the proxy keeps it (certificates, ACME account, Caddy's config). */
const PROXY_DATA: Record<BundledProxySpec['kind'], Record<string, string>> = {
  caddy: { caddy_data: '/data', caddy_config: '/config' },
  traefik: { traefik_data: '/letsencrypt' },
};

export const PROXY_VOLUMES: Record<BundledProxySpec['kind'], readonly string[]> = {
  caddy: Object.keys(PROXY_DATA.caddy),
  traefik: Object.keys(PROXY_DATA.traefik),
};

/** The caddy or traefik service definition. */
export function proxyService(proxy: BundledProxySpec): YAMLMap {
  const ports = ['80:80', '443:443', ...(proxy.kind === 'caddy' ? ['443:443/udp'] : [])];
  const data = Object.entries(PROXY_DATA[proxy.kind]).map(([volume, path]) => `${volume}:${path}`);
  const service = new YAMLMap();
  service.set('image', proxy.kind === 'caddy' ? 'caddy:2' : 'traefik:v3');
  service.set('restart', 'unless-stopped');
  if (proxy.kind === 'traefik') service.set('command', sequenceOf(traefikCommand(proxy.acmeEmail)));
  service.set('ports', sequenceOf(ports.map((port) => encodeComposeValue(port))));
  service.set(
    'volumes',
    sequenceOf(proxy.kind === 'caddy' ? ['./Caddyfile:/etc/caddy/Caddyfile:ro', ...data] : [...data, '/var/run/docker.sock:/var/run/docker.sock:ro']),
  );
  return service;
}

/** The labels that route the bundled traefik to n8n. */
export function n8nTraefikLabels(proxy: BundledProxySpec): Record<string, string> {
  return traefikLabels(
    { hostname: proxy.host, pathPrefix: normalizePathPrefix(proxy.pathPrefix), entryPoint: TRAEFIK.secureEntryPoint, certResolver: TRAEFIK.certResolver },
    CONTAINER.listenPort,
  );
}

function traefikCommand(acmeEmail: string): unknown[] {
  const resolver = `--certificatesresolvers.${TRAEFIK.certResolver}.acme`;
  return [
    '--providers.docker=true',
    // Only containers labelled traefik.enable=true are routed.
    '--providers.docker.exposedbydefault=false',
    `--entrypoints.${TRAEFIK.webEntryPoint}.address=:80`,
    `--entrypoints.${TRAEFIK.webEntryPoint}.http.redirections.entrypoint.to=${TRAEFIK.secureEntryPoint}`,
    `--entrypoints.${TRAEFIK.webEntryPoint}.http.redirections.entrypoint.scheme=https`,
    `--entrypoints.${TRAEFIK.secureEntryPoint}.address=:443`,
    `${resolver}.tlschallenge=true`,
    encodeComposeValue(`${resolver}.email=${acmeEmail}`),
    `${resolver}.storage=${PROXY_DATA.traefik.traefik_data}/acme.json`,
  ];
}
