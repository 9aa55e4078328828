/**
 * Reads a compose project as Compose v2 and its platform run it (deployment.ts): every service with merge
 * keys resolved, the role of each n8n process, the environment each container gets with the `.env`
 * variables it flows through, and the platform and proxy in front. Pure: the caller hands in the files.
 */
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { parseComposeDocument, resolveComposeDocument } from '../compose/compose-document.js';
import { splitListEntry } from '../compose/n8n-service-entries.js';
import { listOf, referencedVariables } from './compose-values.js';
import type { Deployment, DeploymentService, EnvironmentValue } from './deployment.js';
import { detectPlatform } from './deployment-platform.js';
import { roleOf } from './service-roles.js';

export interface DeploymentFiles {
  compose: { name: string; text: string };
  /** The project `.env`, which Compose reads for interpolation. */
  env?: string;
  /** Names of the files beside the compose file (platform markers such as Dokploy's template.toml). */
  siblings?: readonly string[];
  /** Reads a file of the project by its path as written in the compose file; undefined when missing. */
  readFile: (path: string) => string | undefined;
}

type Raw = Record<string, unknown>;

export function readDeployment(files: DeploymentFiles): Deployment {
  const doc = parseComposeDocument(files.compose.text);
  if (doc.errors[0]) throw doc.errors[0];
  const resolved = (resolveComposeDocument(doc, files.compose.name) ?? {}) as Raw;
  const projectEnv = lastValues(parseEnvFile(files.env ?? ''));
  const servicesNode = (resolved.services ?? {}) as Record<string, Raw | null>;

  const services: DeploymentService[] = Object.entries(servicesNode).map(([name, raw]) => readService(name, raw ?? {}, projectEnv, files));
  // No service says n8n by its image or settings: the one named n8n is taken for it (a custom build).
  const named = services.find((s) => s.name === 'n8n');
  if (named && !services.some((s) => s.role && s.role !== 'runner')) named.role = 'main';
  const { platform, proxy } = detectPlatform({ resolved, services, siblings: files.siblings ?? [], projectEnv, readFile: files.readFile });
  return { composeFile: files.compose.name, services, platform, proxy, projectEnv };
}

function readService(name: string, raw: Raw, projectEnv: ReadonlyMap<string, string>, files: DeploymentFiles): DeploymentService {
  const image = typeof raw.image === 'string' ? raw.image : undefined;
  const command = words(raw.command);
  const entrypoint = words(raw.entrypoint);
  const envFiles = listOf(raw.env_file).flatMap((entry) => {
    if (typeof entry === 'string') return [{ path: entry, required: true }];
    if (entry && typeof entry === 'object' && typeof (entry as Raw).path === 'string') return [{ path: (entry as Raw).path as string, required: (entry as Raw).required !== false }];
    return [];
  });
  const environment = serviceEnvironment(raw.environment, envFiles, projectEnv, files.readFile);
  const service: DeploymentService = {
    name,
    ...(image !== undefined && { image }),
    build: raw.build !== undefined,
    n8nImage: false,
    ...(command && { command }),
    ports: listOf(raw.ports).map(portText),
    envFiles,
    environment,
  };
  const { role, n8nImage } = roleOf(service, entrypoint);
  return { ...service, n8nImage, ...(role && { role }) };
}

/**
 * What the container gets: each env_file in order, then `environment:` (which wins). A key listed without a
 * value (`- NAME`, `NAME:`) takes the project environment's value, as Compose v2 does, or stays unset.
 */
function serviceEnvironment(
  environment: unknown,
  envFiles: DeploymentService['envFiles'],
  projectEnv: ReadonlyMap<string, string>,
  readFile: DeploymentFiles['readFile'],
): Record<string, EnvironmentValue> {
  const lookup = (name: string) => projectEnv.get(name);
  const result: Record<string, EnvironmentValue> = {};
  for (const file of envFiles) {
    const text = readFile(file.path);
    if (text === undefined) continue;
    for (const entry of parseEnvFile(text, lookup).entries) {
      if (entry.unset) continue;
      const spelled = text.slice(entry.valueStart, entry.valueEnd);
      result[entry.key] = { value: entry.value, spelled, from: { envFile: file.path }, variables: entry.separator === null ? [entry.key] : referencedVariables(spelled) };
    }
  }
  for (const [key, spelled] of environmentEntries(environment)) {
    if (spelled === undefined) {
      const value = projectEnv.get(key);
      if (value !== undefined) result[key] = { value, from: { environment: true }, variables: [key] };
      continue;
    }
    const variables: string[] = [];
    // A value Compose cannot interpolate makes Compose refuse the whole file: its InterpolationError says so.
    const value = interpolateLikeCompose(spelled, lookup, (found) => variables.push(found));
    result[key] = { value, spelled, from: { environment: true }, variables: [...new Set(variables)] };
  }
  return result;
}

/** `environment:` as spelled, list or map form; undefined for a key without a value. */
function environmentEntries(value: unknown): Array<[string, string | undefined]> {
  if (Array.isArray(value)) return value.map((line) => { const { key, spelled } = splitListEntry(String(line)); return [key, spelled]; });
  if (value && typeof value === 'object') return Object.entries(value as Raw).map(([key, v]) => [key, v === null || v === undefined ? undefined : String(v)]);
  return [];
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
 * The env files a compose file's services read, other than the project `.env`, as relative paths without
 * `./` (those outside the folder are left out: they are not part of this project's files).
 */
export function envFilePaths(compose: { name: string; text: string }): string[] {
  const doc = parseComposeDocument(compose.text);
  if (doc.errors[0]) return [];
  const resolved = (resolveComposeDocument(doc, compose.name) ?? {}) as Raw;
  const paths = Object.values((resolved.services ?? {}) as Record<string, Raw | null>).flatMap((service) =>
    listOf(service?.env_file).flatMap((entry) => {
      const path = typeof entry === 'string' ? entry : typeof (entry as Raw | null)?.path === 'string' ? ((entry as Raw).path as string) : undefined;
      return path === undefined ? [] : [path.replace(/^\.\//, '')];
    }),
  );
  return [...new Set(paths)].filter((path) => path !== '.env' && !path.startsWith('/') && !path.split('/').includes('..'));
}

/** Where the proxy service of a compose project reads its configuration (Caddy's Caddyfile), as Compose resolves the path. */
export function proxyConfigFile(compose: { name: string; text: string }, env: string | undefined): string | undefined {
  try {
    return readDeployment({ compose, ...(env !== undefined && { env }), readFile: () => undefined }).proxy.configFile;
  } catch {
    return undefined;
  }
}
