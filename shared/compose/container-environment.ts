/**
 * What a container receives from a compose project, read with Compose v2's rules: the service's `env_file:`
 * entries in order, then its `environment:` (interpolated from the project .env; a bare `KEY` takes the
 * project .env's value), plus the secrets and bind mounts that make container paths real. The service is
 * the one named, else the one `findN8nService` identifies, read with merge keys resolved; entries are read
 * with the merge's own readers.
 */
import { isMap } from 'yaml';
import type { Document } from 'yaml';
import { parseComposeDocument, resolveComposeDocument } from './compose-document.js';
import { mainService, type Deployment, type ProxyKind } from '../deployment/deployment.js';
import { readDeployment } from '../deployment/read-deployment.js';
import type { ComposeEnv } from '../deployment/compose-files.js';
import type { ComposeFileRead } from '../deployment/load-compose-project.js';
import type { ResolvedCompose } from './merge-context.js';
import { literalString, readMount, secretSource } from './n8n-service-entries.js';

export interface ComposeServiceView {
  serviceName: string;
  image?: string;
  environment: Record<string, string>;
  /** Container path → host path (relative to the project folder as written), for secrets and bind mounts. */
  mounts: Array<{ source: string; target: string }>;
  envFiles: string[];
  proxy: 'none' | 'caddy' | 'traefik' | 'external' | 'platform';
  /** The proxy's ACME (Let's Encrypt) email, where the files say it. */
  acmeEmail?: string;
  /** The compose files read, by path relative to the compose file's folder, in the order Compose loads them. */
  files: ComposeFileRead[];
  /** The whole project the service belongs to. */
  deployment: Deployment;
}

export interface ComposeProject {
  composeText: string;
  /** How the admin names the compose file, for errors. */
  fileName?: string;
  /** The project `.env` (used for interpolation), if any. */
  projectEnv?: string;
  /** Reads a file of the project (an env_file, an override, an included file) by its path relative to the compose file's folder (project-paths.ts); undefined when missing. */
  readEnvFile: (path: string) => string | undefined;
  /** COMPOSE_FILE and its separator from the environment (compose-files.ts). */
  composeEnv?: ComposeEnv;
  /** The service to read (a queue-mode worker, a database); by default the one service that is clearly n8n. */
  service?: string;
  /** Names of the files beside the compose file: a platform's marks (Dokploy's template.toml). */
  siblings?: readonly string[];
}

/** A host path as Compose spells a bind mount's source (else the source names a volume). */
const BIND_SOURCE = /^([./~]|[A-Za-z]:[\\/])/;

/**
 * A service as its container sees it: the deployment's main n8n service (deployment model), or the one named
 * in `project.service` (a worker, a database); undefined when there is no such service or no single main. Throws the YAML
 * parser's error when the file is not YAML, COMPOSE_TOO_MANY_ALIASES for an alias bomb.
 */
export function readComposeService(project: ComposeProject): ComposeServiceView | undefined {
  const doc = parseComposeDocument(project.composeText);
  if (doc.errors[0]) throw doc.errors[0];
  resolveComposeDocument(doc, project.fileName ?? 'The compose file');
  // The model names files relative to the compose file's folder, as Compose resolves them.
  const deployment = readDeployment({
    compose: { name: project.fileName?.split(/[\\/]/).pop() || 'compose.yaml', text: project.composeText },
    ...(project.projectEnv !== undefined && { env: project.projectEnv }),
    ...(project.siblings && { siblings: project.siblings }),
    readFile: (path) => (/^(\.\/)?\.env$/.test(path) && project.projectEnv !== undefined ? project.projectEnv : project.readEnvFile(path)),
    ...(project.composeEnv && { composeEnv: project.composeEnv }),
  });
  const resolved = deployment.resolved as ResolvedCompose & { secrets?: Record<string, { file?: unknown } | null> };
  const chosen = project.service === undefined ? mainService(deployment) : deployment.services.find((s) => s.name === project.service);
  const service = chosen && resolved.services?.[chosen.name];
  if (!chosen || !service || typeof service !== 'object') return undefined;
  const entries = (value: unknown) => listOf(value).map((entry) => doc.createNode(entry));

  return {
    serviceName: chosen.name,
    ...(chosen.image !== undefined && { image: chosen.image }),
    environment: Object.fromEntries(Object.entries(chosen.environment).map(([key, value]) => [key, value.value])),
    mounts: [...secretMounts(doc, entries(service.secrets), resolved.secrets ?? {}), ...bindMounts(entries(service.volumes))],
    envFiles: chosen.envFiles.map((file) => file.path),
    proxy: profileProxy(deployment.proxy.kind),
    ...(deployment.proxy.acmeEmail && { acmeEmail: deployment.proxy.acmeEmail }),
    files: deployment.files,
    deployment,
  };
}

/** The profile's word for what is in front: a tunnel is a proxy outside the file. */
function profileProxy(kind: ProxyKind): ComposeServiceView['proxy'] {
  return kind === 'cloudflare-tunnel' ? 'external' : kind;
}

/** Each secret with a file behind it, at `/run/secrets/<target>` unless its target is absolute. */
function secretMounts(doc: Document, secrets: unknown[], definitions: Record<string, { file?: unknown } | null>): ComposeServiceView['mounts'] {
  return secrets.flatMap((node) => {
    const name = secretSource(node);
    const file = name === undefined ? undefined : literalString(doc.createNode(definitions[name]?.file));
    const target = (isMap(node) ? literalString(node.get('target', true)) : undefined) ?? name;
    if (!file || !target) return [];
    return [{ source: file, target: target.startsWith('/') ? target : `/run/secrets/${target}` }];
  });
}

function bindMounts(volumes: unknown[]): ComposeServiceView['mounts'] {
  return volumes.flatMap((node) => {
    const mount = readMount(node);
    return mount?.source !== undefined && BIND_SOURCE.test(mount.source) ? [{ source: mount.source, target: mount.target }] : [];
  });
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

