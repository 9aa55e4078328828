/**
 * The top-level sections an n8n setup needs in an existing compose file: `secrets:` definitions this tool
 * owns (added, repointed, removed when no service uses them any more) and named `volumes:`.
 */
import { isMap, isScalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import { ownedSecretNames } from './compose-spec.js';
import { encodeComposeValue } from './encode-compose-value.js';
import type { MergeContext } from './merge-context.js';
import { literalString, secretDefinition, volumeDefinition } from './n8n-service-entries.js';
import { findPair } from './yaml-text-editor.js';

export function mergeSecretDefinitions(ctx: MergeContext): void {
  const root = ctx.doc.contents as YAMLMap;
  const section = findPair(root, 'secrets')?.value;
  const wanted = ctx.spec.secrets;
  if (!isMap(section)) {
    if (wanted.length === 0) return;
    if (section && !(isScalar(section) && section.value === null)) {
      ctx.warnings.push({ code: 'COMPOSE_ENTRY_UNREADABLE', message: 'The top-level secrets: section is not a map; add the n8n secrets by hand.' });
      return;
    }
    const definitions = new YAMLMap();
    for (const { name, file } of wanted) definitions.set(name, secretDefinition(file));
    ctx.editor.setValue(root, 'secrets', definitions, { blankLineBefore: true });
    ctx.changedKeys.push(...wanted.map(({ name }) => `secrets.${name}`));
    return;
  }
  for (const { name, file } of wanted) {
    const definition = section.get(name, true) as Node | undefined;
    const fileNode = isMap(definition) ? definition.get('file', true) : undefined;
    if (literalString(fileNode) === file) continue;
    if (isMap(definition) && findPair(definition, 'file') && !definition.flow) ctx.editor.setValue(definition, 'file', encodeComposeValue(file));
    else ctx.editor.setValue(section, name, secretDefinition(file));
    ctx.changedKeys.push(`secrets.${name}`);
  }
  const owned = ownedSecretNames(ctx.spec);
  const used = secretsUsedByOtherServices(ctx);
  const stale = section.items.filter((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    return owned.has(name) && !wanted.some((secret) => secret.name === name) && !used.has(name);
  });
  ctx.changedKeys.push(...stale.map((pair) => `secrets.${String((pair.key as { value: unknown }).value)}`));
  if (stale.length > 0 && stale.length === section.items.length && wanted.length === 0) {
    ctx.editor.removePair(root, findPair(root, 'secrets')!);
    return;
  }
  for (const pair of stale) ctx.editor.removePair(section, pair);
}

/** Adds the named volumes that are missing from the top-level `volumes:` section. */
export function ensureTopLevelVolumes(ctx: MergeContext, names: readonly string[]): void {
  const root = ctx.doc.contents as YAMLMap;
  const section = findPair(root, 'volumes')?.value;
  const missing = names.filter((name) => !(isMap(section) && section.has(name)));
  if (missing.length === 0) return;
  if (isMap(section)) {
    for (const name of missing) ctx.editor.setValue(section, name, volumeDefinition());
  } else {
    const volumes = new YAMLMap();
    for (const name of missing) volumes.set(name, volumeDefinition());
    ctx.editor.setValue(root, 'volumes', volumes, { blankLineBefore: !section });
  }
  ctx.changedKeys.push(...missing.map((name) => `volumes.${name}`));
}

function secretsUsedByOtherServices(ctx: MergeContext): Set<string> {
  const services = ctx.resolved.services ?? {};
  const used = new Set<string>();
  for (const [name, service] of Object.entries(services)) {
    if (name === ctx.serviceName || ctx.n8nServices?.includes(name) || !Array.isArray(service?.secrets)) continue;
    for (const entry of service.secrets) {
      const source: unknown = typeof entry === 'string' ? entry : (entry as { source?: unknown } | null)?.source;
      if (typeof source === 'string') used.add(source);
    }
  }
  return used;
}
