/**
 * Which definition of a service export changes, when Compose builds the service from several (an override,
 * an extended service, an included file; load-compose-project.ts). A key is changed where it is set; a new
 * key goes where the service's settings live — the definition that wins and already has an `environment:`,
 * else the service in the top-level file that wins. A definition outside the folder is never written, nor
 * one that another service outside `targets` is built from (an extended base other services share): the key
 * is then set on a definition that wins over it.
 */
import type { Deployment, DeploymentService } from '../deployment/deployment.js';
import type { ServiceDefinition } from '../deployment/load-compose-project.js';
import { isOutsideFolder } from '../deployment/project-paths.js';

export interface DefinitionAt {
  file: string;
  service: string;
}

export interface Writability {
  deployment: Deployment;
  targets: readonly string[];
}

/** Why export must not write `definition`, or undefined when it may. */
export function notWritable(definition: DefinitionAt, { deployment, targets }: Writability): string | undefined {
  if (isOutsideFolder(definition.file)) return `${definition.file} is outside the folder, and export never writes there`;
  const others = deployment.services.filter((s) => !targets.includes(s.name) && s.definitions.some((d) => sameDefinition(d, definition)));
  if (others.length > 0) return `"${definition.service}" in ${definition.file} is also part of ${others.map((s) => `"${s.name}"`).join(', ')}`;
  return undefined;
}

/** Where `key` of `service`'s `environment:` is to be set: where it is set now, else the definition that wins. */
export function environmentHolder(service: DeploymentService, key: string, writability: Writability): DefinitionAt | { notInPlace: string } {
  const current = service.environment[key];
  const definitions = service.definitions;
  const setAt = current && 'environment' in current.from && current.declaredIn ? definitions.findIndex((d) => sameDefinition(d, current.declaredIn!)) : -1;
  if (setAt >= 0 && !notWritable(definitions[setAt]!, writability)) return at(definitions[setAt]!);
  // A definition above the one that sets the key wins over it; any one does over an env_file.
  const above = definitions.slice(setAt + 1).filter((d) => !notWritable(d, writability)).reverse();
  const topLevel = above.filter((d) => d.role !== 'include' && d.role !== 'extends');
  const chosen = topLevel.find((d) => d.raw.environment !== undefined) ?? topLevel[0] ?? above.find((d) => d.raw.environment !== undefined) ?? above[0];
  if (chosen) return at(chosen);
  const blocked = setAt >= 0 ? definitions[setAt]! : definitions.at(-1);
  return { notInPlace: blocked ? (notWritable(blocked, writability) ?? `no definition of "${service.name}" can be changed`) : `"${service.name}" has no definition to change` };
}

/** Every definition of `service` whose `environment:` lists `key` (all of them must lose it for it to be unset). */
export function definitionsSetting(service: DeploymentService, key: string): DefinitionAt[] {
  return service.definitions.filter((d) => environmentKeys(d.raw.environment).includes(key)).map(at);
}

/** The definition that carries the service's mounts and secrets: the top-level one that wins, in the project's folder. */
export function primaryDefinition(service: DeploymentService, writability: Writability, projectDir: string): DefinitionAt | undefined {
  const candidates = service.definitions.filter((d) => d.role !== 'include' && d.role !== 'extends' && d.dir === projectDir && !notWritable(d, writability));
  const chosen = candidates.at(-1);
  return chosen && at(chosen);
}

export function sameDefinition(a: DefinitionAt, b: DefinitionAt): boolean {
  return a.file === b.file && a.service === b.service;
}

function at(definition: ServiceDefinition): DefinitionAt {
  return { file: definition.file, service: definition.service };
}

function environmentKeys(environment: unknown): string[] {
  if (Array.isArray(environment)) return environment.map((line) => String(line).split('=')[0]!);
  if (environment && typeof environment === 'object') return Object.keys(environment);
  return [];
}
