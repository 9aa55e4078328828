/**
 * What a service's `ports:` entries publish, in short (`[ip:][host:]container[/proto]`) or long syntax, and
 * the warnings when that contradicts the chosen proxy mode.
 */
import type { Warning } from '../errors.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import type { ProxySpec } from './compose-spec.js';

export interface PublishedPort {
  /** '' when published on every interface. */
  hostIp: string;
  /** '' when Docker picks the host port. */
  hostPort: string;
  containerPort: string;
}

export function publishedPorts(ports: unknown): PublishedPort[] {
  return Array.isArray(ports) ? ports.flatMap((entry) => publishedPort(entry) ?? []) : [];
}

function publishedPort(entry: unknown): PublishedPort | undefined {
  if (typeof entry === 'number') return { hostIp: '', hostPort: '', containerPort: String(entry) };
  if (typeof entry === 'string') {
    const spec = entry.replace(/\/(tcp|udp|sctp)$/, '');
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
    const parts = ipv6 ? [ipv6[1]!, ...ipv6[2]!.split(':')] : spec.split(':');
    const containerPort = parts.at(-1) ?? '';
    const hostPort = parts.length >= 2 ? parts.at(-2)! : '';
    const hostIp = parts.length >= 3 ? parts.slice(0, -2).join(':') : '';
    return { hostIp, hostPort, containerPort };
  }
  if (entry && typeof entry === 'object') {
    const long = entry as { target?: unknown; published?: unknown; host_ip?: unknown };
    return { hostIp: String(long.host_ip ?? ''), hostPort: String(long.published ?? ''), containerPort: String(long.target ?? '') };
  }
  return undefined;
}

function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost';
}

/** Whether any entry publishes host port `port` (used to avoid starting a second proxy on 80/443). */
export function publishesHostPort(ports: unknown, port: number): boolean {
  return publishedPorts(ports).some((p) => p.hostPort === String(port));
}

export function portWarnings(ports: unknown, proxy: ProxySpec, serviceName: string): Warning[] {
  const n8nPorts = publishedPorts(ports).filter((p) => p.containerPort === String(CONTAINER.listenPort));
  const open = n8nPorts.filter((p) => !isLoopback(p.hostIp));
  if (proxy.kind !== 'none' && open.length > 0) {
    return [{
      code: 'COMPOSE_PORT_PUBLIC',
      message:
        `services.${serviceName}.ports publishes n8n's port ${CONTAINER.listenPort} on every interface, so the proxy can be bypassed over plain http. ` +
        (proxy.kind === 'external'
          ? `Bind it to the loopback interface ("127.0.0.1:${CONTAINER.listenPort}:${CONTAINER.listenPort}") if the proxy runs on this host.`
          : `Remove it: ${proxy.kind} reaches n8n over the compose network.`),
    }];
  }
  if (proxy.kind === 'none' && n8nPorts.length === 0) {
    return [{
      code: 'COMPOSE_PORT_NOT_PUBLISHED',
      message: `services.${serviceName} does not publish n8n's port ${CONTAINER.listenPort}; without a proxy n8n cannot be reached from outside the compose network.`,
    }];
  }
  return [];
}
