/**
 * Reads an exported folder the way Docker Compose hands it to the n8n container. Two independent readers:
 * our Compose v2 reading (shared/compose/container-environment, on the golden-checked .env parser) and
 * docker-compose v1's own loader; the tests require both to agree.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseComposeDocument, resolveComposeDocument } from '../../shared/compose/compose-document.js';
import { readComposeService } from '../../shared/compose/container-environment.js';
import { isN8nImage } from '../../shared/compose/n8n-service-entries.js';
import { readComposeV1 } from '../support/docker-compose-v1.js';

export interface ContainerView {
  environment: Record<string, string>;
  /** Container path → host path, for secrets and bind mounts. */
  paths: Map<string, string>;
  /** The service's `command:` as a list (empty when it has none: the image's default). */
  command: string[];
  /** `image:` as written (variables not interpolated). */
  image?: string;
}

/** The n8n service, or the service named, as Compose v2 hands it to its container. */
export function readAsComposeV2(dir: string, composeFile: string, serviceName?: string): ContainerView {
  const composeText = readFileSync(join(dir, composeFile), 'utf8');
  const service = readComposeService({
    composeText,
    projectEnv: readOptional(join(dir, '.env')),
    readEnvFile: (path) => readOptional(resolve(dir, path)),
    ...(serviceName !== undefined && { service: serviceName }),
  });
  if (!service) throw new Error(`no ${serviceName ?? 'n8n'} service in ${composeFile}`);
  return {
    environment: service.environment,
    paths: new Map(service.mounts.map((m) => [m.target, resolve(dir, m.source)])),
    command: serviceCommand(composeText, service.serviceName),
    ...(service.image !== undefined && { image: service.image }),
  };
}

/** `command:` with merge keys resolved. */
function serviceCommand(composeText: string, serviceName: string): string[] {
  const resolved = resolveComposeDocument(parseComposeDocument(composeText), 'The compose file') as { services?: Record<string, { command?: unknown } | null> };
  return commandList(resolved.services?.[serviceName]?.command, serviceName);
}

/**
 * A command as a list. A string is split at white space, as Compose's shell-word split does for one without
 * quotes, escapes or variables; those are not needed here, and are refused rather than guessed.
 */
function commandList(command: unknown, serviceName: string): string[] {
  if (command === undefined || command === null) return [];
  if (Array.isArray(command)) return command.map(String);
  const text = String(command);
  if (/["'\\$]/.test(text)) throw new Error(`the command of ${serviceName} (${text}) needs shell-word splitting, which this reader does not do`);
  return text.split(/\s+/).filter(Boolean);
}

/**
 * docker-compose v1's own loader (the configuration `up` uses): env_file merged with environment, secrets
 * and bind mounts resolved to absolute host paths. The service named, else the one named n8n or on its image.
 */
export function readWithDockerComposeV1(dir: string, composeFile: string, wanted?: string): ContainerView {
  const [config] = readComposeV1([{ dir, composeFiles: [composeFile] }]);
  const [serviceName, service] = Object.entries(config?.services ?? {}).find(([name, s]) => (wanted === undefined ? name === 'n8n' || isN8nImage(s.image) : name === wanted)) ?? [];
  if (!config || !service || !serviceName) throw new Error(`docker-compose v1 finds no ${wanted ?? 'n8n'} service in ${composeFile}`);
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
  return { environment, paths, command: commandList(service.command, serviceName) };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
