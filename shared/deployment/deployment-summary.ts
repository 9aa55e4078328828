/**
 * What an imported folder runs, as the welcome step and `import` show it: the compose file, who runs it and
 * routes the public URL, and every service with its role in words. Read from the deployment model.
 */
import type { Deployment, PlatformKind, ProxyKind, ServiceRole } from './deployment.js';
import { PLATFORM_LABELS, roleWords, routingWords } from './deployment-words.js';

export interface ServiceSummary {
  name: string;
  /** Undefined: not n8n. */
  role?: ServiceRole;
  roleLabel: string;
  /** As written (`${N8N_VERSION}` kept); undefined when built from a Dockerfile. */
  image?: string;
  build: boolean;
  publishesPorts: boolean;
  /** Its env_file entries, as written. */
  envFiles: string[];
}

export interface DeploymentSummary {
  composeFile: string;
  platform: PlatformKind;
  platformLabel: string;
  proxy: ProxyKind;
  /** The proxy service in the file, if there is one. */
  proxyService?: string;
  /** Who brings the public URL to n8n, in words. */
  routing: string;
  /** In role order (inRoleOrder). */
  services: ServiceSummary[];
}

const ORDER: Array<ServiceRole | undefined> = ['main', 'webhook', 'worker', 'task', 'runner', undefined];

/** n8n's services first (main, webhook processors, workers, tasks, runners), then the others as written. */
export function inRoleOrder<T extends { role?: ServiceRole }>(services: readonly T[]): T[] {
  return [...services].sort((a, b) => ORDER.indexOf(a.role) - ORDER.indexOf(b.role));
}

export function summarizeDeployment(deployment: Deployment): DeploymentSummary {
  const services = inRoleOrder(deployment.services);
  return {
    composeFile: deployment.composeFile,
    platform: deployment.platform,
    platformLabel: PLATFORM_LABELS[deployment.platform],
    proxy: deployment.proxy.kind,
    ...(deployment.proxy.service && { proxyService: deployment.proxy.service }),
    routing: routingWords(deployment.proxy),
    services: services.map((s) => ({
      name: s.name,
      ...(s.role && { role: s.role }),
      roleLabel: roleWords(s.role),
      ...(s.image !== undefined && { image: s.image }),
      build: s.build,
      publishesPorts: s.ports.length > 0,
      envFiles: s.envFiles.map((file) => file.path),
    })),
  };
}

/** "docker-compose.yml — Coolify, the platform routes the public URL". */
export function deploymentHeadline(summary: Pick<DeploymentSummary, 'composeFile' | 'platformLabel' | 'routing'>): string {
  return `${summary.composeFile} — ${summary.platformLabel}, ${summary.routing}`;
}

/** The service list in lines: each n8n service and runner on its own, the services that are not n8n together. */
export function serviceLines<T extends Pick<ServiceSummary, 'name' | 'role' | 'roleLabel'>>(services: readonly T[]): Array<{ names: string[]; services: T[]; words: string }> {
  const others = services.filter((s) => !s.role);
  return [
    ...services.filter((s) => s.role).map((s) => ({ names: [s.name], services: [s], words: s.roleLabel })),
    ...(others.length > 0 ? [{ names: others.map((s) => s.name), services: others, words: roleWords(undefined, others.length) }] : []),
  ];
}

/** The image as written, published ports and env files: what tells an admin it is the right service. */
export function serviceFacts(service: Pick<ServiceSummary, 'image' | 'build' | 'publishesPorts' | 'envFiles'>): string[] {
  return [
    service.image !== undefined ? `image ${service.image}` : service.build ? 'built from a Dockerfile' : undefined,
    service.publishesPorts ? 'publishes ports' : undefined,
    service.envFiles.length > 0 ? `reads ${service.envFiles.join(', ')}` : undefined,
  ].filter((fact) => fact !== undefined);
}
