/**
 * An existing deployment brought to the profile with the fewest edits (deployment-placement.ts says where
 * each value goes): keys of env files changed in place, `environment:` entries of the n8n services (or of
 * the anchor they share) set, passed on or removed — in the compose file that sets them, when the project has
 * several (definition-choice.ts) — their template and CA mounts and secret files. Then the whole project is
 * read back as Compose would: every n8n service must read exactly the wanted values, and every other service
 * and every other key exactly what it read before; anything else stops the export.
 */
import { isMap, isSeq, Scalar, YAMLMap } from 'yaml';
import type { Document, Pair, YAMLSeq } from 'yaml';
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
import { isPlatformPlaceholder, type Deployment, type DeploymentService } from '../deployment/deployment.js';
import { folderOf } from '../deployment/project-paths.js';
import { readDeployment, type DeploymentFiles } from '../deployment/read-deployment.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { mergeEnvFile } from '../env-file/merge-env-file.js';
import { isVariableName, N8N_VARIABLES, roleReads } from '../n8n/n8n-variables.js';
import { instanceBaseUrl, URL_VARIABLES } from '../n8n/public-url.js';
import { definitionsSetting, environmentHolder, notWritable, primaryDefinition, type DefinitionAt, type Writability } from './definition-choice.js';
import { isProjectEnv, placeSettings, PROJECT_ENV, type PlacementEdit } from './deployment-placement.js';

export interface DeploymentEditsInput {
  deployment: Deployment;
  /** The project's files as read (readDeployment's): compose files, the project `.env`, env files; undefined: not there, or not read here. */
  files: DeploymentFiles;
  targets: readonly string[];
  desired: ReadonlyMap<string, string | null>;
  literalOnly: ReadonlySet<string>;
  /** Mounts and secrets the n8n services need (spec parts; its other fields are not used). */
  spec: Pick<N8nServiceSpec, 'mounts' | 'secrets' | 'managedEnvironment' | 'environment' | 'image' | 'envFile' | 'ports' | 'proxy'>;
  blockTitle: string;
}

export interface DeploymentEdits {
  /** The compose files that change, by project path. */
  composeFiles: Array<{ path: string; text: string }>;
  /** The new project `.env` (the old text when unchanged). */
  envText: string | undefined;
  /** Other env files that change, by path as written. */
  envFiles: Array<{ path: string; text: string }>;
  /** What changed in which compose file (`services.n8n.environment.N8N_HOST`). */
  changedKeys: Array<{ file: string; key: string }>;
  /** Keys removed from the project `.env`. */
  envRemoved: string[];
  warnings: Warning[];
  /** The deployment as Compose reads the edited files: what each service will get. */
  after: Deployment;
}

/** Raised when a needed edit cannot be made in place (an anchor other services share, an env file outside). */
export class NotInPlace extends Error {}

export function planDeploymentEdits(input: DeploymentEditsInput): DeploymentEdits {
  const composeText = input.deployment.files.map((file) => input.files.readFile(file.path) ?? '').join('\n');
  const placement = placeSettings({ deployment: input.deployment, targets: input.targets, desired: input.desired, literalOnly: input.literalOnly, composeText });
  const warnings = [...placement.warnings];
  const envEdits = keptForCompose(placement.edits.filter((e) => e.kind === 'env-file'), composeText, warnings);
  const compose = editCompose(input, placement.edits.filter((e) => e.kind === 'compose-env'));
  const env = input.files.env;

  const byFile = new Map<string, Array<Extract<PlacementEdit, { kind: 'env-file' }>>>();
  for (const edit of envEdits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  let envText = env;
  const envFiles: DeploymentEdits['envFiles'] = [];
  let envRemoved: string[] = [];
  for (const [file, edits] of byFile) {
    const before = file === PROJECT_ENV ? env : input.files.readFile(file);
    if (before === undefined && file !== PROJECT_ENV) throw new NotInPlace(`${file} (an env_file) cannot be read here`);
    const set = edits.flatMap((e) => (e.value === null ? [] : [{ key: e.key, text: encodeEnvValue(e.value).ok ? (encodeEnvValue(e.value) as { text: string }).text : '' }]));
    const remove = edits.flatMap((e) => (e.value === null ? [e.key] : []));
    const text = mergeEnvFile(before, { set, remove, blockTitle: input.blockTitle });
    if (file === PROJECT_ENV) {
      envText = text;
      envRemoved = remove;
    } else envFiles.push({ path: file, text });
  }

  const after = checkResult(input, { composeFiles: compose.files, env: envText, envFiles });
  return { composeFiles: compose.files, envText, envFiles, changedKeys: compose.changedKeys, envRemoved, warnings: [...warnings, ...compose.warnings], after };
}

/** A `.env` key the compose files still use elsewhere (`${KEY}`) stays; n8n no longer needs it there. */
function keptForCompose(edits: Array<Extract<PlacementEdit, { kind: 'env-file' }>>, composeText: string, warnings: Warning[]) {
  return edits.filter((edit) => {
    if (edit.value !== null || !isProjectEnv(edit.file) || !new RegExp(`\\$\\{?${edit.key}(?![A-Za-z0-9_])`).test(composeText)) return true;
    warnings.push({ code: 'WARN_KEY_KEPT_FOR_COMPOSE', message: `${edit.key} stays in .env because the compose file refers to \${${edit.key}}; n8n no longer needs it there.` });
    return false;
  });
}

/** One compose file being edited: its document, the resolved data the merge steps read, and the text editor. */
interface FileEdit {
  doc: Document.Parsed;
  resolved: ResolvedCompose;
  editor: YamlTextEditor;
  /** Compose-level paths of what changed in this file. */
  changedKeys: string[];
}

function editCompose(input: DeploymentEditsInput, edits: PlacementEdit[]): { files: DeploymentEdits['composeFiles']; changedKeys: DeploymentEdits['changedKeys']; warnings: Warning[] } {
  const { deployment } = input;
  const opened = new Map<string, FileEdit>();
  const fileEdit = (path: string): FileEdit => {
    let open = opened.get(path);
    if (!open) {
      const text = input.files.readFile(path);
      if (text === undefined) throw new NotInPlace(`${path} cannot be read here`);
      const doc = parseComposeDocument(text);
      open = { doc, resolved: resolveComposeDocument(doc, path) as ResolvedCompose, editor: new YamlTextEditor(text, detectLayout(text, doc)), changedKeys: [] };
      opened.set(path, open);
    }
    return open;
  };
  const writability = { deployment, targets: input.targets };
  const n8nNames = new Set(deployment.services.filter((s) => s.role && s.role !== 'runner').map((s) => s.name));
  /** The map holding `field` of a definition: its own, or an anchor it merges that only n8n services share. */
  const holderOf = (at: DefinitionAt, field: string) => {
    const { doc } = fileEdit(at.file);
    const map = serviceMap(doc, at.service);
    if (!map) throw new NotInPlace(`service "${at.service}" in ${at.file} is not a mapping`);
    const holder = fieldHolder(doc, map, field);
    const others = servicesSharing(doc, holder.map, field).filter((name) => !n8nNames.has(name));
    if (holder.inherited && others.length > 0) throw new NotInPlace(`the ${field} of "${at.service}" comes from an anchor that ${others.join(', ')} also merge${others.length === 1 ? 's' : ''}`);
    return holder.map;
  };
  const serviceOf = (name: string) => deployment.services.find((s) => s.name === name)!;

  // Environment: every target's edits at the map that holds its environment (an anchor shared by targets once).
  const done = new Map<YAMLMap, Set<string>>();
  // Collections this run adds are written whole when the text is rendered: later keys go straight into them.
  const created = new WeakSet<object>();
  for (const edit of edits) {
    if (edit.kind !== 'compose-env') continue;
    const service = serviceOf(edit.service);
    for (const at of environmentDefinitions(service, edit, writability)) {
      const holder = holderOf(at, 'environment');
      const keys = done.get(holder) ?? new Set<string>();
      if (keys.has(edit.key)) continue;
      done.set(holder, keys.add(edit.key));
      setEnvironmentEntry(fileEdit(at.file).editor, holder, edit.key, edit.spelled, created);
      fileEdit(at.file).changedKeys.push(`services.${at.service}.environment.${edit.key}`);
    }
  }

  // Mounts and secret references on each target (once per holder), then the top-level secrets of the file that holds them.
  const warnings: Warning[] = [];
  const merged = new Set<YAMLMap>();
  const projectDir = folderOf(deployment.composeFile);
  const withMounts = input.spec.mounts.length > 0 || input.spec.secrets.length > 0;
  let secretsFile: { path: string; services: string[] } | undefined;
  for (const target of input.targets) {
    const at = primaryDefinition(serviceOf(target), writability, projectDir);
    if (!at) {
      if (withMounts) throw new NotInPlace(`"${target}" has no definition in this folder to carry its mounts and secrets`);
      continue;
    }
    const open = fileEdit(at.file);
    const ctx = mergeContext(input, open, at.service, warnings);
    for (const [field, merge] of [['volumes', mergeMounts], ['secrets', mergeSecretRefs]] as const) {
      const holder = holderOf(at, field);
      if (merged.has(holder) && field === 'volumes') continue;
      merge(ctx, holder);
      if (field === 'volumes') merged.add(holder);
    }
    secretsFile ??= { path: at.file, services: [] };
    if (secretsFile.path === at.file) secretsFile.services.push(at.service);
  }
  if (secretsFile) {
    // Other services of every file count as users of a secret, whichever file defines them.
    const ctx = mergeContext(input, fileEdit(secretsFile.path), secretsFile.services[0]!, warnings);
    mergeSecretDefinitions({ ...ctx, resolved: deployment.resolved as ResolvedCompose, n8nServices: [...input.targets, ...secretsFile.services] });
  }
  const files = [...opened].flatMap(([path, open]) => (open.editor.changed ? [{ path, text: open.editor.toString() }] : []));
  const changedKeys = [...opened].flatMap(([path, open]) => [...new Set(open.changedKeys)].map((key) => ({ file: path, key })));
  return { files, changedKeys, warnings };
}

/** The definitions whose `environment:` an edit changes: every one that lists a key to remove, or the one to set it in. */
function environmentDefinitions(service: DeploymentService, edit: Extract<PlacementEdit, { kind: 'compose-env' }>, writability: Writability): DefinitionAt[] {
  if (edit.spelled === null) {
    const setting = definitionsSetting(service, edit.key);
    for (const at of setting) {
      const why = notWritable(at, writability);
      if (why) throw new NotInPlace(`${edit.key} of "${service.name}" cannot be removed: ${why}`);
    }
    return setting;
  }
  const holder = environmentHolder(service, edit.key, writability);
  if ('notInPlace' in holder) throw new NotInPlace(`${edit.key} of "${service.name}" cannot be set: ${holder.notInPlace}`);
  return [holder];
}

function mergeContext(input: DeploymentEditsInput, open: FileEdit, serviceName: string, warnings: Warning[]): MergeContext {
  const spec = { ...input.spec, environment: {}, envFile: PROJECT_ENV } as N8nServiceSpec;
  return { doc: open.doc, resolved: open.resolved, editor: open.editor, spec, serviceName, override: false, warnings, changedKeys: open.changedKeys };
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
function checkResult(input: DeploymentEditsInput, after: { composeFiles: DeploymentEdits['composeFiles']; env: string | undefined; envFiles: DeploymentEdits['envFiles'] }): Deployment {
  const changed = new Map([...after.composeFiles, ...after.envFiles].map((f) => [f.path, f.text]));
  const { compose } = input.files;
  const deployment = readDeployment({
    ...input.files,
    ...(compose && { compose: { name: compose.name, text: changed.get(compose.name) ?? compose.text } }),
    ...(after.env !== undefined && { env: after.env }),
    readFile: (path) => (isProjectEnv(path) ? after.env : (changed.get(path) ?? input.files.readFile(path))),
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
      if ((URL_VARIABLES as readonly string[]).includes(key) || (service.role && !roleReads(service.role, key))) continue;
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
      message: `The changes to ${input.deployment.files.map((f) => f.path).join(', ')} could not be made without side effects: ${problems.join('; ')}. Nothing was changed.`,
      fix: 'Set these variables by hand, or report the compose file so this setup can handle it.',
    });
  }
  return deployment;
}
