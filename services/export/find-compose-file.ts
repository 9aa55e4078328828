import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The names Docker Compose looks for, in its order of preference, then our override fallback. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
export const COMPOSE_OVERRIDE_NAME = 'compose.override.yaml';

/**
 * The compose file export should edit. When an earlier export had to write an override (the n8n
 * service could not be identified), that override is what gets edited again.
 */
export async function findComposeFile(dir: string): Promise<{ name: string; text: string } | undefined> {
  const override = await read(dir, COMPOSE_OVERRIDE_NAME);
  if (override !== undefined) return { name: COMPOSE_OVERRIDE_NAME, text: override };
  for (const name of COMPOSE_FILE_NAMES) {
    const text = await read(dir, name);
    if (text !== undefined) return { name, text };
  }
  return undefined;
}

async function read(dir: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
