/**
 * The deployment in an ops person's words: what runs the compose file, what brings the public URL to n8n,
 * and what each service does. The welcome step, the review and the CLI all say it with these.
 */
import type { DeploymentProxy, PlatformKind, ServiceRole } from './deployment.js';

export const PLATFORM_LABELS: Record<PlatformKind, string> = {
  compose: 'plain Docker Compose',
  caddy: 'Docker Compose with Caddy',
  traefik: 'Docker Compose with Traefik',
  'cloudflare-tunnel': 'Docker Compose with a Cloudflare tunnel',
  coolify: 'Coolify',
  dokploy: 'Dokploy',
  caprover: 'CapRover',
  umbrel: 'umbrelOS',
  runtipi: 'Runtipi',
  casaos: 'CasaOS',
};

const ROLE_WORDS: Record<ServiceRole, string> = {
  main: 'main (editor, sends invites)',
  worker: 'worker (runs executions)',
  webhook: 'webhook processor (answers production webhooks)',
  task: 'one-off task, runs and exits',
  runner: 'task runner (runs Code node scripts for n8n)',
};

/** What a service does; one that is not n8n is left as it is. */
export function roleWords(role: ServiceRole | undefined, count = 1): string {
  if (role) return ROLE_WORDS[role];
  return count === 1 ? 'other service, left as it is' : 'other services, left as they are';
}

/** Who brings the public URL to n8n. */
export function routingWords(proxy: Pick<DeploymentProxy, 'kind' | 'service'>): string {
  const service = proxy.service ? `the ${proxy.service} service` : undefined;
  switch (proxy.kind) {
    case 'none':
      return 'no proxy: n8n answers on its published port';
    case 'external':
      return 'a proxy outside this file routes the public URL';
    case 'platform':
      return 'the platform routes the public URL';
    case 'caddy':
      return `${service ?? 'Caddy'} (Caddy) routes the public URL`;
    case 'traefik':
      return `${service ?? 'Traefik'} (Traefik) routes the public URL`;
    case 'cloudflare-tunnel':
      return `a Cloudflare tunnel (${service ?? 'cloudflared'}) brings the public URL in`;
  }
}
