/**
 * A deployment as Compose and its platform run it: every service, which of them are n8n and in what role,
 * the environment each gets and through which `.env` variables it flows, and what routes the public URL
 * to n8n. Read by read-deployment.ts; import, export and the wizard work from it instead of one service.
 */
import type { ComposeFileRead, ServiceDefinition } from './load-compose-project.js';

/**
 * The part an n8n process plays. Main serves the editor and sends user-management mail; workers run
 * executions; webhook processors answer production webhooks; a task is a one-off command (`n8n
 * import:workflow`) that runs and exits; a runner is a task-runner sidecar (n8nio/runners).
 */
export const SERVICE_ROLES = ['main', 'worker', 'webhook', 'task', 'runner'] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/** Who runs the compose file: Compose itself (optionally with a bundled proxy) or a platform that rewrites it. */
export const PLATFORM_KINDS = ['compose', 'caddy', 'traefik', 'cloudflare-tunnel', 'coolify', 'dokploy', 'caprover', 'umbrel', 'runtipi', 'casaos'] as const;
export type PlatformKind = (typeof PLATFORM_KINDS)[number];

/**
 * What brings the public URL to n8n: nothing (a published port), a proxy service in the file, a proxy
 * outside the file (n8n bound to loopback, or https URLs with no proxy here), a platform's own proxy
 * (no published port needed), or a tunnel.
 */
export const PROXY_KINDS = ['none', 'caddy', 'traefik', 'external', 'platform', 'cloudflare-tunnel'] as const;
export type ProxyKind = (typeof PROXY_KINDS)[number];

export interface EnvironmentValue {
  /** What the container gets (after Compose's interpolation). */
  value: string;
  /** As written: the compose `environment:` value or the env_file line's value, before interpolation. */
  spelled?: string;
  /** Where the key is set: the service's `environment:`, or an `env_file` (its project path, project-paths.ts). */
  from: { environment: true } | { envFile: string };
  /** The compose file and the service in it whose `environment:` or `env_file:` sets the key (an override, an extended service). */
  declaredIn?: { file: string; service: string };
  /** The project `.env` variables the value flows through (`${N8N_HOST}`, `- N8N_HOST` without a value). */
  variables: string[];
}

export interface DeploymentService {
  name: string;
  /** As written (merge keys resolved, `${VAR}` references kept). */
  image?: string;
  /** Built from a Dockerfile instead of pulled. */
  build: boolean;
  n8nImage: boolean;
  role?: ServiceRole;
  /** The command's words as written (a string split at spaces). */
  command?: string[];
  /** Published ports as written (long syntax as `published:target`). */
  ports: string[];
  /** As written (`path`), and where that is in the project (`at`, project-paths.ts). */
  envFiles: Array<{ path: string; required: boolean; at: string }>;
  environment: Record<string, EnvironmentValue>;
  /** The definitions Compose merges into this service, lowest precedence first (load-compose-project.ts). */
  definitions: ServiceDefinition[];
}

export interface DeploymentProxy {
  kind: ProxyKind;
  /** The proxy service in the file, if there is one. */
  service?: string;
  /** The project `.env` variable that holds the ACME (Let's Encrypt) email, when the proxy reads one. */
  acmeEmailVariable?: string;
  /** The ACME email the proxy uses, when it can be read. */
  acmeEmail?: string;
  /** The configuration file the proxy service mounts (Caddy's Caddyfile), as Compose resolves its path. */
  configFile?: string;
}

export interface Deployment {
  /** The first compose file Compose loads (the others are in `files`). */
  composeFile: string;
  /** Every compose file read, in the order Compose loads them, with why. */
  files: ComposeFileRead[];
  services: DeploymentService[];
  platform: PlatformKind;
  proxy: DeploymentProxy;
  /** The project `.env` as Compose reads it for interpolation. */
  projectEnv: ReadonlyMap<string, string>;
  /** The model as Compose merges it from the files: top-level keys and each service, `${…}` kept as written. */
  resolved: Record<string, unknown>;
}

/** The n8n services (main, workers, webhook processors, tasks), main first. */
export function n8nServices(deployment: Deployment): DeploymentService[] {
  const order: ServiceRole[] = ['main', 'webhook', 'worker', 'task'];
  return deployment.services.filter((s) => s.role && s.role !== 'runner').sort((a, b) => order.indexOf(a.role!) - order.indexOf(b.role!));
}

/** The one main n8n service, or undefined when there is none or more than one. */
export function mainService(deployment: Deployment): DeploymentService | undefined {
  const mains = deployment.services.filter((s) => s.role === 'main');
  return mains.length === 1 ? mains[0] : undefined;
}

/** A value a platform fills in when it deploys (CapRover's `$$cap_NAME`, read by Compose as `$cap_NAME`). */
export function isPlatformPlaceholder(value: string | undefined): boolean {
  return value !== undefined && /\$cap_[A-Za-z0-9_]+/.test(value);
}
