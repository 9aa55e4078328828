/**
 * The deployment's `postgres` service, stood in for by a throwaway cluster: what the postgres image's
 * entrypoint does on an empty data folder, from the environment Compose gives the service (superuser
 * POSTGRES_USER with POSTGRES_PASSWORD, database POSTGRES_DB, password logins with scram-sha-256: the image's
 * POSTGRES_HOST_AUTH_METHOD default), then the init script n8n-hosting mounts into
 * /docker-entrypoint-initdb.d/, which the corpus leaves out (it is a script from another repository).
 */
import { startPostgresCluster, sqlIdentifier, sqlLiteral, type PostgresCluster } from './postgres-cluster.js';

export async function startPostgresLikeImage(dir: string, environment: Readonly<Record<string, string>>): Promise<PostgresCluster> {
  const user = environment.POSTGRES_USER || 'postgres';
  const password = environment.POSTGRES_PASSWORD;
  if (!password) throw new Error('the postgres service has no POSTGRES_PASSWORD: the image would refuse to start');
  const database = environment.POSTGRES_DB || user;
  const cluster = await startPostgresCluster(dir, { user, password });
  try {
    if (database !== 'postgres') await cluster.psql({ user, password, database: 'postgres' }, `CREATE DATABASE ${sqlIdentifier(database)};`);
    await runInitData(cluster, { user, password, database }, environment);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/**
 * n8n-hosting's docker-compose/withPostgresAndWorker/init-data.sh, statement for statement (names quoted):
 * the non-root user n8n logs in as, with its password, all privileges on the database and CREATE on its
 * public schema (PostgreSQL 15 no longer grants that to everyone). Like the script, it does nothing unless
 * both variables are set.
 */
async function runInitData(cluster: PostgresCluster, superuser: { user: string; password: string; database: string }, environment: Readonly<Record<string, string>>): Promise<void> {
  const user = environment.POSTGRES_NON_ROOT_USER;
  const password = environment.POSTGRES_NON_ROOT_PASSWORD;
  if (!user || !password) return;
  await cluster.psql(
    superuser,
    [
      `CREATE USER ${sqlIdentifier(user)} WITH PASSWORD ${sqlLiteral(password)};`,
      `GRANT ALL PRIVILEGES ON DATABASE ${sqlIdentifier(superuser.database)} TO ${sqlIdentifier(user)};`,
      `GRANT CREATE ON SCHEMA public TO ${sqlIdentifier(user)};`,
    ].join('\n'),
  );
}
