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
