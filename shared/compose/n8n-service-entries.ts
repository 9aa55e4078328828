/**
 * The entries of the n8n service, both ways: the YAML nodes this tool writes for the spec, and what an
 * existing entry means (its literal value, the mount it makes) so that a merge changes only what differs.
 * Every value that comes from the admin is written with `encodeComposeValue`.
 */
import { isMap, isScalar, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Node } from 'yaml';
import { decodeComposeValue, encodeComposeValue } from './encode-compose-value.js';

export type Mount = { source: string; target: string; readOnly: boolean };

const N8N_IMAGE = /(^|\/)n8nio\/n8n(:|@|$)/;

export function isN8nImage(image: unknown): boolean {
  return typeof image === 'string' && N8N_IMAGE.test(image);
}

export function sequenceOf(items: unknown[]): YAMLSeq {
  const seq = new YAMLSeq();
  seq.items.push(...items);
  return seq;
}

/** A top-level named volume with Docker's defaults: `name: {}`. */
export function volumeDefinition(): YAMLMap {
  const map = new YAMLMap();
  map.flow = true;
  return map;
}

/** A map with plain keys and encoded values: `environment:` and `labels:` in map form. */
export function keyValueMap(entries: Iterable<[string, string]>): YAMLMap {
  const map = new YAMLMap();
  for (const [key, value] of entries) map.items.push(new Pair(new Scalar(key), encodeComposeValue(value)));
  return map;
}

/** A bind mount, short syntax (`./templates:/opt/n8n-templates:ro`); long syntax when a path holds `:`. */
export function mountEntry(mount: Mount): Node {
  if (!mount.source.includes(':') && !mount.target.includes(':')) {
    return encodeComposeValue(`${mount.source}:${mount.target}${mount.readOnly ? ':ro' : ''}`);
  }
  const long = keyValueMap([
    ['type', 'bind'],
    ['source', mount.source],
    ['target', mount.target],
  ]);
  if (mount.readOnly) long.items.push(new Pair(new Scalar('read_only'), new Scalar(true)));
  return long;
}

/** A top-level secret definition: `{ file: ./secrets/n8n_smtp_pass }`. */
export function secretDefinition(file: string): YAMLMap {
  return keyValueMap([['file', file]]);
}

/**
 * The literal string Compose reads from a scalar entry, or `undefined` when it is not a literal (an
 * interpolation such as `${N8N_HOST}`, a null, a collection). Numbers and booleans count as their source text.
 */
export function literalString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return decodeComposeValue(node.value);
  if (typeof node.value === 'number' || typeof node.value === 'boolean') return node.source ?? String(node.value);
  return undefined;
}

/** The mount a `volumes:` entry makes, in short or long syntax; `undefined` when it cannot be read. */
export function readMount(node: unknown): Partial<Mount> & { target: string } | undefined {
  if (isMap(node)) {
    const target = literalString(node.get('target', true));
    if (target === undefined) return undefined;
    const source = literalString(node.get('source', true));
    const flag = node.get('read_only', true);
    const readOnly = isScalar(flag) && (flag.value === true || flag.value === 'true');
    return { ...(source !== undefined && { source }), target, readOnly };
  }
  const spelled = literalString(node);
  if (spelled === undefined) return undefined;
  // A Windows drive letter (C:\…) belongs to the source.
  const drive = /^[A-Za-z]:[\\/]/.test(spelled) ? spelled.slice(0, 2) : '';
  const parts = spelled.slice(drive.length).split(':');
  if (parts.length === 1) return { target: drive + parts[0] };
  const [source, target, mode = ''] = parts;
  return { source: drive + source, target: target ?? '', readOnly: mode.split(',').includes('ro') };
}

export function sameMount(existing: Partial<Mount>, wanted: Mount): boolean {
  return existing.source === wanted.source && existing.target === wanted.target && existing.readOnly === wanted.readOnly;
}

/** The secret a service `secrets:` entry refers to: `name` or `{ source: name, … }`. */
export function secretSource(node: unknown): string | undefined {
  return isMap(node) ? literalString(node.get('source', true)) : literalString(node);
}

/** The key and literal value of a list-form entry (`- KEY=VALUE`, `- KEY`); value undefined when not literal. */
export function listEntry(node: unknown): { key: string; value: string | undefined } | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const { key, spelled } = splitListEntry(node.value);
  return { key, value: spelled === undefined ? undefined : decodeComposeValue(spelled) };
}

/** A list-form entry split at its first `=`, the value as spelled (before interpolation); none for `KEY` alone. */
export function splitListEntry(text: string): { key: string; spelled: string | undefined } {
  const equals = text.indexOf('=');
  return equals === -1 ? { key: text, spelled: undefined } : { key: text.slice(0, equals), spelled: text.slice(equals + 1) };
}
