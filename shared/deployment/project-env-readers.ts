/**
 * Which keys of the project `.env` Docker Compose reads, and why: a `$VAR` or `${VAR…}` anywhere in a
 * compose file (any service, any field, `x-` blocks, top level), a key passed on by name (`- NAME`, `NAME:`,
 * a secret's or config's `environment: NAME`), an env_file that refers to it, another `.env` value that
 * refers to it, or Compose's own settings (COMPOSE_*, DOCKER_*). Where it cannot tell — a file it cannot
 * read, `include:`, a service that reads all of `.env` — every key counts as read. Pure.
 */
import { isScalar, visit } from 'yaml';
import { parseComposeDocument, resolveComposeDocument } from '../compose/compose-document.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { listOf, referencedVariables } from './compose-values.js';

export interface ComposeProject {
  /**
   * Every file Compose may load as a compose file with this `.env`: the compose file, its override, and the
   * other YAML files beside them (`docker compose -f`). `text` is undefined when the file cannot be read here.
   */
  composeFiles: ReadonlyArray<{ name: string; text: string | undefined }>;
  /** The project `.env`. */
  env: string;
  /** An env_file inside the project folder, by its path as written; undefined when it does not exist. */
  readEnvFile: (path: string) => string | undefined;
}

export interface EnvReaders {
  /** Set when any key may be read, with why: then no key counts as unread. */
  all?: string;
  /** Each name Compose reads, with the first reason found. */
  byName: ReadonlyMap<string, string>;
}

/** Compose's own settings, which it takes from `.env` itself (the Docker CLI's too). */
const COMPOSE_SETTING = /^(COMPOSE|DOCKER|BUILDKIT|BUILDX)_/;

type Raw = Record<string, unknown>;

class Readers {
  all: string | undefined;
  readonly byName = new Map<string, string>();

  read(name: string, why: string): void {
    if (!this.byName.has(name)) this.byName.set(name, why);
  }

  readsAll(why: string): void {
    this.all ??= why;
  }
}

export function projectEnvReaders(project: ComposeProject): EnvReaders {
  const readers = new Readers();
  const env = parseEnvFile(project.env);
  if (env.errors[0]) readers.readsAll(`Compose refuses line ${env.errors[0].line} of .env, so what it reads cannot be told`);
  for (const entry of env.entries) {
    if (COMPOSE_SETTING.test(entry.key)) readers.read(entry.key, 'Compose reads it as one of its own settings');
    const spelled = project.env.slice(entry.valueStart, entry.valueEnd);
    if (!spelled.startsWith("'")) for (const name of referencedVariables(spelled)) readers.read(name, `.env line ${entry.line} (${entry.key}) refers to it`);
  }
  const composeFileSetting = lastValues(env).get('COMPOSE_FILE');
  if (composeFileSetting && !composeFileSetting.split(/[:;]/).every((name) => project.composeFiles.some((file) => file.name === name.replace(/^\.\//, '')))) {
    readers.readsAll('COMPOSE_FILE in .env makes Compose load files not read here');
  }
  for (const file of project.composeFiles) readComposeFile(file, project, readers);
  return readers.all === undefined ? { byName: readers.byName } : { all: readers.all, byName: readers.byName };
}

function readComposeFile(file: ComposeProject['composeFiles'][number], project: ComposeProject, readers: Readers): void {
  if (file.text === undefined) return readers.readsAll(`${file.name} cannot be read here`);
  const doc = parseComposeDocument(file.text);
  if (doc.errors.length > 0) return readUnparsed({ name: file.name, text: file.text }, readers);
  // Every scalar, in place: anchors once, aliases not expanded, keys included.
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      for (const name of referencedVariables(node.value)) readers.read(name, `${file.name} refers to \${${name}}`);
      // A value that is a bare name may pass that variable on: `- NAME` in environment or build args, `environment: NAME` of a secret.
      if (key !== 'key') readers.read(node.value, `${file.name} passes it on by name`);
    },
    Pair(_key, pair) {
      const empty = pair.value === null || (isScalar(pair.value) && pair.value.value === null);
      if (empty && isScalar(pair.key) && typeof pair.key.value === 'string') readers.read(pair.key.value, `${file.name} passes it on by name (${pair.key.value}:)`);
    },
  });
  let resolved: Raw;
  try {
    resolved = (resolveComposeDocument(doc, file.name) ?? {}) as Raw;
  } catch {
    return readers.readsAll(`${file.name} cannot be resolved here`);
  }
  if (resolved.include !== undefined) readers.readsAll(`${file.name} includes other compose files`);
  for (const [name, service] of Object.entries((resolved.services ?? {}) as Record<string, Raw | null>)) {
    const extended = service?.extends;
    if (extended && typeof extended === 'object' && (extended as Raw).file !== undefined) readers.readsAll(`service "${name}" extends a service of another file`);
    for (const entry of listOf(service?.env_file)) readEnvFileOf(name, entry, project, readers);
  }
}

/** A service's env_file: `.env` itself hands it every key; another file may refer to `.env` keys in its values. */
function readEnvFileOf(service: string, entry: unknown, project: ComposeProject, readers: Readers): void {
  const path = typeof entry === 'string' ? entry : typeof (entry as Raw | null)?.path === 'string' ? ((entry as Raw).path as string) : undefined;
  if (path === undefined) return readers.readsAll(`service "${service}" has an env_file entry that cannot be read here`);
  const normalized = path.replace(/^(\.\/)+/, '');
  if (normalized === '.env') return readers.readsAll(`service "${service}" reads all of .env (env_file)`);
  if (path.includes('$') || /^([/~\\]|[A-Za-z]:)/.test(path) || normalized.split(/[/\\]/).includes('..')) {
    return readers.readsAll(`service "${service}" reads ${path}, which cannot be read here`);
  }
  const text = project.readEnvFile(path);
  if (text === undefined) return;
  for (const line of parseEnvFile(text).entries) {
    // A bare `KEY` line takes the key's value from the project environment.
    if (line.separator === null) readers.read(line.key, `${path} passes it on by name`);
    const spelled = text.slice(line.valueStart, line.valueEnd);
    if (!spelled.startsWith("'")) for (const name of referencedVariables(spelled)) readers.read(name, `${path} refers to \${${name}}`);
  }
}

/**
 * A YAML file the parser here refuses. Compose would refuse it too, but may read YAML differently: every
 * word of it counts as a name it reads, and one that looks like it names env files or other files reads all.
 */
function readUnparsed(file: { name: string; text: string }, readers: Readers): void {
  if (/\b(env_file|include|extends)\b/.test(file.text)) return readers.readsAll(`${file.name} cannot be parsed here and may name env files`);
  // Plain names, and names with the `.` and `-` a .env key may also hold.
  for (const word of [...(file.text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []), ...(file.text.match(/[A-Za-z_][A-Za-z0-9_.-]*/g) ?? [])]) readers.read(word, `${file.name} mentions it`);
}
