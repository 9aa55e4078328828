/**
 * What an n8n service's container gets from a deployment folder — its environment and its files at their
 * container paths — plus the few things this test machine must change, each listed with its reason.
 * Everything else is exactly what Compose would hand over to that service (read by the same reader the
 * config-loader tests check against docker-compose v1).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import { readAsComposeV2 } from '../n8n-oracle/load-like-compose.js';
import { TEST_HOST } from '../smtp/test-certificates.js';

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  environment: Record<string, string>;
  mounts: Mount[];
  /** The variables the deployment's files set: the start log must not warn about any of them. */
  written: string[];
  /** Compose's `command:` for the service: the arguments the image's entrypoint hands to `n8n`. */
  command: string[];
  /** Who runs the command: the container's user, or root for the admin's own runs. */
  uid: number;
}

/** Where the harness puts n8n, its Node and our CLI bundle inside the namespace. */
export const HARNESS_DIR = '/opt/n8n-acceptance';
export const IN_CONTAINER = {
  node: `${HARNESS_DIR}/node`,
  n8n: `${HARNESS_DIR}/n8n/node_modules/n8n/bin/n8n`,
  cli: `${HARNESS_DIR}/n8n-setup.cjs`,
} as const;

/** What the docker.n8n.io/n8nio/n8n image itself sets (its Dockerfile ENV and `USER node`). */
const IMAGE_ENVIRONMENT = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/home/node',
  NODE_ENV: 'production',
  N8N_RELEASE_TYPE: 'stable',
  SHELL: '/bin/sh',
};

export interface HostStandIns {
  /** n8n's listen port (main, webhook processor): 5678 may be taken on a shared machine, and 5679 is the task broker's. */
  port?: number;
  brokerPort: number;
  /** A queue-mode worker's health server, whose port is 5678 too unless set. */
  healthCheckPort?: number;
  /** PEM file of the test CA, standing in for the public roots a real provider's certificate chains to. */
  publicRootsStandIn?: string;
  /** Compose services this machine's own servers stand in for (postgres, redis): their names resolve to loopback. */
  serviceHosts?: string[];
  /** Where those servers listen, replacing the ports the deployment names (`DB_POSTGRESDB_PORT`, `QUEUE_BULL_REDIS_PORT`). */
  serverPorts?: Partial<Record<ServerPortVariable, number>>;
}

type ServerPortVariable = 'DB_POSTGRESDB_PORT' | 'QUEUE_BULL_REDIS_PORT';
/** The only variables a deployment may set that the harness changes: the stand-in servers' ports, and the broker's address. */
const REPLACED = new Set<string>(['DB_POSTGRESDB_PORT', 'QUEUE_BULL_REDIS_PORT', 'N8N_RUNNERS_BROKER_LISTEN_ADDRESS']);

/**
 * The host differs from a container in ways that are not ours to test: a shared network (so ports and the
 * listen addresses move, and nothing phones home from CI) and the public CA roots (a throwaway CA signs the
 * fixtures). A setup under test never writes these variables, except the REPLACED ones; if it did, that
 * would be a conflict.
 */
function hostStandIns(standIns: HostStandIns): Record<string, string> {
  return {
    ...(standIns.port !== undefined && { N8N_PORT: String(standIns.port), N8N_LISTEN_ADDRESS: '127.0.0.1' }),
    N8N_RUNNERS_BROKER_PORT: String(standIns.brokerPort),
    // The task broker listens on loopback (its default) even where the deployment opens it to its sidecar runner.
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    ...(standIns.healthCheckPort !== undefined && { QUEUE_HEALTH_CHECK_PORT: String(standIns.healthCheckPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' }),
    ...Object.fromEntries(Object.entries(standIns.serverPorts ?? {}).map(([name, port]) => [name, String(port)])),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    ...(standIns.publicRootsStandIn && { NODE_EXTRA_CA_CERTS: `${HARNESS_DIR}/public-roots.pem` }),
  };
}

export interface HarnessFiles {
  /** Scratch folder of this run (0755 so uid 1000 can reach what is mounted from it). */
  scratch: string;
  /** n8n's data folder, the n8n_data volume at /home/node/.n8n; owned by uid 1000. */
  home: string;
  n8nInstallDir: string;
  node: string;
  cliBundle: string;
}

export interface ServiceChoice {
  /** The compose file in `dir` (an exported folder writes compose.yaml). */
  composeFile?: string;
  /** The service to run; by default the one service that is clearly n8n. */
  service?: string;
  /** Edits the Compose environment before the stand-ins are added (for deliberately broken setups). */
  adjust?: (environment: Record<string, string>) => void;
}

/** The container of an n8n service in the deployment folder `dir`, to run with `runInContainer`. */
export function containerSpec(dir: string, files: HarnessFiles, standIns: HostStandIns, choice: ServiceChoice = {}): ContainerSpec {
  const view = readAsComposeV2(dir, choice.composeFile ?? 'compose.yaml', choice.service);
  const composed = { ...view.environment };
  choice.adjust?.(composed);
  const added = hostStandIns(standIns);
  const conflicts = Object.keys(added).filter((name) => name in composed && !REPLACED.has(name));
  if (conflicts.length) throw new Error(`the deployment sets ${conflicts.join(', ')}, which the harness needs to set for this machine`);

  const mounts: Mount[] = [...view.paths].map(([target, source]) => ({ source, target, readOnly: true }));
  mounts.push(
    { source: files.home, target: CONTAINER.dataVolume.replace(/\/\.n8n$/, ''), readOnly: false },
    { source: files.n8nInstallDir, target: `${HARNESS_DIR}/n8n`, readOnly: true },
    { source: files.node, target: IN_CONTAINER.node, readOnly: true },
    { source: files.cliBundle, target: IN_CONTAINER.cli, readOnly: true },
    ...networkFiles(files.scratch, standIns.serviceHosts),
  );
  if (standIns.publicRootsStandIn) mounts.push({ source: standIns.publicRootsStandIn, target: `${HARNESS_DIR}/public-roots.pem`, readOnly: true });

  return { environment: { ...IMAGE_ENVIRONMENT, ...composed, ...added }, mounts, written: Object.keys(view.environment), command: view.command, uid: CONTAINER.uid };
}

/**
 * This machine as the admin running our CLI sees it — root, the host's files — except that the fixtures'
 * host name resolves as it does in the container, and the same stand-in for the public CA roots applies.
 */
export function adminSpec(scratch: string, publicRootsStandIn: string | undefined): ContainerSpec {
  return {
    environment: { PATH: IMAGE_ENVIRONMENT.PATH, HOME: scratch, ...(publicRootsStandIn && { NODE_EXTRA_CA_CERTS: publicRootsStandIn }) },
    mounts: networkFiles(scratch),
    written: [],
    command: [],
    uid: 0,
  };
}

/**
 * The container's own /etc/hosts and resolv.conf, as Docker writes them: the SMTP fixtures' name and the
 * services this machine stands in for resolve to loopback, and a resolver that does not exist keeps n8n's
 * calls home (telemetry, templates) off the network.
 */
function networkFiles(scratch: string, serviceHosts: readonly string[] = []): Mount[] {
  const hosts = join(scratch, 'hosts');
  const resolv = join(scratch, 'resolv.conf');
  writeFileSync(hosts, `127.0.0.1 localhost\n::1 localhost\n${[TEST_HOST, ...serviceHosts].map((name) => `127.0.0.1 ${name}\n`).join('')}`, { mode: 0o644 });
  writeFileSync(resolv, 'nameserver 127.0.0.1\n', { mode: 0o644 });
  return [
    { source: hosts, target: '/etc/hosts', readOnly: true },
    { source: resolv, target: '/etc/resolv.conf', readOnly: true },
  ];
}
