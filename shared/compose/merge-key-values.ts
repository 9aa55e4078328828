/**
 * Brings the managed keys of a `KEY: value` collection of the n8n service (`environment:`, `labels:`) to the
 * wanted values, in map form or list form (`- KEY=VALUE`). Other keys keep their place, spelling and
 * comments; a managed key that is wanted keeps its spelling when Compose reads the same value from it.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Pair, YAMLMap, YAMLSeq } from 'yaml';
import { encodeComposeValue } from './encode-compose-value.js';
import { isMergePair, mergedMaps } from './find-n8n-service.js';
import type { MergeContext } from './merge-context.js';
import { keyValueMap, listEntry, literalString } from './n8n-service-entries.js';
import { findPair } from './yaml-text-editor.js';

type Plan = { remove: unknown[]; replace: Array<[unknown, string]>; add: string[] };

export function mergeKeyValues(
  ctx: MergeContext,
  service: YAMLMap,
  field: 'environment' | 'labels',
  wanted: ReadonlyMap<string, string>,
  managed: ReadonlySet<string>,
): void {
  const path = `services.${ctx.serviceName}.${field}`;
  const pair = findPair(service, field);
  const node = pair?.value;
  if (!pair || (isScalar(node) && node.value === null)) {
    if (wanted.size === 0) return;
    ctx.editor.setValue(service, field, keyValueMap(wanted));
    ctx.changedKeys.push(...[...wanted.keys()].map((key) => `${path}.${key}`));
    return;
  }
  if (!isMap(node) && !isSeq(node)) {
    ctx.warnings.push({ code: 'COMPOSE_ENTRY_UNREADABLE', message: `${path} is neither a map nor a list; it was left as it is. Set ${[...wanted.keys()].join(', ')} by hand.` });
    return;
  }
  const entries = isMap(node) ? mapEntries(node) : listEntries(node);
  const plan: Plan = { remove: [], replace: [], add: [] };
  const seen = new Set<string>();
  const changed = new Set<string>();
  for (const { item, key, value } of entries) {
    if (!managed.has(key) && !wanted.has(key)) continue;
    const want = wanted.get(key);
    const duplicate = seen.has(key);
    seen.add(key);
    if (want === undefined || duplicate) plan.remove.push(item);
    else if (value !== want) plan.replace.push([item, key]);
    else continue;
    changed.add(key);
  }
  plan.add = [...wanted.keys()].filter((key) => !seen.has(key));
  for (const key of [...changed, ...plan.add]) ctx.changedKeys.push(`${path}.${key}`);
  if (node.items.length === plan.remove.length && plan.add.length === 0) {
    ctx.editor.removePair(service, pair);
  } else if (isMap(node)) {
    applyToMap(ctx, node, plan, wanted);
  } else {
    applyToList(ctx, node, plan, wanted);
  }
  if (isMap(node)) warnAboutMergedKeys(ctx, node, managed, wanted, path);
}

type Entry = { item: unknown; key: string; value: string | undefined };

function mapEntries(map: YAMLMap): Entry[] {
  return map.items
    .filter((pair) => !isMergePair(pair) && isScalar(pair.key))
    .map((pair) => ({ item: pair, key: String((pair.key as { value: unknown }).value), value: literalString(pair.value) }));
}

function listEntries(seq: YAMLSeq): Entry[] {
  return seq.items.flatMap((item) => {
    const entry = listEntry(item);
    return entry ? [{ item, ...entry }] : [];
  });
}

function applyToMap(ctx: MergeContext, map: YAMLMap, plan: Plan, wanted: ReadonlyMap<string, string>): void {
  for (const item of plan.remove) ctx.editor.removePair(map, item as Pair);
  for (const [, key] of plan.replace) ctx.editor.setValue(map, key, encodeComposeValue(wanted.get(key)!));
  for (const key of plan.add) ctx.editor.setValue(map, key, encodeComposeValue(wanted.get(key)!));
}

function applyToList(ctx: MergeContext, seq: YAMLSeq, plan: Plan, wanted: ReadonlyMap<string, string>): void {
  const spelled = (key: string) => encodeComposeValue(`${key}=${wanted.get(key)!}`);
  for (const item of plan.remove) ctx.editor.removeItem(seq, item as never);
  for (const [item, key] of plan.replace) ctx.editor.replaceItem(seq, item as never, spelled(key));
  for (const key of plan.add) ctx.editor.addItem(seq, spelled(key));
}

/** Managed keys merged in with `<<` cannot be removed here (the anchor is shared): say so. */
function warnAboutMergedKeys(ctx: MergeContext, map: YAMLMap, managed: ReadonlySet<string>, wanted: ReadonlyMap<string, string>, path: string): void {
  for (const pair of map.items.filter(isMergePair)) {
    for (const merged of mergedMaps(ctx.doc, pair)) {
      for (const item of merged.items) {
        const key = isScalar(item.key) ? String(item.key.value) : '';
        if (managed.has(key) && !wanted.has(key) && !findPair(map, key)) {
          ctx.warnings.push({
            code: 'COMPOSE_MANAGED_KEY_IN_ANCHOR',
            message: `${path} merges ${key} in with <<; it is shared with other entries and was not removed. Remove it from the anchored block by hand if n8n should not see it.`,
          });
        }
      }
    }
  }
}
