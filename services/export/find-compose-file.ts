import { overrideFileName } from '../../shared/compose/build-compose-file.js';
import type { ComposeText } from '../../shared/export/existing-deployment.js';

/** The names Docker Compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;

/**
 * The project's compose file and, when there is one, the override Compose merges in with it
 * (`compose.override.yaml` beside `compose.yaml`, `docker-compose.override.yml` beside `docker-compose.yml`).
 * Export edits the compose file; the override is edited only when the n8n service lives there.
 */
export async function findComposeFiles(read: (name: string) => Promise<string | undefined>): Promise<{ compose?: ComposeText; override?: ComposeText }> {
  for (const name of COMPOSE_FILE_NAMES) {
    const text = await read(name);
    if (text === undefined) continue;
    const overrideName = overrideFileName(name);
    const override = await read(overrideName);
    return { compose: { name, text }, ...(override !== undefined && { override: { name: overrideName, text: override } }) };
  }
  return {};
}

/** More YAML files than this beside the compose file: the rest count as unreadable (a folder of manifests, not a project). */
const MAX_OTHER_FILES = 32;

/**
 * The other YAML files beside the compose file, which `docker compose -f a.yml -f b.yml` may load with the
 * same `.env`: what Compose may read from `.env` is judged from them too. Text undefined when unreadable here.
 */
export async function findOtherComposeFiles(names: readonly string[], known: readonly string[], read: (name: string) => Promise<string | undefined>): Promise<Array<{ name: string; text: string | undefined }>> {
  const others = names.filter((name) => /\.ya?ml$/i.test(name) && !known.includes(name)).sort();
  const files = await Promise.all(others.slice(0, MAX_OTHER_FILES).map(async (name) => ({ name, text: await read(name).catch(() => undefined) })));
  return others.length > MAX_OTHER_FILES ? [...files, { name: `${others.length - MAX_OTHER_FILES} more YAML files`, text: undefined }] : files;
}
