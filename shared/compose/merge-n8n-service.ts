/**
 * Brings the entries of an existing n8n service that this tool manages to the spec: `image` (when it is
 * n8n's own image), `env_file`, the managed keys of `environment`, its own bind mounts (by target path) and
 * secrets, and `ports` only when the service publishes none. Everything else stays as it is.
 */
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { ownedSecretNames } from './compose-spec.js';
import { composeImageNode, encodeComposeValue } from './encode-compose-value.js';
import type { MergeContext } from './merge-context.js';
import { mergeKeyValues } from './merge-key-values.js';
import { literalString, mountEntry, readMount, sameMount, secretSource, sequenceOf } from './n8n-service-entries.js';
import type { Mount } from './n8n-service-entries.js';
import { portWarnings } from './published-ports.js';
import { findPair } from './yaml-text-editor.js';

/** Container paths whose bind mounts belong to this tool (templates and CA certificates). */
const OWNED_MOUNT_DIRS = [CONTAINER.templatesDir, CONTAINER.certificatesDir];

export function mergeN8nService(ctx: MergeContext, service: YAMLMap, byImage: boolean): void {
  const { spec } = ctx;
  if (!ctx.override) mergeImage(ctx, service, byImage);
  mergeEnvFile(ctx, service);
  const wanted = new Map(Object.entries(spec.environment));
  mergeKeyValues(ctx, service, 'environment', wanted, new Set([...spec.managedEnvironment, ...wanted.keys()]));
  if (!ctx.override) mergePorts(ctx, service);
  mergeMounts(ctx, service);
  mergeSecretRefs(ctx, service);
}

function path(ctx: MergeContext, field: string): string {
  return `services.${ctx.serviceName}.${field}`;
}

function mergeImage(ctx: MergeContext, service: YAMLMap, byImage: boolean): void {
  const current = findPair(service, 'image');
  if (current && !byImage) {
    ctx.warnings.push({
      code: 'COMPOSE_CUSTOM_IMAGE',
      message: `${path(ctx, 'image')} is not n8n's own image; it was left as it is (wanted: ${ctx.spec.image}).`,
    });
    return;
  }
  if (!current && service.has('build')) return;
  const spelled = isScalar(current?.value) ? String(current.value.value) : undefined;
  if (spelled === ctx.spec.image || literalString(current?.value) === ctx.spec.image) return;
  ctx.editor.setValue(service, 'image', composeImageNode(ctx.spec.image));
  ctx.changedKeys.push(path(ctx, 'image'));
}

function mergeEnvFile(ctx: MergeContext, service: YAMLMap): void {
  const wanted = ctx.spec.envFile;
  const plain = (file: string | undefined) => file?.replace(/^\.\//, '');
  const isWanted = (node: unknown) => plain(literalString(isMap(node) ? node.get('path', true) : node)) === plain(wanted);
  const current = findPair(service, 'env_file')?.value;
  if (isSeq(current)) {
    if (current.items.some(isWanted)) return;
    ctx.editor.addItem(current, encodeComposeValue(wanted));
  } else if (isScalar(current) && current.value !== null) {
    if (isWanted(current)) return;
    // Later files win: the managed file goes last.
    ctx.editor.setValue(service, 'env_file', sequenceOf([current, encodeComposeValue(wanted)]));
  } else {
    ctx.editor.setValue(service, 'env_file', sequenceOf([encodeComposeValue(wanted)]));
  }
  ctx.changedKeys.push(path(ctx, 'env_file'));
}

function mergePorts(ctx: MergeContext, service: YAMLMap): void {
  const current = findPair(service, 'ports')?.value;
  const hasPorts = isSeq(current) && current.items.length > 0;
  if (!hasPorts && ctx.spec.ports.length > 0) {
    ctx.editor.setValue(service, 'ports', sequenceOf(ctx.spec.ports.map((port) => encodeComposeValue(port))));
    ctx.changedKeys.push(path(ctx, 'ports'));
  }
  const effective = hasPorts ? (current as YAMLSeq).toJSON() : ctx.spec.ports;
  ctx.warnings.push(...portWarnings(effective, ctx.spec.proxy, ctx.serviceName));
}

export function mergeMounts(ctx: MergeContext, service: YAMLMap): void {
  const owned = (target: string) => OWNED_MOUNT_DIRS.some((dir) => target === dir || target.startsWith(`${dir}/`));
  mergeSequence(ctx, service, 'volumes', {
    wanted: ctx.spec.mounts,
    identify: (node) => readMount(node)?.target,
    idOf: (mount: Mount) => mount.target,
    isCurrent: (node, mount) => {
      const current = readMount(node);
      return current !== undefined && sameMount(current, mount);
    },
    owned,
    entry: mountEntry,
  });
}

export function mergeSecretRefs(ctx: MergeContext, service: YAMLMap): void {
  const owned = ownedSecretNames(ctx.spec);
  mergeSequence(ctx, service, 'secrets', {
    wanted: ctx.spec.secrets.map((secret) => secret.name),
    identify: secretSource,
    idOf: (name: string) => name,
    isCurrent: () => true,
    owned: (name) => owned.has(name),
    entry: (name) => new Scalar(name),
  });
}

interface SequenceRules<T> {
  wanted: readonly T[];
  /** The id of an existing entry (a mount's target, a secret's name), undefined when unreadable. */
  identify: (node: unknown) => string | undefined;
  idOf: (wanted: T) => string;
  isCurrent: (node: unknown, wanted: T) => boolean;
  /** Entries this tool may remove when the spec no longer wants them. */
  owned: (id: string) => boolean;
  entry: (wanted: T) => Node;
}

/** Adds, replaces and removes the entries of a list whose items are identified by an id. */
function mergeSequence<T>(ctx: MergeContext, service: YAMLMap, field: string, rules: SequenceRules<T>): void {
  const pair = findPair(service, field);
  const current = pair?.value;
  const byId = new Map(rules.wanted.map((item) => [rules.idOf(item), item]));
  if (!isSeq(current)) {
    if (current && !(isScalar(current) && current.value === null)) {
      ctx.warnings.push({ code: 'COMPOSE_ENTRY_UNREADABLE', message: `${path(ctx, field)} is not a list; it was left as it is.` });
    } else if (byId.size > 0) {
      ctx.editor.setValue(service, field, sequenceOf(rules.wanted.map(rules.entry)));
      ctx.changedKeys.push(...[...byId.keys()].map((id) => `${path(ctx, field)}.${id}`));
    }
    return;
  }
  const seen = new Set<string>();
  const remove: Node[] = [];
  const replace: Array<[Node, T]> = [];
  const changed = (id: string) => ctx.changedKeys.push(`${path(ctx, field)}.${id}`);
  for (const node of current.items as Node[]) {
    const id = rules.identify(node);
    if (id === undefined) continue;
    const wanted = byId.get(id);
    if (wanted === undefined) {
      if (rules.owned(id)) remove.push(node);
    } else if (seen.has(id)) {
      remove.push(node);
    } else if (!rules.isCurrent(node, wanted)) {
      replace.push([node, wanted]);
    }
    if (remove.at(-1) === node || replace.at(-1)?.[0] === node) changed(id);
    seen.add(id);
  }
  const add = rules.wanted.filter((item) => !seen.has(rules.idOf(item)));
  for (const item of add) changed(rules.idOf(item));
  if (remove.length === current.items.length && add.length === 0) {
    if (remove.length > 0) ctx.editor.removePair(service, pair!);
    return;
  }
  for (const node of remove) ctx.editor.removeItem(current, node);
  for (const [node, wanted] of replace) ctx.editor.replaceItem(current, node, rules.entry(wanted));
  for (const item of add) ctx.editor.addItem(current, rules.entry(item));
}
