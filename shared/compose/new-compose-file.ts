/**
 * Compose files written from nothing: `compose.yaml` in the layout n8n documents (service `n8n` with its
 * data volume, the proxy service when bundled), and the override file used when an existing file's n8n
 * service cannot be edited in place (only the n8n service's entries).
 */
import { Pair, Scalar, YAMLMap } from 'yaml';
import type { Node } from 'yaml';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { DEFAULT_LAYOUT, newComposeDocument, toStringOptions } from './compose-document.js';
import type { N8nServiceSpec } from './compose-spec.js';
import { composeImageNode, encodeComposeValue } from './encode-compose-value.js';
import { N8N_SERVICE_NAME } from './find-n8n-service.js';
import { keyValueMap, mountEntry, secretDefinition, sequenceOf, volumeDefinition } from './n8n-service-entries.js';
import { n8nTraefikLabels, PROXY_VOLUMES, proxyService } from './proxy-services.js';

const DATA_VOLUME = 'n8n_data';

const HEADER = [
  ' Written by n8n Setup, which changes only the n8n entries it manages and keeps everything else.',
  ' Apply changes with `docker compose up -d`: `docker compose restart` does not re-read this file or .env.',
].join('\n');

export interface WrittenCompose {
  text: string;
  changedKeys: string[];
}

export function newComposeFile(spec: N8nServiceSpec): WrittenCompose {
  const written = new Written();
  const services = new YAMLMap();
  services.items.push(new Pair(new Scalar(N8N_SERVICE_NAME), n8nService(spec, false, written)));
  const volumes = [DATA_VOLUME];
  if (spec.proxy.kind === 'caddy' || spec.proxy.kind === 'traefik') {
    services.items.push(new Pair(spaced(spec.proxy.kind), proxyService(spec.proxy)));
    written.push(`services.${spec.proxy.kind}`);
    volumes.push(...PROXY_VOLUMES[spec.proxy.kind]);
  }
  const root = new YAMLMap();
  root.items.push(new Pair(new Scalar('services'), services));
  const volumeDefinitions = new YAMLMap();
  for (const name of volumes) volumeDefinitions.items.push(new Pair(new Scalar(name), volumeDefinition()));
  root.items.push(new Pair(spaced('volumes'), volumeDefinitions));
  written.push(...volumes.map((name) => `volumes.${name}`));
  addSecretDefinitions(root, spec, written);
  return written.finish(root);
}

export function newOverrideFile(spec: N8nServiceSpec, serviceName: string, baseName: string): WrittenCompose {
  const written = new Written(serviceName);
  const services = new YAMLMap();
  services.items.push(new Pair(new Scalar(serviceName), n8nService(spec, true, written)));
  const root = new YAMLMap();
  root.items.push(new Pair(new Scalar('services'), services));
  addSecretDefinitions(root, spec, written);
  return written.finish(root, ` Compose reads this file together with ${baseName}: it adds n8n's settings there.\n${HEADER}`);
}

function n8nService(spec: N8nServiceSpec, override: boolean, written: Written): YAMLMap {
  const service = new YAMLMap();
  const add = (field: string, value: Node, ...ids: string[]) => {
    service.items.push(new Pair(new Scalar(field), value));
    written.push(...(ids.length > 0 ? ids.map((id) => `${written.service}.${field}.${id}`) : [`${written.service}.${field}`]));
  };
  if (!override) {
    add('image', composeImageNode(spec.image));
    add('restart', new Scalar('unless-stopped'));
  }
  add('env_file', sequenceOf([encodeComposeValue(spec.envFile)]));
  const environment = Object.entries(spec.environment);
  if (environment.length > 0) add('environment', keyValueMap(environment), ...environment.map(([key]) => key));
  if (!override && spec.ports.length > 0) add('ports', sequenceOf(spec.ports.map((port) => encodeComposeValue(port))));
  const mounts = [...(override ? [] : [new Scalar(`${DATA_VOLUME}:${CONTAINER.dataVolume}`)]), ...spec.mounts.map(mountEntry)];
  const targets = [...(override ? [] : [CONTAINER.dataVolume]), ...spec.mounts.map((mount) => mount.target)];
  if (mounts.length > 0) add('volumes', sequenceOf(mounts), ...targets);
  const secrets = spec.secrets.map((secret) => secret.name);
  if (secrets.length > 0) add('secrets', sequenceOf(secrets.map((name) => new Scalar(name))), ...secrets);
  if (!override && spec.proxy.kind === 'traefik') {
    const labels = Object.entries(n8nTraefikLabels(spec.proxy));
    add('labels', keyValueMap(labels), ...labels.map(([key]) => key));
  }
  return service;
}

function addSecretDefinitions(root: YAMLMap, spec: N8nServiceSpec, written: Written): void {
  if (spec.secrets.length === 0) return;
  const definitions = new YAMLMap();
  for (const { name, file } of spec.secrets) definitions.items.push(new Pair(new Scalar(name), secretDefinition(file)));
  root.items.push(new Pair(spaced('secrets'), definitions));
  written.push(...spec.secrets.map(({ name }) => `secrets.${name}`));
}

/** A key with a blank line before it, as n8n's examples separate services and sections. */
function spaced(key: string): Scalar {
  const scalar = new Scalar(key);
  scalar.spaceBefore = true;
  return scalar;
}

class Written {
  readonly changedKeys: string[] = [];
  readonly service: string;

  constructor(serviceName = N8N_SERVICE_NAME) {
    this.service = `services.${serviceName}`;
  }

  push(...keys: string[]): void {
    this.changedKeys.push(...keys);
  }

  finish(root: YAMLMap, header = HEADER): WrittenCompose {
    const doc = newComposeDocument();
    doc.contents = root;
    doc.commentBefore = header;
    return { text: doc.toString(toStringOptions(DEFAULT_LAYOUT)), changedKeys: this.changedKeys };
  }
}
