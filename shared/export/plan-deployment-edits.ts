/**
 * An existing deployment brought to the profile with the fewest edits (deployment-placement.ts says where
 * each value goes): keys of env files changed in place, `environment:` entries of the n8n services (or of
 * the anchor they share) set, passed on or removed, their template and CA mounts and secret files. Then the
 * result is read back as Compose would: every n8n service must read exactly the wanted values, and every
 * other service and every other key exactly what it read before; anything else stops the export.
 */
import { isMap, isSeq, Scalar, YAMLMap } from 'yaml';
import type { Pair, YAMLSeq } from 'yaml';
import { SetupError, type Warning } from '../errors.js';
import { detectLayout, parseComposeDocument, resolveComposeDocument } from '../compose/compose-document.js';
import type { N8nServiceSpec } from '../compose/compose-spec.js';
import { encodeComposeValue } from '../compose/encode-compose-value.js';
import type { MergeContext, ResolvedCompose } from '../compose/merge-context.js';
import { mergeMounts, mergeSecretRefs } from '../compose/merge-n8n-service.js';
import { mergeSecretDefinitions } from '../compose/merge-top-level.js';
import { listEntry } from '../compose/n8n-service-entries.js';
import { fieldHolder, serviceMap, servicesSharing } from '../compose/service-field-holder.js';
import { findPair, YamlTextEditor } from '../compose/yaml-text-editor.js';
import { isPlatformPlaceholder, type Deployment } from '../deployment/deployment.js';
import { readDeployment } from '../deployment/read-deployment.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { mergeEnvFile } from '../env-file/merge-env-file.js';
import { isVariableName, N8N_VARIABLES } from '../n8n/n8n-variables.js';
import { instanceBaseUrl, URL_VARIABLES } from '../n8n/public-url.js';
import { isProjectEnv, placeSettings, PROJECT_ENV, type PlacementEdit } from './deployment-placement.js';

export interface DeploymentEditsInput {
  deployment: Deployment;
  compose: { name: string; text: string };
  /** The project `.env`, if any. */
  env?: string;
  /** The other env files the services read, by their path as written; undefined: cannot be read here. */
  readEnvFile: (path: string) => string | undefined;
  targets: readonly string[];
  desired: ReadonlyMap<string, string | null>;
  literalOnly: ReadonlySet<string>;
  /** Mounts and secrets the n8n services need (spec parts; its other fields are not used). */
  spec: Pick<N8nServiceSpec, 'mounts' | 'secrets' | 'managedEnvironment' | 'environment' | 'image' | 'envFile' | 'ports' | 'proxy'>;
  blockTitle: string;
}

export interface DeploymentEdits {
  composeText: string;
  /** The new project `.env` (the old text when unchanged). */
  envText: string | undefined;
  /** Other env files that change, by path as written. */
  envFiles: Array<{ path: string; text: string }>;
  changedKeys: string[];
  /** Keys removed from the project `.env`. */
  envRemoved: string[];
  warnings: Warning[];
  /** The deployment as Compose reads the edited files: what each service will get. */
  after: Deployment;
}

/** Raised when a needed edit cannot be made in place (an anchor other services share, an env file outside). */
export class NotInPlace extends Error {}

export function planDeploymentEdits(input: DeploymentEditsInput): DeploymentEdits {
  const placement = placeSettings({ deployment: input.deployment, targets: input.targets, desired: input.desired, literalOnly: input.literalOnly, composeText: input.compose.text });
  const warnings = [...placement.warnings];
  const envEdits = keptForCompose(placement.edits.filter((e) => e.kind === 'env-file'), input, warnings);
  const compose = editCompose(input, placement.edits.filter((e) => e.kind === 'compose-env'));

  const byFile = new Map<string, Array<Extract<PlacementEdit, { kind: 'env-file' }>>>();
  for (const edit of envEdits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  let envText = input.env;
  const envFiles: DeploymentEdits['envFiles'] = [];
  let envRemoved: string[] = [];
  for (const [file, edits] of byFile) {
    const before = file === PROJECT_ENV ? input.env : input.readEnvFile(file);
    if (before === undefined && file !== PROJECT_ENV) throw new NotInPlace(`${file} (an env_file) cannot be read here`);
    const set = edits.flatMap((e) => (e.value === null ? [] : [{ key: e.key, text: encodeEnvValue(e.value).ok ? (encodeEnvValue(e.value) as { text: string }).text : '' }]));
    const remove = edits.flatMap((e) => (e.value === null ? [e.key] : []));
    const text = mergeEnvFile(before, { set, remove, blockTitle: input.blockTitle });
    if (file === PROJECT_ENV) {
      envText = text;
      envRemoved = remove;
    } else envFiles.push({ path: file, text });
  }

  const after = checkResult(input, { compose: compose.text, env: envText, envFiles });
  return { composeText: compose.text, envText, envFiles, changedKeys: compose.changedKeys, envRemoved, warnings: [...warnings, ...compose.warnings], after };
}

/** A `.env` key the compose file still uses elsewhere (`${KEY}`) stays; n8n no longer needs it there. */
function keptForCompose(edits: Array<Extract<PlacementEdit, { kind: 'env-file' }>>, input: DeploymentEditsInput, warnings: Warning[]) {
  return edits.filter((edit) => {
    if (edit.value !== null || !isProjectEnv(edit.file) || !new RegExp(`\\$\\{?${edit.key}(?![A-Za-z0-9_])`).test(input.compose.text)) return true;
    warnings.push({ code: 'WARN_KEY_KEPT_FOR_COMPOSE', message: `${edit.key} stays in .env because the compose file refers to \${${edit.key}}; n8n no longer needs it there.` });
    return false;
  });
}

function editCompose(input: DeploymentEditsInput, edits: PlacementEdit[]): { text: string; changedKeys: string[]; warnings: Warning[] } {
  const doc = parseComposeDocument(input.compose.text);
  const resolved = resolveComposeDocument(doc, input.compose.name) as ResolvedCompose;
  const editor = new YamlTextEditor(input.compose.text, detectLayout(input.compose.text, doc));
  const n8nNames = new Set(input.deployment.services.filter((s) => s.role && s.role !== 'runner').map((s) => s.name));
  const changedKeys: string[] = [];
  const holderOf = (service: string, field: string) => {
    const map = serviceMap(doc, service);
    if (!map) throw new NotInPlace(`service "${service}" is not a mapping`);
    const holder = fieldHolder(doc, map, field);
    const others = servicesSharing(doc, holder.map, field).filter((name) => !n8nNames.has(name));
    if (holder.inherited && others.length > 0) throw new NotInPlace(`the ${field} of "${service}" comes from an anchor that ${others.join(', ')} also merge${others.length === 1 ? 's' : ''}`);
    return holder.map;
  };

  // Environment: every target's edits at the map that holds its environment (an anchor shared by targets once).
  const done = new Map<YAMLMap, Set<string>>();
  // Collections this run adds are written whole when the text is rendered: later keys go straight into them.
  const created = new WeakSet<object>();
  for (const edit of edits) {
    if (edit.kind !== 'compose-env') continue;
    const holder = holderOf(edit.service, 'environment');
    const keys = done.get(holder) ?? new Set<string>();
    if (keys.has(edit.key)) continue;
    done.set(holder, keys.add(edit.key));
    setEnvironmentEntry(editor, holder, edit.key, edit.spelled, created);
    changedKeys.push(`services.${edit.service}.environment.${edit.key}`);
  }

  // Mounts and secret references on each target (once per holder), then the top-level secrets.
  const ctx: MergeContext = { doc, resolved, editor, spec: { ...input.spec, environment: {}, envFile: PROJECT_ENV } as N8nServiceSpec, serviceName: input.targets[0] ?? '', override: false, warnings: [], changedKeys };
  const merged = new Set<YAMLMap>();
  for (const target of input.targets) {
    ctx.serviceName = target;
    for (const [field, merge] of [['volumes', mergeMounts], ['secrets', mergeSecretRefs]] as const) {
      const holder = holderOf(target, field);
      if (merged.has(holder) && field === 'volumes') continue;
      merge(ctx, holder);
      if (field === 'volumes') merged.add(holder);
    }
  }
  mergeSecretDefinitions({ ...ctx, n8nServices: input.targets });
  return { text: editor.changed ? editor.toString() : input.compose.text, changedKeys: [...new Set(changedKeys)], warnings: ctx.warnings };
}

/** Sets (or removes) one key of the `environment:` the holder map carries, in its own form (map or list). */
function setEnvironmentEntry(editor: YamlTextEditor, holder: YAMLMap, key: string, spelled: Extract<PlacementEdit, { kind: 'compose-env' }>['spelled'], created: WeakSet<object>): void {
  const node = findPair(holder, 'environment')?.value;
  const valueNode = (text: string) => (spelled && 'reference' in spelled ? new Scalar(spelled.reference) : encodeComposeValue(text));
  const wanted = spelled === null ? undefined : 'reference' in spelled ? spelled.reference : spelled.literal;
  if (isMap(node) && created.has(node)) {
    if (wanted === undefined) node.delete(key);
    else node.set(key, valueNode(wanted));
    return;
  }
  if (!isMap(node) && !isSeq(node)) {
    if (wanted === undefined) return;
    const map = keyValueMapOf(key, valueNode(wanted));
    created.add(map);
    editor.setValue(holder, 'environment', map);
    return;
  }
  if (isMap(node)) {
    const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === key) as Pair | undefined;
    if (wanted === undefined) {
      if (pair) editor.removePair(node, pair);
    } else editor.setValue(node, key, valueNode(wanted));
    return;
  }
  const seq = node as YAMLSeq;
  const item = seq.items.find((entry) => listEntry(entry)?.key === key) as never;
  if (wanted === undefined) {
    if (item) editor.removeItem(seq, item);
    return;
  }
  const line = spelled && 'reference' in spelled ? new Scalar(`${key}=${spelled.reference}`) : encodeComposeValue(`${key}=${wanted}`);
  if (item) editor.replaceItem(seq, item, line);
  else editor.addItem(seq, line);
}

function keyValueMapOf(key: string, value: Scalar): YAMLMap {
  const map = new YAMLMap();
  map.set(key, value);
  return map;
}

/**
 * Reads the result as Compose would and holds it to the promise: each n8n service reads every wanted value
 * (and no removed key); every other service, and every other key, reads what it read before. Returns
 * what it read: what each service will get.
 */
function checkResult(input: DeploymentEditsInput, after: { compose: string; env: string | undefined; envFiles: DeploymentEdits['envFiles'] }): Deployment {
  const changedFiles = new Map(after.envFiles.map((f) => [f.path, f.text]));
  const deployment = readDeployment({
    compose: { name: input.compose.name, text: after.compose },
    ...(after.env !== undefined && { env: after.env }),
    readFile: (path) => (isProjectEnv(path) ? after.env : (changedFiles.get(path) ?? input.readEnvFile(path))),
  });
  const problems: string[] = [];
  const before = new Map(input.deployment.services.map((s) => [s.name, s]));
  for (const service of deployment.services) {
    const old = before.get(service.name);
    const target = input.targets.includes(service.name);
    const env = Object.fromEntries(Object.entries(service.environment).map(([key, value]) => [key, value.value]));
    const keys = new Set([...Object.keys(service.environment), ...Object.keys(old?.environment ?? {})]);
    for (const key of keys) {
      const now = env[key];
      if (target && input.desired.has(key)) continue;
      if (old?.environment[key]?.value !== now && !(service.role && service.role !== 'runner' && input.desired.has(key))) problems.push(`"${service.name}" would read ${key} differently than before`);
    }
    if (!target) continue;
    for (const [key, want] of input.desired) {
      if ((URL_VARIABLES as readonly string[]).includes(key)) continue;
      // Absent reads as n8n's default.
      const reads = env[key] ?? (isVariableName(key) && want !== null ? String(N8N_VARIABLES[key].default ?? '') : undefined);
      if (want === null ? env[key] !== undefined && !isPlatformPlaceholder(env[key]) : reads !== want) problems.push(`"${service.name}" would read ${key} ${env[key] === undefined ? 'unset' : 'as another value'} instead of ${want === null ? 'unset' : 'the wanted value'}`);
    }
    const wantedUrl = input.desired.get('N8N_EDITOR_BASE_URL');
    if (wantedUrl && instanceBaseUrl(env) !== wantedUrl) problems.push(`"${service.name}" would build its links from ${instanceBaseUrl(env)} instead of ${wantedUrl}`);
  }
  if (problems.length > 0) {
    throw new SetupError({
      code: 'EXPORT_NOT_IN_PLACE',
      message: `The changes to ${input.compose.name} could not be made without side effects: ${problems.join('; ')}. Nothing was changed.`,
      fix: 'Set these variables by hand, or report the compose file so this setup can handle it.',
    });
  }
  return deployment;
}
