/**
 * One real n8n process, started in a container view and stopped with its task runners: the main process
 * (`n8n start`), or in queue mode a worker (`n8n worker`) or a webhook processor (`n8n webhook`). Ready
 * means it printed its ready line (after the database migrations) and its health endpoint answers; every
 * wait is bounded, and a failed start reports the process's own log.
 */
import { IN_CONTAINER, type ContainerSpec } from './container-view.js';
import { logged, waitUntilReady } from './process-groups.js';
import { spawnInContainer } from './run-in-container.js';

export type N8nRole = 'main' | 'worker' | 'webhook';

export interface N8nInstance {
  role: N8nRole;
  /** Where this machine reaches it (loopback, n8n's own port: no proxy in between); a worker's health server. */
  url: string;
  /** Everything n8n printed so far, stdout and stderr interleaved. */
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 150_000;

/** What each role prints when it is ready, and the variable holding the port of its `/healthz`. */
const ROLES: Record<N8nRole, { readyLine: string; portVariable: string }> = {
  main: { readyLine: 'Editor is now accessible via', portVariable: 'N8N_PORT' },
  worker: { readyLine: 'n8n worker is now ready', portVariable: 'QUEUE_HEALTH_CHECK_PORT' },
  webhook: { readyLine: 'Webhook listener waiting for requests.', portVariable: 'N8N_PORT' },
};

/** The role of the image's `n8n` command given these arguments (Compose's `command:`; none is `start`). */
export function n8nRole(command: readonly string[]): N8nRole {
  const [subcommand = 'start'] = command;
  if (subcommand === 'start') return 'main';
  if (subcommand === 'worker' || subcommand === 'webhook') return subcommand;
  throw new Error(`n8n ${command.join(' ')} is not a long-running role the acceptance tier starts`);
}

export async function startN8n(spec: ContainerSpec, scratch: string, command: readonly string[] = ['start']): Promise<N8nInstance> {
  const role = n8nRole(command);
  const { readyLine, portVariable } = ROLES[role];
  const url = `http://127.0.0.1:${spec.environment[portVariable] ?? ''}`;
  // A worker serves /healthz only when the deployment turns its health check on.
  const checksHealth = role !== 'worker' || spec.environment.QUEUE_HEALTH_CHECK_ACTIVE === 'true';
  const server = logged(spawnInContainer(spec, scratch, [IN_CONTAINER.node, IN_CONTAINER.n8n, ...(command.length ? command : ['start'])]));
  try {
    await waitUntilReady(server, `n8n (${role})`, START_TIMEOUT_MS, async () => server.log().includes(readyLine) && (!checksHealth || (await answers(`${url}/healthz`))));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { role, url, log: server.log, stop: server.stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}
