/**
 * Traefik routing for n8n, built once as Traefik's dynamic configuration and used twice: as a file-provider
 * YAML for an admin's own Traefik, and flattened into docker labels on the n8n service when compose holds
 * the traefik service. Traefik passes websockets and `Host` on by default and sets X-Forwarded-*.
 */
import { Document } from 'yaml';

/** Names shared by the bundled traefik service's command line and the labels that refer to them. */
export const TRAEFIK = {
  router: 'n8n',
  service: 'n8n',
  addSlash: 'n8n-addslash',
  stripPrefix: 'n8n-stripprefix',
  webEntryPoint: 'web',
  secureEntryPoint: 'websecure',
  certResolver: 'letsencrypt',
} as const;

export interface TraefikRoute {
  hostname: string;
  /** '' or '/n8n'. */
  pathPrefix: string;
  entryPoint: string;
  /** Omitted for plain-http routes. */
  certResolver?: string;
}

type Config = { [key: string]: string | boolean | number | string[] | Config };

/** The `http.routers` and `http.middlewares` of the route (services are provider-specific). */
export function traefikRouting(route: TraefikRoute): { routers: Config; middlewares?: Config } {
  const { hostname, pathPrefix } = route;
  const host = `Host(\`${hostname}\`)`;
  const router: Config = {
    rule: pathPrefix ? `${host} && (Path(\`${pathPrefix}\`) || PathPrefix(\`${pathPrefix}/\`))` : host,
    entryPoints: [route.entryPoint],
    ...(pathPrefix ? { middlewares: [TRAEFIK.addSlash, TRAEFIK.stripPrefix] } : {}),
    ...(route.certResolver ? { tls: { certResolver: route.certResolver } } : {}),
  };
  if (!pathPrefix) return { routers: { [TRAEFIK.router]: router } };
  const escaped = pathPrefix.replaceAll('.', '\\.');
  return {
    routers: { [TRAEFIK.router]: router },
    middlewares: {
      // n8n serves its routes at the root: the bare prefix gets its slash, then the prefix is stripped.
      [TRAEFIK.addSlash]: { redirectRegex: { regex: `^(https?://[^/]+${escaped})$`, replacement: '${1}/', permanent: true } },
      [TRAEFIK.stripPrefix]: { stripPrefix: { prefixes: [pathPrefix] } },
    },
  };
}

/** Docker-provider labels for the n8n container: the routing flattened, and n8n's port. */
export function traefikLabels(route: TraefikRoute, port: number): Record<string, string> {
  const labels: Record<string, string> = { 'traefik.enable': 'true' };
  flatten(traefikRouting(route), 'traefik.http', labels);
  labels[`traefik.http.services.${TRAEFIK.service}.loadbalancer.server.port`] = String(port);
  return labels;
}

/** A file-provider dynamic configuration (YAML) routing to n8n at `upstream` (host:port). */
export function traefikDynamicConfig(route: TraefikRoute, upstream: string): string {
  const routing = traefikRouting(route);
  (routing.routers[TRAEFIK.router] as Config).service = TRAEFIK.service;
  const doc = new Document({
    http: { ...routing, services: { [TRAEFIK.service]: { loadBalancer: { servers: [{ url: `http://${upstream}` }] } } } },
  });
  doc.commentBefore = [
    ` n8n behind Traefik (file provider: put this file in the directory of --providers.file.directory).`,
    ` Entry point "${route.entryPoint}"${route.certResolver ? ` and certificate resolver "${route.certResolver}"` : ''} must match your static configuration.`,
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

function flatten(config: Config, prefix: string, into: Record<string, string>): void {
  for (const [key, value] of Object.entries(config)) {
    const path = `${prefix}.${key.toLowerCase()}`;
    if (Array.isArray(value)) into[path] = value.join(',');
    else if (typeof value === 'object') flatten(value, path, into);
    else into[path] = String(value);
  }
}
