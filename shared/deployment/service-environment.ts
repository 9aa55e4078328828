/**
 * What a container gets, and where each key is set, from the definitions of its service (lowest precedence
 * first, load-compose-project.ts): every env_file in merged order (one per file, the later entry in the
 * earlier one's place), then `environment:` definition by definition, the later winning. A key listed
 * without a value (`- NAME`, `NAME:`) takes the value of the definition's variables (the project `.env`, or
 * an included project's), as Compose v2 does, or stays unset. `!reset` and `!override` remove or replace
 * what the definitions below set.
 */
import { splitListEntry } from '../compose/n8n-service-entries.js';
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { overrideOf, RESET } from './compose-merge.js';
import { listOf, referencedVariables } from './compose-values.js';
import type { DeploymentService, EnvironmentValue } from './deployment.js';
import type { ServiceDefinition } from './load-compose-project.js';
import { projectPath } from './project-paths.js';

type Raw = Record<string, unknown>;

export function serviceEnvironment(definitions: readonly ServiceDefinition[], readFile: (path: string) => string | undefined): Pick<DeploymentService, 'environment' | 'envFiles'> {
  const envFiles: Array<DeploymentService['envFiles'][number] & { definition: ServiceDefinition }> = [];
  for (const definition of definitions) {
    const overridden = overrideOf(definition.raw.env_file);
    if (definition.raw.env_file === RESET || overridden) envFiles.length = 0;
    for (const entry of listOf(overridden ? overridden.value : definition.raw.env_file)) {
      const file = envFileEntry(entry, definition);
      if (!file) continue;
      const same = envFiles.findIndex((f) => f.at === file.at);
      if (same >= 0) envFiles[same] = file;
      else envFiles.push(file);
    }
  }

  const result: Record<string, EnvironmentValue> = {};
  for (const file of envFiles) {
    const text = readFile(file.at);
    if (text === undefined) continue;
    const declaredIn = { file: file.definition.file, service: file.definition.service };
    for (const entry of parseEnvFile(text, (name) => file.definition.env.get(name)).entries) {
      if (entry.unset) continue;
      const spelled = text.slice(entry.valueStart, entry.valueEnd);
      result[entry.key] = { value: entry.value, spelled, from: { envFile: file.at }, declaredIn, variables: entry.separator === null ? [entry.key] : referencedVariables(spelled) };
    }
  }
  for (const definition of definitions) {
    const declaredIn = { file: definition.file, service: definition.service };
    const overridden = overrideOf(definition.raw.environment);
    if (definition.raw.environment === RESET || overridden) for (const key of Object.keys(result)) if ('environment' in result[key]!.from) delete result[key];
    for (const [key, spelled] of environmentEntries(overridden ? overridden.value : definition.raw.environment)) {
      if (spelled === RESET) {
        delete result[key];
        continue;
      }
      if (spelled === undefined) {
        const value = definition.env.get(key);
        if (value !== undefined) result[key] = { value, from: { environment: true }, declaredIn, variables: [key] };
        continue;
      }
      const variables: string[] = [];
      // A value Compose cannot interpolate makes Compose refuse the whole file: its InterpolationError says so.
      const value = interpolateLikeCompose(spelled, (name) => definition.env.get(name), (found) => variables.push(found));
      result[key] = { value, spelled, from: { environment: true }, declaredIn, variables: [...new Set(variables)] };
    }
  }
  return { environment: result, envFiles: envFiles.map(({ definition: _definition, ...file }) => file) };
}

function envFileEntry(entry: unknown, definition: ServiceDefinition): (DeploymentService['envFiles'][number] & { definition: ServiceDefinition }) | undefined {
  const path = typeof entry === 'string' ? entry : entry && typeof entry === 'object' && typeof (entry as Raw).path === 'string' ? ((entry as Raw).path as string) : undefined;
  if (path === undefined) return undefined;
  const required = typeof entry === 'string' || (entry as Raw).required !== false;
  return { path, required, at: projectPath(definition.dir, path), definition };
}

/** `environment:` as spelled, list or map form; undefined for a key without a value, RESET for `!reset`. */
function environmentEntries(value: unknown): Array<[string, string | undefined]> {
  if (Array.isArray(value)) return value.filter((line) => line !== RESET).map((line) => { const { key, spelled } = splitListEntry(String(line)); return [key, spelled]; });
  if (value && typeof value === 'object') return Object.entries(value as Raw).map(([key, v]) => [key, v === null || v === undefined ? undefined : String(v)]);
  return [];
}
