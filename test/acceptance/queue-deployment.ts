/**
 * Runs a queue-mode deployment folder (compose file + .env) on this machine, service by service, as Compose
 * would: every service on the n8n image in its own container view with exactly the environment Compose
 * gives that service (main `n8n start`, then workers and webhook processors, as `depends_on` orders them),
 * one shared n8n_storage volume, and real servers standing in for the deployment's own: Debian's Redis for
 * the `redis:` image, a throwaway PostgreSQL 15 cluster initialised like the `postgres:` image. Task-runner
 * sidecars (n8nio/runners) are not started: the test's workflows run no Code node. The host stand-ins
 * (container-view.ts) are listed in docs/acceptance.md.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { parseComposeDocument, resolveComposeDocument } from '../../shared/compose/compose-document.js';
import { isN8nImage } from '../../shared/compose/n8n-service-entries.js';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import { readAsComposeV2 } from '../n8n-oracle/load-like-compose.js';
import { containerSpec, type ContainerSpec } from './container-view.js';
import { freePorts } from './free-ports.js';
import { n8nRole, startN8n, type N8nInstance, type N8nRole } from './n8n-instance.js';
import type { PostgresCluster } from './postgres-cluster.js';
import { startPostgresLikeImage } from './postgres-image.js';
import { preparedN8n } from './prepared-n8n.js';
import type { DeploymentFolder } from './queue-deployment-folder.js';
import { startRedis, type RedisServer } from './redis-server.js';

export interface N8nService {
  /** The compose service name. */
  name: string;
  role: N8nRole;
  spec: ContainerSpec;
  n8n: N8nInstance;
}

export interface RunningQueueDeployment {
  services: N8nService[];
  /** The one service of `role` (the test's deployment runs one of each). */
  service(role: N8nRole): N8nService;
  postgres: PostgresCluster;
  redis: RedisServer;
  stop(): Promise<void>;
}

type ServiceKind = 'n8n' | 'postgres' | 'redis' | 'runner';

const KINDS: Array<[ServiceKind, RegExp]> = [
  ['postgres', /(^|\/)postgres(:|@|$)/],
  ['redis', /(^|\/)redis(:|@|$)/],
  ['runner', /(^|\/)n8nio\/runners(:|@|$)/],
];

export async function launchQueueDeployment(folder: DeploymentFolder, publicRootsStandIn: string): Promise<RunningQueueDeployment> {
  const services = composeServices(folder);
  const named = (kind: ServiceKind) => services.filter((s) => s.kind === kind).map((s) => s.name);
  const [postgresService, ...morePostgres] = named('postgres');
  const [redisService, ...moreRedis] = named('redis');
  if (!postgresService || !redisService || morePostgres.length || moreRedis.length) throw new Error(`expected one postgres and one redis service, found: ${services.map((s) => `${s.name} (${s.kind})`).join(', ')}`);

  const scratch = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
  // uid 1000 (n8n) and the servers' users must reach what is mounted or kept here.
  chmodSync(scratch, 0o755);
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const server of [...started].reverse()) await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const redisDir = join(scratch, 'redis');
    mkdirSync(redisDir, { mode: 0o755 });
    const [postgres, redis] = await Promise.all([
      startPostgresLikeImage(join(scratch, 'postgres'), readAsComposeV2(folder.dir, folder.composeFile, postgresService).environment),
      startRedis(redisDir),
    ]);
    started.push(postgres, redis);

    // The n8n_storage volume every n8n service mounts at /home/node/.n8n, owned by the image's user.
    const home = join(scratch, 'home');
    mkdirSync(join(home, '.n8n'), { recursive: true, mode: 0o700 });
    chownSync(home, CONTAINER.uid, CONTAINER.uid);
    chownSync(join(home, '.n8n'), CONTAINER.uid, CONTAINER.uid);
    const installed = preparedN8n();
    const files = { scratch, home, n8nInstallDir: installed.installDir, node: installed.node, cliBundle: inject('cliBundle') };

    const roles = new Map(named('n8n').map((name) => [name, n8nRole(readAsComposeV2(folder.dir, folder.composeFile, name).command)]));
    const n8nServices: N8nService[] = [];
    const startService = async (name: string): Promise<N8nService> => {
      const role = roles.get(name) ?? 'main';
      const [port = 0, brokerPort = 0] = await freePorts(2);
      const spec = containerSpec(
        folder.dir,
        files,
        {
          ...(role === 'worker' ? { healthCheckPort: port } : { port }),
          brokerPort,
          publicRootsStandIn,
          serviceHosts: [postgresService, redisService],
          serverPorts: { DB_POSTGRESDB_PORT: postgres.port, QUEUE_BULL_REDIS_PORT: redis.port },
        },
        { composeFile: folder.composeFile, service: name },
      );
      const n8n = await startN8n(spec, scratch, spec.command);
      started.push(n8n);
      const service = { name, role, spec, n8n };
      n8nServices.push(service);
      return service;
    };
    const [main, ...moreMains] = [...roles].filter(([, role]) => role === 'main').map(([name]) => name);
    if (!main || moreMains.length) throw new Error(`expected one main n8n service, found: ${[...roles].map(([name, role]) => `${name} (${role})`).join(', ')}`);
    // Main first: it runs the database migrations; workers and webhook processors depend on it.
    await startService(main);
    await Promise.all([...roles.keys()].filter((name) => name !== main).map(startService));

    return {
      services: n8nServices,
      service(role) {
        const found = n8nServices.filter((s) => s.role === role);
        if (found.length !== 1 || !found[0]) throw new Error(`the deployment runs ${found.length} ${role} services`);
        return found[0];
      },
      postgres,
      redis,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every service of the compose file, by what its image is. */
function composeServices(folder: DeploymentFolder): Array<{ name: string; kind: ServiceKind }> {
  const text = readFileSync(join(folder.dir, folder.composeFile), 'utf8');
  const resolved = resolveComposeDocument(parseComposeDocument(text), folder.composeFile) as { services?: Record<string, { image?: unknown } | null> };
  return Object.entries(resolved.services ?? {}).map(([name, service]) => {
    const image = String(service?.image ?? '');
    const kind = isN8nImage(image) ? 'n8n' : KINDS.find(([, pattern]) => pattern.test(image))?.[0];
    if (!kind) throw new Error(`the harness cannot stand in for service ${name} (image ${image || 'none'})`);
    return { name, kind };
  });
}
