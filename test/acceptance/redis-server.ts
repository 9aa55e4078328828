/**
 * A real Redis (Debian's redis-server, Redis 7) for queue mode: on a loopback port, as the redis system
 * user, with nothing kept on disk. It dies with the test process (`setpriv --pdeathsig`) if that is killed.
 */
import { testProgram } from '../../scripts/test-programs.mjs';
import { freePorts } from './free-ports.js';
import { spawnGroup, waitUntilReady } from './process-groups.js';

export interface RedisServer {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;

/** Starts Redis with `dir` (owned by root, 0755 or more open) as its working folder. */
export async function startRedis(dir: string): Promise<RedisServer> {
  const [port = 0] = await freePorts(1);
  const server = spawnGroup(testProgram('setpriv'), [
    '--reuid=redis', '--regid=redis', '--init-groups', '--pdeathsig', 'KILL', '--',
    testProgram('redis-server'),
    '--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes',
    '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', '',
  ]);
  try {
    await waitUntilReady(server, 'redis-server', START_TIMEOUT_MS, () => server.log().includes('Ready to accept connections'));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { port, log: server.log, stop: server.stop };
}
