/**
 * How Compose merges two definitions of the same thing — a later compose file over an earlier one, a
 * service over the one it extends, a file over what it includes — by compose-go's rules (override/merge.go,
 * override/uncity.go): mappings merge key by key, sequences append, scalars are replaced; `command`,
 * `entrypoint` and `healthcheck.test` are replaced whole; `environment`, `labels` and `env_file` keep one
 * entry per key (or path), the later one; `ports` one per mapping, `volumes` one per container path,
 * `secrets` and `configs` one per target. `!reset` removes what is below, `!override` replaces it.
 */
import { volumeMount } from './compose-values.js';

/** What `!reset` and `!override` become when a file is read (see load-compose-file.ts). */
export const RESET = '\u0000compose:reset';
export const OVERRIDE = '\u0000compose:override';

type Raw = Record<string, unknown>;
type Rule = 'replace' | 'keyValue' | 'envFile' | 'ports' | 'mount' | 'secret';

const SERVICE_RULES: Record<string, Rule> = {
  command: 'replace',
  entrypoint: 'replace',
  environment: 'keyValue',
  labels: 'keyValue',
  annotations: 'keyValue',
  sysctls: 'keyValue',
  env_file: 'envFile',
  ports: 'ports',
  volumes: 'mount',
  devices: 'mount',
  secrets: 'secret',
  configs: 'secret',
};

/** `over` merged onto `base` (neither is changed); `path` is where they stand (`['services', 'n8n']`). */
export function mergeCompose(base: unknown, over: unknown, path: readonly string[] = []): unknown {
  const overridden = overrideOf(over);
  if (overridden !== undefined) return clean(overridden.value);
  if (over === RESET) return undefined;
  if (base === undefined || base === null) return clean(over);
  if (over === undefined) return base;
  const rule = path.length === 3 && path[0] === 'services' ? SERVICE_RULES[path[2]!] : path.join('.').match(/^services\.[^.]+\.healthcheck\.test$/) ? 'replace' : undefined;
  if (rule === 'replace') return clean(over);
  if (rule) return unique([...sequenceOf(base, rule), ...sequenceOf(clean(over), rule)], rule);
  if (isMapping(base) && isMapping(over)) {
    const merged: Raw = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const next = mergeCompose(merged[key], value, [...path, key]);
      if (next === undefined) delete merged[key];
      else merged[key] = next;
    }
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...(clean(over) as unknown[])];
  if (path.length === 3 && path[2] === 'build' && (typeof base === 'string' || typeof over === 'string')) {
    return mergeCompose(typeof base === 'string' ? { context: base } : base, typeof over === 'string' ? { context: over } : over, path);
  }
  return clean(over);
}

/** A value as the first definition holds it: `!reset` entries dropped, `!override` unwrapped. */
export function clean(value: unknown): unknown {
  const overridden = overrideOf(value);
  if (overridden !== undefined) return clean(overridden.value);
  if (Array.isArray(value)) return value.filter((item) => item !== RESET).map(clean);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== RESET).map(([k, v]) => [k, clean(v)]));
  return value;
}

/** The value `!override` wraps, when `value` is one. */
export function overrideOf(value: unknown): { value: unknown } | undefined {
  return isMapping(value) && Object.hasOwn(value, OVERRIDE) ? { value: value[OVERRIDE] } : undefined;
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A field that merges as a sequence, in sequence form (`KEY: v` maps become `KEY=v` items). */
function sequenceOf(value: unknown, rule: Rule): unknown[] {
  if (Array.isArray(value)) return value;
  if (rule === 'keyValue' && isMapping(value)) return Object.entries(value).map(([key, v]) => (v === null || v === undefined ? key : `${key}=${String(v)}`));
  return value === undefined || value === null ? [] : [value];
}

/** One entry per key, the later one in the earlier one's place, as compose-go's EnforceUnicity keeps them. */
function unique(items: unknown[], rule: Rule): unknown[] {
  const kept: unknown[] = [];
  const at = new Map<string, number>();
  for (const item of items) {
    const key = indexOf(item, rule);
    const seen = key === undefined ? undefined : at.get(key);
    if (seen !== undefined) kept[seen] = item;
    else {
      if (key !== undefined) at.set(key, kept.length);
      kept.push(item);
    }
  }
  return kept;
}

function indexOf(item: unknown, rule: Rule): string | undefined {
  const field = (name: string) => (isMapping(item) && item[name] !== undefined ? String(item[name]) : undefined);
  switch (rule) {
    case 'keyValue':
      return typeof item === 'string' ? item.split('=')[0] : undefined;
    case 'envFile':
      return typeof item === 'string' ? item : field('path');
    case 'ports':
      return isMapping(item) ? `${field('host_ip') ?? '0.0.0.0'}:${field('published')}:${field('target')}/${field('protocol') ?? 'tcp'}` : String(item);
    case 'mount':
      return volumeMount(item)?.target;
    case 'secret':
      return isMapping(item) ? (field('target') ?? `/run/secrets/${field('source')}`) : `/run/secrets/${String(item)}`;
    default:
      return undefined;
  }
}
