/**
 * A throwaway PostgreSQL 15 cluster (Debian's postgresql-15) in a temporary folder, as the postgres system
 * user (initdb refuses root): listening on 127.0.0.1 only, every login by password with scram-sha-256, no
 * trust anywhere. It dies with the test process (`setpriv --pdeathsig`) if that is killed.
 */
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';
import { freePorts } from './free-ports.js';
import { runToEnd, spawnGroup, waitUntilReady } from './process-groups.js';

export interface PostgresLogin {
  user: string;
  password: string;
  database: string;
}

export interface PostgresCluster {
  port: number;
  /** Runs `sql` with psql over TCP, logged in as `login` (scram-sha-256); fails with psql's error. */
  psql(login: PostgresLogin, sql: string): Promise<string>;
  log(): string;
  stop(): Promise<void>;
}

const INITDB_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 30_000;
const PSQL_TIMEOUT_MS = 30_000;
const AS_POSTGRES = ['--reuid=postgres', '--regid=postgres', '--init-groups'];

/** Makes a cluster in `dir` (created, then owned by postgres) whose superuser is `superuser`, and starts it. */
export async function startPostgresCluster(dir: string, superuser: { user: string; password: string }): Promise<PostgresCluster> {
  const owner = systemUser('postgres');
  const data = join(dir, 'data');
  const sockets = join(dir, 'sockets');
  const passwordFile = join(dir, 'superuser-password');
  for (const folder of [dir, sockets]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chownSync(folder, owner.uid, owner.gid);
  }
  writeFileSync(passwordFile, `${superuser.password}\n`, { mode: 0o600 });
  chownSync(passwordFile, owner.uid, owner.gid);
  try {
    const initdb = await runToEnd(
      testProgram('setpriv'),
      [...AS_POSTGRES, '--', testProgram('initdb'), '--pgdata', data, '--username', superuser.user, '--pwfile', passwordFile, '--auth', 'scram-sha-256', '--encoding', 'UTF8', '--locale', 'C', '--no-sync', '--no-instructions'],
      { timeoutMs: INITDB_TIMEOUT_MS, env: { PATH: '/usr/bin:/bin' } },
    );
    if (initdb.code !== 0) throw new Error(`initdb failed (${initdb.code}):\n${initdb.stdout}${initdb.stderr}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }

  const [port = 0] = await freePorts(1);
  const server = spawnGroup(
    testProgram('setpriv'),
    // A throwaway cluster needs no crash safety: fsync off keeps n8n's migrations quick.
    [...AS_POSTGRES, '--pdeathsig', 'KILL', '--', testProgram('postgres'), '-D', data, '-p', String(port), '-k', sockets, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    { env: { PATH: '/usr/bin:/bin' } },
  );
  try {
    await waitUntilReady(server, 'postgres', START_TIMEOUT_MS, () => server.log().includes('database system is ready to accept connections'));
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    port,
    psql: (login, sql) => psql(port, login, sql),
    log: server.log,
    stop: server.stop,
  };
}

async function psql(port: number, login: PostgresLogin, sql: string): Promise<string> {
  const run = await runToEnd(
    testProgram('psql'),
    ['--no-psqlrc', '--quiet', '--tuples-only', '--no-align', '--set', 'ON_ERROR_STOP=1', '--host', '127.0.0.1', '--port', String(port), '--username', login.user, '--dbname', login.database, '--file', '-'],
    // The password through the environment, never the command line; no password prompt.
    { input: sql, timeoutMs: PSQL_TIMEOUT_MS, env: { PATH: '/usr/bin:/bin', PGPASSWORD: login.password, PGCONNECT_TIMEOUT: '10' } },
  );
  if (run.code !== 0) throw new Error(`psql as ${login.user} on ${login.database} failed (${run.code}): ${run.stderr.trim()}`);
  return run.stdout;
}

/** SQL spellings of a name and a string, for values from a deployment's .env. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`there is no ${name} user: install postgresql-15 (scripts/setup-test-machine.sh)`);
  return { uid: Number(uid), gid: Number(gid) };
}
