/**
 * Reads a compose project as Compose v2 and its platform run it (deployment.ts): the files Compose loads
 * (the compose file and its override, or COMPOSE_FILE; what they include and extend), every service merged
 * from its definitions, the role of each n8n process, the environment each container gets with the `.env`
 * variables it flows through and the file that sets each key, and the platform and proxy in front. Pure:
 * the caller hands in the files.
 */
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { selectComposeFiles, type ComposeEnv, type ComposeFileRole } from './compose-files.js';
import { listOf } from './compose-values.js';
import type { Deployment, DeploymentService } from './deployment.js';
import { detectPlatform } from './deployment-platform.js';
import { loadComposeProject, type ServiceDefinition } from './load-compose-project.js';
import { isOutsideFolder } from './project-paths.js';
import { serviceEnvironment } from './service-environment.js';
import { roleOf } from './service-roles.js';

export interface DeploymentFiles {
  /**
   * The compose file the caller names (project path and text). When it is the one Compose picks in its
   * folder (or COMPOSE_FILE lists it), the project is what Compose loads there; otherwise this file alone,
   * as with `docker compose -f`. Without it: what Compose loads in the folder.
   */
  compose?: { name: string; text: string };
  /** The project `.env`, which Compose reads for interpolation. */
  env?: string;
  /** Names of the files beside the compose file (platform markers such as Dokploy's template.toml). */
  siblings?: readonly string[];
  /** Reads a file of the project by its project path (project-paths.ts); undefined when missing. */
  readFile: (path: string) => string | undefined;
  /** COMPOSE_FILE and COMPOSE_PATH_SEPARATOR of the environment setup runs in: they win over the `.env`'s. */
  composeEnv?: ComposeEnv;
}

type Raw = Record<string, unknown>;

export function readDeployment(files: DeploymentFiles): Deployment {
  const projectEnv = lastValues(parseEnvFile(files.env ?? ''));
  const readFile = (path: string) => (path === '.env' && files.env !== undefined ? files.env : files.readFile(path));
  const project = loadComposeProject({ readFile, projectEnv }, composeFiles(files, projectEnv));
  const resolved = project.merged;
  const servicesNode = (resolved.services ?? {}) as Record<string, Raw>;

  const services: DeploymentService[] = Object.entries(servicesNode).map(([name, raw]) => readService(name, raw, project.definitions.get(name) ?? [], readFile));
  // No service says n8n by its image or settings: the one named n8n is taken for it (a custom build).
  const named = services.find((s) => s.name === 'n8n');
  if (named && !services.some((s) => s.role && s.role !== 'runner')) named.role = 'main';
  const { platform, proxy } = detectPlatform({ resolved, services, siblings: files.siblings ?? [], projectEnv, readFile: files.readFile });
  return { composeFile: project.files[0]?.path ?? files.compose?.name ?? '', files: project.files, services, platform, proxy, projectEnv, resolved };
}

/** The files to load: the caller's compose file within what Compose loads in its folder, or alone. */
function composeFiles(files: DeploymentFiles, projectEnv: ReadonlyMap<string, string>): Array<{ path: string; role: ComposeFileRole; text?: string }> {
  const named = files.compose;
  const exists = (path: string) => path === named?.name || files.readFile(path) !== undefined;
  const selected = selectComposeFiles(exists, projectEnv, files.composeEnv).files;
  if (named && !selected.some((file) => file.path === named.name)) return [{ path: named.name, role: 'compose', text: named.text }];
  return selected.map((file) => (file.path === named?.name ? { ...file, text: named.text } : file));
}

function readService(name: string, raw: Raw, definitions: ServiceDefinition[], readFile: (path: string) => string | undefined): DeploymentService {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const command = words(raw.command);
  const entrypoint = words(raw.entrypoint);
  const service: DeploymentService = {
    name,
    ...(image !== undefined && { image }),
    build: raw.build !== undefined,
    n8nImage: false,
    ...(command && { command }),
    ports: listOf(raw.ports).map(portText),
    ...serviceEnvironment(definitions, readFile),
    definitions,
  };
  const { role, n8nImage } = roleOf(service, entrypoint);
  return { ...service, n8nImage, ...(role && { role }) };
}

function words(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.map(String);
  return undefined;
}

function portText(port: unknown): string {
  if (port && typeof port === 'object') {
    const { published, target, host_ip: hostIp } = port as Raw;
    return [hostIp, published, target].filter((part) => part !== undefined && part !== null).join(':');
  }
  return String(port);
}

/**
 * The env files the project's services read, other than the project `.env`, as project paths; those outside
 * the folder are left out (they are not this project's files to change).
 */
export function envFilePaths(deployment: Deployment): string[] {
  const paths = deployment.services.flatMap((service) => service.envFiles.map((file) => file.at));
  return [...new Set(paths)].filter((path) => path !== '.env' && !isOutsideFolder(path));
}
