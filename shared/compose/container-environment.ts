/**
 * What a container receives from a compose project, read with Compose v2's rules: the service's `env_file:`
 * entries in order, then its `environment:` (interpolated from the project .env; a bare `KEY` takes the
 * project .env's value), plus the secrets and bind mounts that make container paths real. The service is
 * the one named, else the one `findN8nService` identifies, read with merge keys resolved; entries are read
 * with the merge's own readers.
 */
import { isMap } from 'yaml';
import type { Document } from 'yaml';
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { parseComposeDocument, resolveComposeDocument } from './compose-document.js';
import { findN8nService } from './find-n8n-service.js';
import type { ResolvedCompose, ResolvedService } from './merge-context.js';
import { literalString, readMount, secretSource, splitListEntry } from './n8n-service-entries.js';

export interface ComposeServiceView {
  serviceName: string;
  image?: string;
  environment: Record<string, string>;
  /** Container path → host path (relative to the project folder as written), for secrets and bind mounts. */
  mounts: Array<{ source: string; target: string }>;
  envFiles: string[];
  proxy: 'none' | 'caddy' | 'traefik' | 'external';
}

export interface ComposeProject {
  composeText: string;
  /** How the admin names the compose file, for errors. */
  fileName?: string;
  /** The project `.env` (used for interpolation), if any. */
  projectEnv?: string;
  /** Reads an env_file by its path as written in the compose file; undefined when missing. */
  readEnvFile: (path: string) => string | undefined;
  /** The service to read (a queue-mode worker, a database); by default the one service that is clearly n8n. */
  service?: string;
}

type Service = NonNullable<ResolvedService> & { env_file?: unknown };

/** A host path as Compose spells a bind mount's source (else the source names a volume). */
const BIND_SOURCE = /^([./~]|[A-Za-z]:[\\/])/;

/**
 * The service as its container sees it, or undefined when it does not exist or, unnamed, when no service is
 * clearly n8n (none, or several run its image). Throws the YAML parser's error when the file is not YAML, COMPOSE_TOO_MANY_ALIASES for an
 * alias bomb.
 */
export function readComposeService(project: ComposeProject): ComposeServiceView | undefined {
  const doc = parseComposeDocument(project.composeText);
  if (doc.errors[0]) throw doc.errors[0];
  const resolved = (resolveComposeDocument(doc, project.fileName ?? 'The compose file') ?? {}) as ResolvedCompose & { secrets?: Record<string, { file?: unknown } | null> };
  const serviceName = project.service ?? n8nServiceName(doc, resolved);
  const service = serviceName === undefined ? undefined : resolved.services?.[serviceName];
  if (serviceName === undefined || !service || typeof service !== 'object') return undefined;

  const projectValues = lastValues(parseEnvFile(project.projectEnv ?? ''));
  const variable = (name: string) => projectValues.get(name);
  const entries = (value: unknown) => listOf(value).map((entry) => doc.createNode(entry));

  const environment: Record<string, string> = {};
  const envFiles = entries((service as Service).env_file).flatMap((node) => literalString(isMap(node) ? node.get('path', true) : node) ?? []);
  for (const file of envFiles) {
    const text = project.readEnvFile(file);
    if (text !== undefined) Object.assign(environment, Object.fromEntries(lastValues(parseEnvFile(text, variable))));
  }
  for (const [key, value] of environmentEntries(service.environment)) {
    // The YAML and .env share Compose's interpolation; a malformed value is Compose's own error.
    if (value !== undefined) environment[key] = interpolateLikeCompose(value, variable);
    // `- KEY` alone passes Compose's own value on: the shell's (not part of the project), else the .env's.
    else if (projectValues.has(key)) environment[key] = projectValues.get(key) ?? '';
  }

  return {
    serviceName,
    ...(typeof service.image === 'string' && { image: service.image }),
    environment,
    mounts: [...secretMounts(doc, entries(service.secrets), resolved.secrets ?? {}), ...bindMounts(entries(service.volumes))],
    envFiles,
    proxy: proxyKind(resolved, service),
  };
}

function n8nServiceName(doc: Document, resolved: ResolvedCompose): string | undefined {
  const lookup = findN8nService(doc, resolved, { override: false });
  // An aliased service cannot be edited in place, but it reads like any other.
  return lookup.kind === 'found' || lookup.kind === 'unusable' ? lookup.name : undefined;
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

function proxyKind(resolved: ResolvedCompose, service: Service): ComposeServiceView['proxy'] {
  const images = Object.values(resolved.services ?? {}).map((s) => String(s?.image ?? ''));
  if (images.some((i) => /(^|\/)traefik(:|$)/.test(i))) return 'traefik';
  if (images.some((i) => /(^|\/)caddy(:|$)/.test(i))) return 'caddy';
  const ports = listOf(service.ports).map(String);
  if (ports.some((p) => p.startsWith('127.0.0.1:') || p.startsWith('[::1]:'))) return 'external';
  return 'none';
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** `environment:` as spelled, before interpolation: undefined for a key without a value (`- KEY`, `KEY:`). */
function environmentEntries(value: unknown): Array<[string, string | undefined]> {
  if (Array.isArray(value)) {
    return value.map((line) => {
      const { key, spelled } = splitListEntry(String(line));
      return [key, spelled];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]);
  }
  return [];
}
