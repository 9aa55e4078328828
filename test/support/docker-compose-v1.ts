/**
 * Debian's docker-compose v1 as an independent reader of the files we write (no Docker daemon needed):
 * - `readComposeV1`: v1's own loader, the configuration `up` and `config` both start from
 *   (compose.cli.command.get_config_from_options): YAML parsed, env_file merged into environment,
 *   interpolated (`$$` already `$`), paths made absolute. Exact values: what the container gets.
 * - `printComposeV1Config`: the CLI, `docker-compose -f … config`, which validates and prints the merged
 *   configuration (v1 has no JSON output). It prints every literal `$` as `$$` (`undoubleDollars`) and cannot
 *   print NEL (`printsExactly`), so values are compared exactly only through the loader.
 * `dockerComposeServices` and `dockerComposeConfig` do the same on files written to a throwaway folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';
import { debianPythonJson, runDebianProgram } from './debian-python.js';

export interface ComposeV1Service {
  image?: string;
  environment?: Record<string, string | null>;
  labels?: Record<string, string>;
  /** Loader: `{ source, target, … }` per secret. */
  secrets?: Array<{ source: string; target: string | null }>;
  /** Loader: `{ external, internal, mode }` for the short syntax (bind sources absolute), `{ type, source, target, … }` for the long one. */
  volumes?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface ComposeV1Config {
  services: Record<string, ComposeV1Service>;
  /** Top-level secrets; `file` made absolute. */
  secrets: Record<string, { file?: string }>;
}

/** What `docker-compose config` prints, as PyYAML reads it back. */
export interface PrintedComposeV1Config {
  services: Record<string, ComposeV1Service>;
  [key: string]: unknown;
}

/** A project folder and the compose files to load from it, in `-f` order. */
export interface ComposeV1Project {
  dir: string;
  composeFiles: readonly string[];
}

// v1 holds volumes and secrets as namedtuple-like objects, which json.dumps would write as bare arrays.
const LOAD_SCRIPT = `import json, os, sys
from compose.cli.command import get_config_from_options
def plain(value):
    if hasattr(value, '_fields'):
        return {field: plain(getattr(value, field)) for field in value._fields}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value
def load(project):
    os.chdir(project['dir'])
    config = get_config_from_options('.', {'--file': project['composeFiles']})
    return {'services': {s.pop('name'): plain(s) for s in config.services}, 'secrets': plain(config.secrets or {})}
print(json.dumps([load(project) for project in json.load(sys.stdin)], default=str))`;

/** v1's loader over several project folders in one Python process (v1 is slow to start). */
export function readComposeV1(projects: readonly ComposeV1Project[]): ComposeV1Config[] {
  const input = JSON.stringify(projects.map((project) => ({ dir: resolve(project.dir), composeFiles: project.composeFiles })));
  return debianPythonJson(LOAD_SCRIPT, { input }) as ComposeV1Config[];
}

/** `docker-compose -f <composeFiles…> config`, parsed by PyYAML (which printed it). */
export function printComposeV1Config(project: ComposeV1Project): PrintedComposeV1Config {
  const args = [...project.composeFiles.flatMap((file) => ['-f', file]), 'config'];
  const printed = runDebianProgram(testProgram('docker-compose'), args, { cwd: project.dir });
  return debianPythonJson('import json, sys, yaml\nprint(json.dumps(yaml.safe_load(sys.stdin)))', { input: printed }) as PrintedComposeV1Config;
}

/**
 * Whether `printComposeV1Config` shows `value` as the loader holds it (after `undoubleDollars`). Its printer,
 * PyYAML, writes NEL inside a quoted scalar as a raw line break, and YAML 1.1 (PyYAML reading it back) folds
 * that into a space; LS and PS come through. Only the printout loses NEL, not the container.
 */
export function printsExactly(value: string): boolean {
  return !value.includes('\u0085');
}

/** A value from `printComposeV1Config` as the loader holds it. */
export function undoubleDollars(printed: string): string {
  return printed.replaceAll('$$', '$');
}

/** `readComposeV1` on `files` (an empty `.env` and `Caddyfile` are added) in a throwaway folder: the services. */
export function dockerComposeServices(files: Record<string, string>, composeFiles: readonly string[]): Record<string, ComposeV1Service> {
  return inThrowawayProject(files, (dir) => readComposeV1([{ dir, composeFiles }])[0]!.services);
}

/** `printComposeV1Config` on `files` (an empty `.env` and `Caddyfile` are added) in a throwaway folder. */
export function dockerComposeConfig(files: Record<string, string>, composeFiles: readonly string[]): PrintedComposeV1Config {
  return inThrowawayProject(files, (dir) => printComposeV1Config({ dir, composeFiles }));
}

function inThrowawayProject<T>(files: Record<string, string>, read: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-compose-'));
  try {
    for (const [path, text] of Object.entries({ '.env': '', Caddyfile: '', ...files })) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return read(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
