/**
 * The compose file for an n8n setup: a new `compose.yaml`, or the admin's existing file with only the n8n
 * service's managed entries changed (every other byte kept), or — when the n8n service cannot be found or
 * edited in place — an override file beside it that Compose merges in.
 */
import { isMap } from 'yaml';
import type { Document } from 'yaml';
import { SetupError } from '../errors.js';
import type { Warning } from '../errors.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { detectLayout, parseComposeDocument, resolveComposeDocument } from './compose-document.js';
import { assertValidSpec } from './compose-spec.js';
import type { N8nServiceSpec } from './compose-spec.js';
import { findN8nService, N8N_SERVICE_NAME, sharedEntryReason } from './find-n8n-service.js';
import { mergeBundledProxy } from './merge-bundled-proxy.js';
import type { MergeContext, ResolvedCompose } from './merge-context.js';
import { mergeN8nService } from './merge-n8n-service.js';
import { mergeSecretDefinitions } from './merge-top-level.js';
import { newComposeFile, newOverrideFile } from './new-compose-file.js';
import { listEntry, readMount } from './n8n-service-entries.js';
import { YamlTextEditor } from './yaml-text-editor.js';

export interface ComposeFile {
  fileName: string;
  text: string;
  warnings: Warning[];
  changedKeys: string[];
  /** The n8n service the file sets up (the one `docker compose exec` reaches). */
  serviceName: string;
}

export const NEW_COMPOSE_FILE_NAME = 'compose.yaml';

export function buildComposeFile(existing: { name: string; text: string } | undefined, spec: N8nServiceSpec): ComposeFile {
  assertValidSpec(spec);
  if (!existing || existing.text.trim() === '') {
    return { fileName: existing?.name ?? NEW_COMPOSE_FILE_NAME, ...newComposeFile(spec), warnings: [], serviceName: N8N_SERVICE_NAME };
  }
  const override = isOverrideFileName(existing.name);
  const doc = parseComposeDocument(existing.text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    const reason = doc.errors[0]?.message.split('\n')[0] ?? 'it is not a YAML mapping';
    if (override) {
      throw new SetupError({ code: 'COMPOSE_UNREADABLE', message: `${existing.name} cannot be read as YAML: ${reason}`, fix: `Correct ${existing.name} (or move it away) and run the setup again.` });
    }
    return overrideInstead(existing.name, spec, N8N_SERVICE_NAME, `${existing.name} cannot be read as YAML (${reason})`);
  }
  let resolved: ResolvedCompose;
  try {
    resolved = resolveComposeDocument(doc, existing.name) as ResolvedCompose;
  } catch (error) {
    if (error instanceof SetupError) throw error;
    // e.g. a << merge key pointing at something that is not a map
    const reason = error instanceof Error ? error.message : String(error);
    if (override) throw new SetupError({ code: 'COMPOSE_UNREADABLE', message: `${existing.name} cannot be read: ${reason}`, fix: `Correct ${existing.name} and run the setup again.` });
    return overrideInstead(existing.name, spec, N8N_SERVICE_NAME, `${existing.name} cannot be read (${reason})`);
  }
  const lookup = findN8nService(doc, resolved, { override });
  if (lookup.kind === 'ambiguous') {
    const result = overrideInstead(existing.name, spec, N8N_SERVICE_NAME, `several services in ${existing.name} run n8n's image (${lookup.names.join(', ')}), so none was picked`);
    if (lookup.names.includes(N8N_SERVICE_NAME)) result.warnings.push(...leftoverWarnings(doc, resolved, N8N_SERVICE_NAME, spec));
    return result;
  }
  if (lookup.kind === 'missing' || lookup.kind === 'unusable') {
    const why = lookup.kind === 'missing' ? `no service in ${existing.name} runs n8n's image or is named "${N8N_SERVICE_NAME}"` : `the n8n ${lookup.reason}`;
    if (override) throw new SetupError({ code: 'COMPOSE_UNREADABLE', message: `${existing.name}: ${why}.`, fix: `Name the n8n service "${N8N_SERVICE_NAME}" in ${existing.name}.` });
    return overrideInstead(existing.name, spec, lookup.kind === 'unusable' ? lookup.name : N8N_SERVICE_NAME, why);
  }
  const shared = sharedFields(spec, override).map((field) => sharedEntryReason(doc, lookup.node, field)).find(Boolean);
  if (shared) {
    const result = overrideInstead(existing.name, spec, lookup.name, `the n8n service "${lookup.name}" cannot be changed in place: ${shared}`);
    result.warnings.push(...leftoverWarnings(doc, resolved, lookup.name, spec));
    return result;
  }
  const ctx: MergeContext = {
    doc,
    resolved,
    editor: new YamlTextEditor(existing.text, detectLayout(existing.text, doc)),
    spec,
    serviceName: lookup.name,
    override,
    warnings: [],
    changedKeys: [],
  };
  mergeN8nService(ctx, lookup.node, lookup.byImage);
  if (!override) {
    mergeBundledProxy(ctx, lookup.node);
    warnIfNoDataVolume(ctx);
  }
  mergeSecretDefinitions(ctx);
  const text = ctx.editor.changed ? ctx.editor.toString() : existing.text;
  return { fileName: existing.name, text, warnings: ctx.warnings, changedKeys: ctx.changedKeys, serviceName: lookup.name };
}

/** `compose.yaml` → `compose.override.yaml`, `docker-compose.yml` → `docker-compose.override.yml`: the name Compose loads with it. */
export function overrideFileName(baseName: string): string {
  return baseName.replace(/(\.ya?ml)$/, '.override$1');
}

function isOverrideFileName(name: string): boolean {
  return /\.override\.ya?ml$/.test(name);
}

function overrideInstead(baseName: string, spec: N8nServiceSpec, serviceName: string, reason: string): ComposeFile {
  const fileName = overrideFileName(baseName);
  const written = newOverrideFile(spec, serviceName, baseName);
  const warning: Warning = {
    code: 'COMPOSE_OVERRIDE_WRITTEN',
    message: `${reason}. The n8n settings were written to ${fileName} for the service "${serviceName}" instead; Compose reads it together with ${baseName}. Check that "${serviceName}" is your n8n service.`,
  };
  const warnings = [warning];
  if (spec.proxy.kind === 'caddy' || spec.proxy.kind === 'traefik') {
    warnings.push({
      code: 'COMPOSE_PROXY_NOT_ADDED',
      message: `No ${spec.proxy.kind} service was added (an override only carries n8n's settings); route your proxy to n8n with the proxy snippets.`,
    });
  }
  return { fileName, ...written, warnings, serviceName };
}

/** The entries a merge would change, which must be editable where they stand. */
function sharedFields(spec: N8nServiceSpec, override: boolean): string[] {
  return [
    'env_file',
    'environment',
    ...(spec.mounts.length > 0 ? ['volumes'] : []),
    ...(spec.secrets.length > 0 ? ['secrets'] : []),
    ...(!override && spec.proxy.kind === 'traefik' ? ['labels'] : []),
  ];
}

/** Managed variables an override cannot take away from the base file (even an empty one hides `NAME_FILE`). */
function leftoverWarnings(doc: Document, resolved: ResolvedCompose, serviceName: string, spec: N8nServiceSpec): Warning[] {
  const environment = resolved.services?.[serviceName]?.environment;
  const keys = Array.isArray(environment) ? environment.map((entry) => listEntry(doc.createNode(entry))?.key ?? '') : Object.keys(environment ?? {});
  const leftover = keys.filter((key) => spec.managedEnvironment.includes(key) && !(key in spec.environment));
  if (leftover.length === 0) return [];
  return [{
    code: 'COMPOSE_MANUAL_REMOVAL',
    message: `Remove ${leftover.join(', ')} from the environment of "${serviceName}" by hand: an override cannot unset them, and they would hide the values this setup writes.`,
  }];
}

function warnIfNoDataVolume(ctx: MergeContext): void {
  const volumes = ctx.resolved.services?.[ctx.serviceName]?.volumes;
  if (Array.isArray(volumes) && volumes.some((entry) => readMount(ctx.doc.createNode(entry))?.target === CONTAINER.dataVolume)) return;
  ctx.warnings.push({
    code: 'COMPOSE_NO_DATA_VOLUME',
    message: `services.${ctx.serviceName} keeps nothing at ${CONTAINER.dataVolume}: n8n's database and encryption key are lost whenever the container is recreated.`,
  });
}
