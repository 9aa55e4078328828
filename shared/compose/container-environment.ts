/**
 * What the n8n container receives from a compose project, read with Compose v2's rules: the n8n service's
 * `env_file:` entries in order, then its `environment:` (interpolated from the project .env), plus the
 * secrets and bind mounts that make container paths real.
 */
import { parse as parseYaml } from 'yaml';
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';

export interface ComposeServiceView {
  serviceName: string;
  image?: string;
  environment: Record<string, string>;
  /** Container path → host path (relative to the project folder as written), for secrets and bind mounts. */
  mounts: Array<{ source: string; target: string }>;
  envFiles: string[];
  proxy: 'none' | 'caddy' | 'traefik' | 'external';
}

interface RawService {
  image?: unknown;
  env_file?: unknown;
  environment?: unknown;
  secrets?: unknown;
  volumes?: unknown;
  ports?: unknown;
  labels?: unknown;
}

export interface ComposeProject {
  composeText: string;
  /** The project `.env` (used for interpolation), if any. */
  projectEnv?: string;
  /** Reads an env_file by its path as written in the compose file; undefined when missing. */
  readEnvFile: (path: string) => string | undefined;
}

export function n8nServiceName(services: Record<string, RawService>): string | undefined {
  const byImage = Object.keys(services).filter((name) => String(services[name]?.image ?? '').includes('n8nio/n8n'));
  if (byImage.length === 1) return byImage[0];
  if (byImage.length === 0 && 'n8n' in services) return 'n8n';
  return undefined;
}

export function readComposeService(project: ComposeProject): ComposeServiceView | undefined {
  const doc = parseYaml(project.composeText) as { services?: Record<string, RawService>; secrets?: Record<string, { file?: string }> } | null;
  const services = doc?.services ?? {};
  const serviceName = n8nServiceName(services);
  const service = serviceName ? services[serviceName] : undefined;
  if (!serviceName || !service) return undefined;
  const projectValues = lastValues(parseEnvFile(project.projectEnv ?? ''));
  const lookup = (name: string) => projectValues.get(name);

  const environment: Record<string, string> = {};
  const envFiles = listOf(service.env_file).map((entry) => (typeof entry === 'string' ? entry : String((entry as { path?: unknown }).path ?? '')));
  for (const file of envFiles) {
    const text = project.readEnvFile(file);
    if (text !== undefined) Object.assign(environment, Object.fromEntries(lastValues(parseEnvFile(text, lookup))));
  }
  for (const [key, value] of environmentEntries(service.environment)) {
    // The YAML and .env share Compose's interpolation; a malformed value is Compose's own error.
    if (value !== undefined) environment[key] = interpolateLikeCompose(value, lookup);
  }

  const mounts: ComposeServiceView['mounts'] = [];
  for (const entry of listOf(service.secrets)) {
    const name = typeof entry === 'string' ? entry : String((entry as { source?: unknown }).source ?? '');
    const target = typeof entry === 'object' && entry && 'target' in entry ? String((entry as { target: unknown }).target) : name;
    const file = doc?.secrets?.[name]?.file;
    if (file) mounts.push({ source: file, target: target.startsWith('/') ? target : `/run/secrets/${target}` });
  }
  for (const volume of listOf(service.volumes)) {
    const [source, target] = typeof volume === 'string' ? volume.split(':') : [(volume as { source?: string }).source, (volume as { target?: string }).target];
    if (source && target && /^[./~]/.test(source)) mounts.push({ source, target });
  }

  return { serviceName, ...(typeof service.image === 'string' && { image: service.image }), environment, mounts, envFiles, proxy: proxyKind(services, service) };
}

function proxyKind(services: Record<string, RawService>, service: RawService): ComposeServiceView['proxy'] {
  const images = Object.values(services).map((s) => String(s.image ?? ''));
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

function environmentEntries(value: unknown): Array<[string, string | undefined]> {
  if (Array.isArray(value)) {
    return value.map((line) => {
      const text = String(line);
      const at = text.indexOf('=');
      return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]);
  }
  return [];
}
