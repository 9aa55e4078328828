/**
 * Reads an exported folder the way Docker Compose hands it to the n8n container. Two independent readers:
 * our Compose v2 reading (shared/compose/container-environment, on the golden-checked .env parser) and
 * docker-compose v1's own `config`; the tests require both to agree.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readComposeService } from '../../shared/compose/container-environment.js';

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
 * and bind mounts resolved. Its `config` printout would double every `$` and cannot print NEL.
 */
export function readWithDockerComposeV1(dir: string, composeFile: string): ContainerView {
  const script = [
    'import json, os, sys',
    'from compose.cli.command import get_config_from_options',
    'os.chdir(sys.argv[1])',
    "config = get_config_from_options('.', {'--file': [sys.argv[2]]})",
    "service = next(s for s in config.services if s['name'] == 'n8n' or 'n8nio/n8n' in s.get('image', ''))",
    "secrets = {s.target or s.source: config.secrets[s.source]['file'] for s in service.get('secrets', [])}",
    "mounts = {v.internal: v.external for v in service.get('volumes', []) if v.external.startswith('/')}",
    "print(json.dumps({'environment': service.get('environment', {}), 'secrets': secrets, 'mounts': mounts}))",
  ].join('\n');
  const output = execFileSync('/usr/bin/python3', ['-c', script, dir, composeFile], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const loaded = JSON.parse(output) as { environment: Record<string, string | null>; secrets: Record<string, string>; mounts: Record<string, string> };
  const environment = Object.fromEntries(Object.entries(loaded.environment).filter((e): e is [string, string] => e[1] !== null));
  const paths = new Map<string, string>([
    ...Object.entries(loaded.secrets).map(([target, file]): [string, string] => [target.startsWith('/') ? target : `/run/secrets/${target}`, file]),
    ...Object.entries(loaded.mounts),
  ]);
  return { environment, paths };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
