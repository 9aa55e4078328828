/**
 * Who runs a compose project and what routes the public URL to n8n, from the marks each one leaves: a
 * platform's own keys and variables (CapRover's `captainVersion`, Coolify's `SERVICE_URL_*`, Dokploy's
 * template.toml, Umbrel's app_proxy, Runtipi's labels, CasaOS's `x-casaos`), or a proxy service in the
 * file (Traefik, Caddy, a Cloudflare tunnel). With none of them, n8n bound to loopback, or public URLs on
 * https, mean a proxy outside the file. The proxy's ACME email is read where it reads it.
 */
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { listOf, referencedVariables, volumeMount } from './compose-values.js';
import { projectPath } from './project-paths.js';
import type { Deployment, DeploymentProxy, DeploymentService, PlatformKind } from './deployment.js';

interface PlatformInput {
  resolved: Record<string, unknown>;
  services: DeploymentService[];
  siblings: readonly string[];
  projectEnv: ReadonlyMap<string, string>;
  readFile: (path: string) => string | undefined;
}

/** Files a platform leaves beside the compose file: Dokploy's template.toml, umbrelOS's app manifest. */
export const PLATFORM_MARKER_FILES = ['template.toml', 'umbrel-app.yml'] as const;

const COOLIFY_VARIABLE = /^SERVICE_(FQDN|URL|PASSWORD|USER|BASE64|REALBASE64|HEX)_/;
const image = (service: DeploymentService, name: string) => new RegExp(`(^|/)${name}(:|@|$)`).test(service.image ?? '');

export function detectPlatform(input: PlatformInput): Pick<Deployment, 'platform' | 'proxy'> {
  const { resolved, services, siblings } = input;
  const managedBy = (platform: PlatformKind, service?: string) => ({ platform, proxy: { kind: 'platform' as const, ...(service && { service }) } });
  if (resolved.captainVersion !== undefined || resolved.caproverOneClickApp !== undefined) return managedBy('caprover');
  if (services.some((s) => Object.values(s.environment).some((v) => v.variables.some((name) => COOLIFY_VARIABLE.test(name))))) return managedBy('coolify');
  if (siblings.includes('template.toml')) return managedBy('dokploy');
  const appProxy = services.find((s) => s.name === 'app_proxy' && s.image === undefined);
  if (appProxy || siblings.includes('umbrel-app.yml')) return managedBy('umbrel', appProxy?.name);
  if (Object.values((resolved.services ?? {}) as Record<string, { labels?: unknown } | null>).some((s) => hasLabel(s?.labels, 'runtipi.managed'))) return managedBy('runtipi');
  if (resolved['x-casaos'] !== undefined) return { platform: 'casaos', proxy: publishedProxy(input) };

  const tunnel = services.find((s) => image(s, 'cloudflare/cloudflared'));
  if (tunnel) return { platform: 'cloudflare-tunnel', proxy: { kind: 'cloudflare-tunnel', service: tunnel.name } };
  const traefik = services.find((s) => image(s, 'traefik'));
  if (traefik) return { platform: 'traefik', proxy: { kind: 'traefik', service: traefik.name, ...traefikAcmeEmail(traefik, input.projectEnv) } };
  const caddy = services.find((s) => image(s, 'caddy'));
  if (caddy) {
    const configFile = caddyfilePath(caddy, input);
    return { platform: 'caddy', proxy: { kind: 'caddy', service: caddy.name, ...caddyAcmeEmail(caddy, configFile, input), ...(configFile && { configFile }) } };
  }
  return { platform: 'compose', proxy: publishedProxy(input) };
}

/** No proxy in the file: one outside it when n8n listens on loopback only, a Traefik outside routes it by its labels, or its public URLs are https. */
function publishedProxy({ services, resolved }: PlatformInput): DeploymentProxy {
  const main = services.find((s) => s.role === 'main');
  if (!main) return { kind: 'none' };
  const labels = ((resolved.services ?? {}) as Record<string, { labels?: unknown } | null>)[main.name]?.labels;
  if (hasLabel(labels, 'traefik.enable')) return { kind: 'external' };
  if (main.ports.length > 0 && main.ports.every((port) => /^(127\.0\.0\.1|localhost|\[::1\]):/.test(port))) return { kind: 'external' };
  const env = main.environment;
  const https = env.N8N_PROTOCOL?.value === 'https' || ['N8N_EDITOR_BASE_URL', 'N8N_WEBHOOK_URL', 'WEBHOOK_URL'].some((key) => env[key]?.value.startsWith('https://'));
  return { kind: https ? 'external' : 'none' };
}

function hasLabel(labels: unknown, name: string): boolean {
  if (Array.isArray(labels)) return labels.some((label) => String(label).split('=')[0] === name);
  return labels !== null && typeof labels === 'object' && Object.hasOwn(labels, name);
}

/** `--certificatesresolvers.<name>.acme.email=…` on Traefik's command line. */
function traefikAcmeEmail(traefik: DeploymentService, projectEnv: ReadonlyMap<string, string>): Pick<DeploymentProxy, 'acmeEmail' | 'acmeEmailVariable'> {
  const flag = traefik.command?.map((word) => /^--certificatesresolvers\.[^.=]+\.acme\.email=(.*)$/.exec(word)?.[1]).find((value) => value !== undefined);
  return flag === undefined ? {} : spelledEmail(flag, projectEnv);
}

/** Caddy's global `email` option, in the Caddyfile the service mounts (or ./Caddyfile), with `{$VAR}` from Caddy's environment. */
function caddyAcmeEmail(caddy: DeploymentService, configFile: string | undefined, input: PlatformInput): Pick<DeploymentProxy, 'acmeEmail' | 'acmeEmailVariable'> {
  const caddyfile = configFile === undefined ? undefined : input.readFile(configFile);
  const email = caddyfile && /^\s*email\s+(\S+)\s*$/m.exec(caddyfile)?.[1];
  if (!email) return {};
  const placeholder = /^\{\$([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}$/.exec(email)?.[1];
  if (!placeholder) return { acmeEmail: email };
  const passed = caddy.environment[placeholder];
  return { ...(passed && { acmeEmail: passed.value }), acmeEmailVariable: passed?.variables[0] ?? placeholder };
}

/** The Caddyfile the caddy service mounts at /etc/caddy/Caddyfile (or in a folder mounted at /etc/caddy); else ./Caddyfile when there is one. */
function caddyfilePath(caddy: DeploymentService, input: PlatformInput): string | undefined {
  const raw = ((input.resolved.services ?? {}) as Record<string, { volumes?: unknown } | null>)[caddy.name];
  for (const volume of listOf(raw?.volumes)) {
    const mount = volumeMount(volume);
    if (!mount?.source) continue;
    const source = projectPath('', interpolateLikeCompose(mount.source, (name) => input.projectEnv.get(name) ?? ''));
    if (mount.target === '/etc/caddy/Caddyfile') return source;
    if (mount.target === '/etc/caddy') return projectPath(source, 'Caddyfile');
  }
  return input.readFile('Caddyfile') !== undefined ? 'Caddyfile' : undefined;
}

function spelledEmail(spelled: string, projectEnv: ReadonlyMap<string, string>): Pick<DeploymentProxy, 'acmeEmail' | 'acmeEmailVariable'> {
  const variable = referencedVariables(spelled)[0];
  const value = interpolateLikeCompose(spelled, (name) => projectEnv.get(name));
  return { ...(value && { acmeEmail: value }), ...(variable && { acmeEmailVariable: variable }) };
}
