/**
 * Where a service's entry really lives: its own `environment:` (or `volumes:`, `secrets:`), or the anchored
 * map it merges in with `<<` (the first one that has the entry, as YAML merge keys resolve). Editing the
 * holder changes every service that reads it, so callers check who shares it.
 */
import { isMap } from 'yaml';
import type { Document, YAMLMap } from 'yaml';
import { isMergePair, mergedMaps } from './find-n8n-service.js';
import { findPair } from './yaml-text-editor.js';

export interface FieldHolder {
  /** The map holding the entry; the service's own map when nobody holds it yet. */
  map: YAMLMap;
  /** The entry comes from a `<<` merge (an anchor other services may merge too). */
  inherited: boolean;
}

export function serviceMap(doc: Document, serviceName: string): YAMLMap | undefined {
  const services = doc.get('services', true);
  const node = isMap(services) ? services.get(serviceName, true) : undefined;
  return isMap(node) ? (node as YAMLMap) : undefined;
}

export function fieldHolder(doc: Document, service: YAMLMap, field: string): FieldHolder {
  if (findPair(service, field)) return { map: service, inherited: false };
  for (const pair of service.items.filter(isMergePair)) {
    const holder = mergedMaps(doc, pair).find((map) => findPair(map, field));
    if (holder) return { map: holder, inherited: true };
  }
  return { map: service, inherited: false };
}

/** The services whose `field` is held by `holder` (for an anchored map, every service merging it). */
export function servicesSharing(doc: Document, holder: YAMLMap, field: string): string[] {
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  return services.items.flatMap((pair) => {
    const name = String((pair.key as { value?: unknown } | null)?.value ?? '');
    const map = isMap(pair.value) ? (pair.value as YAMLMap) : undefined;
    return map && fieldHolder(doc, map, field).map === holder ? [name] : [];
  });
}
