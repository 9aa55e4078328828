/**
 * Reads an exported folder the way Docker Compose hands it to the n8n container. Two independent readers:
 * our Compose v2 reading (shared/compose/container-environment, on the golden-checked .env parser) and
 * docker-compose v1's own loader; the tests require both to agree.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readComposeService } from '../../shared/compose/container-environment.js';
import { isN8nImage } from '../../shared/compose/n8n-service-entries.js';
import { readComposeV1 } from '../support/docker-compose-v1.js';

export interface ContainerView {
  environment: Record<string, string>;
  /** Container path → host path, for secrets and bind mounts. */
  paths: Map<string, string>;
}

export function readAsComposeV2(dir: string, composeFile: string): ContainerView {
  const service = readComposeService({
    composeText: readFileSync(join(dir, composeFile), 'utf8'),
    projectEnv: readOptional(join(dir, '.env')),
    readEnvFile: (path) => readOptional(resolve(dir, path)),
  });
  if (!service) throw new Error(`no n8n service in ${composeFile}`);
  return { environment: service.environment, paths: new Map(service.mounts.map((m) => [m.target, resolve(dir, m.source)])) };
}

/**
 * docker-compose v1's own loader (the configuration `up` uses): env_file merged with environment, secrets
 * and bind mounts resolved to absolute host paths.
 */
export function readWithDockerComposeV1(dir: string, composeFile: string): ContainerView {
  const [config] = readComposeV1([{ dir, composeFiles: [composeFile] }]);
  const service = Object.entries(config?.services ?? {}).find(([name, s]) => name === 'n8n' || isN8nImage(s.image))?.[1];
  if (!config || !service) throw new Error(`docker-compose v1 finds no n8n service in ${composeFile}`);
  const environment = Object.fromEntries(Object.entries(service.environment ?? {}).filter((e): e is [string, string] => e[1] !== null));
  const paths = new Map<string, string>();
  for (const { source, target } of service.secrets ?? []) {
    const file = config.secrets[source]?.file;
    const inContainer = target ?? source;
    if (file) paths.set(inContainer.startsWith('/') ? inContainer : `/run/secrets/${inContainer}`, file);
  }
  for (const volume of service.volumes ?? []) {
    const [host, container] = 'external' in volume ? [volume.external, volume.internal] : [volume.source, volume.target];
    if (typeof host === 'string' && typeof container === 'string' && host.startsWith('/')) paths.set(container, host);
  }
  return { environment, paths };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
