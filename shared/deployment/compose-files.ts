/**
 * Which compose files `docker compose` loads in a folder when it is given none, by compose-go's rules:
 * COMPOSE_FILE when it is set — the environment's, else the project `.env`'s — split at
 * COMPOSE_PATH_SEPARATOR (`:`, or `;` on Windows); otherwise the first of COMPOSE_FILE_NAMES with the first
 * of OVERRIDE_FILE_NAMES found beside it (any override goes with any base name).
 */
import { projectError } from './project-errors.js';

/** In Compose's order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;
export const OVERRIDE_FILE_NAMES = ['compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml'] as const;

/** COMPOSE_FILE may list a few files; a list longer than this is a mistake or an attack, not a project. */
export const MAX_LISTED_FILES = 32;

/** The variables of the environment Compose runs in that choose the files (they win over the `.env`'s). */
export interface ComposeEnv {
  COMPOSE_FILE?: string;
  COMPOSE_PATH_SEPARATOR?: string;
  /** The platform's list separator, COMPOSE_FILE's when neither sets COMPOSE_PATH_SEPARATOR: `:`, or `;` on Windows. */
  pathSeparator?: string;
}

/** How a file came into the project: Compose's default pair, COMPOSE_FILE, or named by another file. */
export type ComposeFileRole = 'compose' | 'override' | 'listed' | 'include' | 'extends';

export interface SelectedFiles {
  files: Array<{ path: string; role: 'compose' | 'override' | 'listed' }>;
  /** Where COMPOSE_FILE was set, when it chose the files. */
  listedBy?: 'environment' | '.env';
}

export function selectComposeFiles(exists: (name: string) => boolean, projectEnv: ReadonlyMap<string, string>, composeEnv: ComposeEnv = {}): SelectedFiles {
  const listedBy = composeEnv.COMPOSE_FILE !== undefined ? 'environment' : projectEnv.has('COMPOSE_FILE') ? '.env' : undefined;
  if (listedBy) {
    const list = composeEnv.COMPOSE_FILE ?? projectEnv.get('COMPOSE_FILE') ?? '';
    const separator = composeEnv.COMPOSE_PATH_SEPARATOR || projectEnv.get('COMPOSE_PATH_SEPARATOR') || composeEnv.pathSeparator || ':';
    const where = listedBy === 'environment' ? 'COMPOSE_FILE in the environment' : 'COMPOSE_FILE in .env';
    const paths = list.split(separator);
    if (paths.length > MAX_LISTED_FILES) {
      throw projectError(`${where} lists ${paths.length} files; Compose projects use a few, and more than ${MAX_LISTED_FILES} are not read.`, `Shorten ${where} to the files of this n8n setup, separated by "${separator}".`);
    }
    if (paths.some((path) => path.trim() === '')) {
      throw projectError(`${where} ("${list}") has an empty entry, which Compose cannot load.`, `Remove the extra "${separator}" from ${where}.`);
    }
    return { files: paths.map((path) => ({ path, role: 'listed' as const })), listedBy };
  }
  const compose = COMPOSE_FILE_NAMES.find(exists);
  if (!compose) return { files: [] };
  const override = OVERRIDE_FILE_NAMES.find(exists);
  return { files: [{ path: compose, role: 'compose' }, ...(override ? [{ path: override, role: 'override' as const }] : [])] };
}
