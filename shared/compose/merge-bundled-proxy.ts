/**
 * `deploy.proxy: caddy | traefik` in an existing compose file: the proxy service is added only when the file
 * has none (and nothing else holds ports 80/443), and with traefik the n8n service gets the routing labels.
 * Labels the admin already set for the `n8n` router (entry points, certificate resolver) are kept; the rule
 * and this tool's own middlewares follow the spec.
 */
import type { YAMLMap } from 'yaml';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { BUNDLED_UPSTREAM } from '../proxy/caddyfile.js';
import { TRAEFIK } from '../proxy/traefik-routing.js';
import type { BundledProxySpec } from './compose-spec.js';
import { decodeComposeValue } from './encode-compose-value.js';
import { N8N_SERVICE_NAME } from './find-n8n-service.js';
import type { MergeContext, ResolvedService } from './merge-context.js';
import { mergeKeyValues } from './merge-key-values.js';
import { ensureTopLevelVolumes } from './merge-top-level.js';
import { n8nTraefikLabels, PROXY_VOLUMES, proxyService } from './proxy-services.js';
import { publishesHostPort } from './published-ports.js';

export function mergeBundledProxy(ctx: MergeContext, n8nService: YAMLMap): void {
  const proxy = ctx.spec.proxy;
  if (proxy.kind !== 'caddy' && proxy.kind !== 'traefik') return;
  const resolved = Object.entries(ctx.resolved.services ?? {});
  const others = resolved.filter(([name]) => name !== ctx.serviceName);
  const present = others.some(([name, service]) => name === proxy.kind || String(service?.image ?? '').includes(proxy.kind));
  if (!present) {
    const taken = others.filter(([, service]) => publishesHostPort(service?.ports, 80) || publishesHostPort(service?.ports, 443));
    if (taken.length > 0) {
      ctx.warnings.push({
        code: 'COMPOSE_PROXY_PORTS_TAKEN',
        message: `${taken.map(([name]) => name).join(', ')} already publishes port 80 or 443, so no ${proxy.kind} service was added. Route your proxy to n8n (see the proxy snippets) or remove it first.`,
      });
      return;
    }
    ctx.editor.setValue(ctx.doc.get('services', true) as YAMLMap, proxy.kind, proxyService(proxy), { blankLineBefore: true });
    ctx.changedKeys.push(`services.${proxy.kind}`);
    ensureTopLevelVolumes(ctx, PROXY_VOLUMES[proxy.kind]);
    if (proxy.kind === 'caddy' && ctx.serviceName !== N8N_SERVICE_NAME) {
      ctx.warnings.push({
        code: 'COMPOSE_CADDY_UPSTREAM',
        message: `The Caddyfile reaches n8n as ${BUNDLED_UPSTREAM}, but this file calls the service "${ctx.serviceName}": change reverse_proxy in the Caddyfile to ${ctx.serviceName}:${CONTAINER.listenPort}.`,
      });
    }
  }
  if (proxy.kind === 'traefik') mergeTraefikLabels(ctx, n8nService, proxy, labelsOf(resolved.find(([name]) => name === ctx.serviceName)?.[1]));
}

const ROUTER = `traefik.http.routers.${TRAEFIK.router}.`;
const RULE = `${ROUTER}rule`;
const MIDDLEWARES = `${ROUTER}middlewares`;
const OWN_MIDDLEWARES: readonly string[] = [TRAEFIK.addSlash, TRAEFIK.stripPrefix];
const isOwnMiddlewareLabel = (key: string) => OWN_MIDDLEWARES.some((name) => key.startsWith(`traefik.http.middlewares.${name}.`));

function mergeTraefikLabels(ctx: MergeContext, service: YAMLMap, proxy: BundledProxySpec, current: Map<string, string | undefined>): void {
  const foreign = [...current.keys()].map((key) => /^traefik\.http\.routers\.([^.]+)\./.exec(key)?.[1]).filter((name) => name && name !== TRAEFIK.router);
  if (foreign.length > 0) {
    ctx.warnings.push({
      code: 'COMPOSE_TRAEFIK_ROUTER_FOREIGN',
      message: `services.${ctx.serviceName} already routes through the traefik router "${foreign[0]}"; its labels were left as they are. Make its rule match ${proxy.host}${proxy.pathPrefix ?? ''}.`,
    });
    return;
  }
  const ours = n8nTraefikLabels(proxy);
  // The router's middleware list: ours first, then the admin's (unless theirs is an interpolation).
  const theirs = current.get(MIDDLEWARES);
  const middlewaresReadable = !(current.has(MIDDLEWARES) && theirs === undefined);
  const kept = (theirs ?? '').split(',').map((name) => name.trim()).filter((name) => name && !OWN_MIDDLEWARES.includes(name.replace(/@docker$/, '')));
  const middlewares = [...(ours[MIDDLEWARES]?.split(',') ?? []), ...kept].join(',');
  const wanted = new Map<string, string>();
  const managed = new Set<string>([...current.keys()].filter(isOwnMiddlewareLabel));
  if (middlewaresReadable) managed.add(MIDDLEWARES);
  // Ours: the rule and our middlewares; the admin's entry points, resolver and port stay when set.
  const follows = (key: string) => key === RULE || isOwnMiddlewareLabel(key) || !current.has(key);
  for (const [key, value] of Object.entries({ ...ours, [MIDDLEWARES]: middlewares })) {
    const include = key === MIDDLEWARES ? middlewaresReadable && middlewares !== '' : follows(key);
    if (include) {
      wanted.set(key, value);
      managed.add(key);
    }
  }
  mergeKeyValues(ctx, service, 'labels', wanted, managed);
}

/** The service's labels (map or `- key=value` list) with their literal values (undefined: interpolated). */
function labelsOf(service: ResolvedService | undefined): Map<string, string | undefined> {
  const labels = service?.labels;
  const entries: Array<[string, string]> = Array.isArray(labels)
    ? labels.map((entry) => String(entry)).map((entry) => (entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [entry, '']))
    : Object.entries((labels ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]);
  return new Map(entries.map(([key, value]) => [key, decodeComposeValue(value)]));
}
