/**
 * Every file a compose project in the target folder reads, gathered before planning: the compose files
 * Compose loads (COMPOSE_FILE, or the compose file and its override), what they include and extend, the
 * env files the services read and the proxy's configuration. The pure reader (readDeployment) names them as
 * it finds them; each round reads the ones it asked for, until it asks for nothing new.
 * Files in the folder are read without following a link out of it (target-folder.ts); files outside it —
 * an include or extends of `../shared/…`, an absolute path — are read as Compose would read them (regular
 * files only, never a FIFO or device, the same size limit), and are never written.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, resolve } from 'node:path';
import type { ComposeEnv } from '../../shared/deployment/compose-files.js';
import { MAX_PROJECT_FILES } from '../../shared/deployment/load-compose-project.js';
import { projectError } from '../../shared/deployment/project-errors.js';
import { isOutsideFolder } from '../../shared/deployment/project-paths.js';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { decodeTextFile, MAX_TEXT_FILE_BYTES, textFileTooLarge } from '../input/read-text-input.js';

export type ReadText = (rel: string) => Promise<string | undefined>;

/** COMPOSE_FILE and COMPOSE_PATH_SEPARATOR of this process's environment: Compose run here would use them. */
export function processComposeEnv(): ComposeEnv {
  const { COMPOSE_FILE, COMPOSE_PATH_SEPARATOR } = process.env;
  return { ...(COMPOSE_FILE !== undefined && { COMPOSE_FILE }), ...(COMPOSE_PATH_SEPARATOR !== undefined && { COMPOSE_PATH_SEPARATOR }), pathSeparator: delimiter };
}

/** The project's files by project path (undefined: not there), the `.env` included. */
export async function readProjectFiles(read: ReadText, outDir: string, composeEnv: ComposeEnv, outside?: (path: string) => Promise<string | undefined>): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>([['.env', await read('.env')]]);
  for (let round = 0; round <= MAX_PROJECT_FILES; round++) {
    const wanted = new Set<string>();
    const readFile = (path: string) => {
      if (texts.has(path)) return texts.get(path);
      wanted.add(path);
      return undefined;
    };
    try {
      readDeployment({ ...(texts.get('.env') !== undefined && { env: texts.get('.env')! }), readFile, composeEnv });
    } catch {
      // A file not read yet looks missing to the reader; anything else is for the plan to report.
    }
    if (wanted.size === 0) break;
    for (const path of wanted) {
      if (!isOutsideFolder(path)) texts.set(path, await read(path));
      else texts.set(path, outside ? await outside(path) : readOutside(resolve(outDir, path.replace(/^~(?=\/|$)/, homedir()))));
    }
  }
  return texts;
}

/** A file outside the folder, as Compose reads it; undefined when missing. A FIFO or device is refused, never waited on. */
function readOutside(path: string): string | undefined {
  const source = { name: path, field: 'compose', holds: 'the services it defines', showLine: true, fix: `Convert ${path} to UTF-8, then export again.` };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw projectError(`${path}, named by the compose files, cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, `Check that ${path} is the file you meant and that it can be read.`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw projectError(`${path}, named by the compose files, is not a regular file.`, `Point the compose file at a compose or env file, not at ${path}.`);
    if (stats.size > MAX_TEXT_FILE_BYTES) throw textFileTooLarge(source, stats.size);
    const bytes = Buffer.alloc(stats.size);
    const length = readSync(fd, bytes, 0, stats.size, 0);
    return decodeTextFile(bytes.subarray(0, length), source);
  } finally {
    closeSync(fd);
  }
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
