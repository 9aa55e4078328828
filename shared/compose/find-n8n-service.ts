/**
 * Which service of an existing compose file is n8n, and whether its entries can be edited where they are.
 * The n8n service is the one service whose image is n8nio/n8n (merge keys resolved), else the service
 * named `n8n` when no image matches. Several matches, or none, are not guessed at.
 */
import { isAlias, isMap, isScalar, visit } from 'yaml';
import type { Document, Pair, YAMLMap } from 'yaml';
import type { ResolvedCompose } from './merge-context.js';
import { isN8nImage } from './n8n-service-entries.js';
import { findPair } from './yaml-text-editor.js';

export type N8nServiceLookup =
  | { kind: 'found'; name: string; node: YAMLMap; byImage: boolean }
  | { kind: 'unusable'; name: string; reason: string }
  | { kind: 'ambiguous'; names: string[] }
  | { kind: 'missing' };

/** The service name used when nothing in the file says otherwise (new files, overrides). */
export const N8N_SERVICE_NAME = 'n8n';

/**
 * Finds the n8n service. In an override file (which has no images of its own) it is the service named
 * `n8n`, or the only service.
 */
export function findN8nService(doc: Document, resolvedCompose: ResolvedCompose, options: { override: boolean }): N8nServiceLookup {
  const services = doc.get('services', true);
  if (!isMap(services)) return { kind: 'missing' };
  const resolved = resolvedCompose.services ?? {};
  const names = services.items.filter((pair) => isScalar(pair.key)).map((pair) => String((pair.key as { value: unknown }).value));
  let name: string | undefined;
  let byImage = false;
  if (options.override) {
    name = names.includes(N8N_SERVICE_NAME) ? N8N_SERVICE_NAME : names.length === 1 ? names[0] : undefined;
  } else {
    const matches = names.filter((candidate) => isN8nImage(resolved[candidate]?.image));
    if (matches.length > 1) return { kind: 'ambiguous', names: matches };
    byImage = matches.length === 1;
    name = matches[0] ?? (names.includes(N8N_SERVICE_NAME) ? N8N_SERVICE_NAME : undefined);
  }
  if (name === undefined) return { kind: 'missing' };
  const node = services.get(name, true);
  if (isAlias(node)) return { kind: 'unusable', name, reason: `service "${name}" is an alias of another node` };
  if (!isMap(node)) return { kind: 'unusable', name, reason: `service "${name}" is not a mapping` };
  return { kind: 'found', name, node, byImage };
}

/**
 * Why an entry of the service (`environment`, `volumes`…) cannot be changed where it stands, or undefined
 * when it can: it is an alias or an anchor other nodes refer to (a change would reach other services), or it
 * comes in through a `<<` merge key (writing it here would replace, not extend, what is merged in).
 */
export function sharedEntryReason(doc: Document, service: YAMLMap, field: string): string | undefined {
  const pair = findPair(service, field);
  if (!pair) {
    const inherited = service.items.some((item) => isMergePair(item) && mergedMaps(doc, item).some((map) => map.has(field)));
    return inherited ? `its ${field} comes from a << merge key` : undefined;
  }
  const value = pair.value;
  if (isAlias(value)) return `its ${field} is the alias *${value.source}`;
  const anchor = (value as { anchor?: string } | null)?.anchor;
  if (anchor && aliasCount(doc, anchor) > 0) return `its ${field} carries the anchor &${anchor}, which other entries use`;
  return undefined;
}

export function isMergePair(pair: Pair): boolean {
  return isScalar(pair.key) && (typeof pair.key.value === 'symbol' || pair.key.source === '<<');
}

/** The maps a `<<` pair merges in (`<<: *a` or `<<: [*a, *b]`). */
export function mergedMaps(doc: Document, pair: Pair): YAMLMap[] {
  const value = pair.value;
  const sources = isAlias(value) ? [value] : isMap(value) ? [value] : ((value as { items?: unknown[] } | null)?.items ?? []);
  return sources
    .map((source) => (isAlias(source) ? source.resolve(doc) : source))
    .filter((node): node is YAMLMap => isMap(node));
}

function aliasCount(doc: Document, anchor: string): number {
  let count = 0;
  visit(doc, {
    Alias(_key, alias) {
      if (alias.source === anchor) count++;
    },
  });
  return count;
}
