/**
 * Reads a compose project the way `docker compose` loads it (compose-go's loader): the files it is given
 * (compose-files.ts chooses them), each with the files it `include:`s — its own project folder and `.env`,
 * the including project's variables winning — and each service with the service it `extends:` (in the same
 * file or another), merged by compose-merge.ts. Every definition of a service is kept, lowest precedence
 * first, with the file it is written in, so that a value can be traced to the file and service that set it.
 * Pure: the caller hands in a reader. Cycles, missing files and more than MAX_PROJECT_FILES files stop with
 * COMPOSE_PROJECT_INVALID.
 */
import { isNode, Scalar, visit, YAMLMap } from 'yaml';
import { parseComposeDocument, resolveComposeDocument } from '../compose/compose-document.js';
import { interpolateLikeCompose } from '../env-file/compose-interpolation.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { mergeCompose, OVERRIDE, RESET } from './compose-merge.js';
import type { ComposeFileRole } from './compose-files.js';
import { listOf } from './compose-values.js';
import { projectError } from './project-errors.js';
import { folderOf, projectPath } from './project-paths.js';

/** A project folder has a handful of compose files; past this many, something refers in circles or is hostile. */
export const MAX_PROJECT_FILES = 64;

type Raw = Record<string, unknown>;

export interface ComposeFileRead {
  path: string;
  role: ComposeFileRole;
  /** The file whose `include:` or `extends:` names it. */
  from?: string;
}

/** One definition of a service, as one file writes it (merge keys resolved, `extends` taken out). */
export interface ServiceDefinition {
  file: string;
  /** The service's name in that file (an extended service may have another name). */
  service: string;
  role: ComposeFileRole;
  raw: Raw;
  /** Where its relative paths (env_file, volumes) start. */
  dir: string;
  /** The variables its `${…}` and bare environment keys read. */
  env: ReadonlyMap<string, string>;
}

export interface ComposeProject {
  files: ComposeFileRead[];
  /** Each service's definitions, lowest precedence first. */
  definitions: Map<string, ServiceDefinition[]>;
  /** The model as Compose merges it: top-level keys and `services`, each service merged from its definitions. */
  merged: Raw;
}

export interface ProjectSource {
  /** A file by project path (project-paths.ts); undefined when there is none. */
  readFile: (path: string) => string | undefined;
  projectEnv: ReadonlyMap<string, string>;
}

interface Loaded {
  services: Map<string, ServiceDefinition[]>;
  top: Raw;
}

/** Loads `files` (project paths, in `-f` order; their relative paths start at the first one's folder). */
export function loadComposeProject(source: ProjectSource, files: ReadonlyArray<{ path: string; role: ComposeFileRole; text?: string }>): ComposeProject {
  const loader = new ProjectLoader(source);
  const dir = folderOf(files[0]?.path ?? '');
  let model: Loaded = { services: new Map(), top: {} };
  for (const file of files) model = mergeLoaded(model, loader.loadFile({ path: file.path, role: file.role, ...(file.text !== undefined && { text: file.text }) }, dir, source.projectEnv, []));
  const services = Object.fromEntries([...model.services].map(([name, definitions]) => [name, definitions.reduce<unknown>((acc, d) => mergeCompose(acc, d.raw, ['services', name]), undefined) ?? {}]));
  return { files: loader.files, definitions: model.services, merged: { ...model.top, services } };
}

class ProjectLoader {
  readonly files: ComposeFileRead[] = [];

  constructor(private readonly source: ProjectSource) {}

  loadFile(file: { path: string; role: ComposeFileRole; from?: string; text?: string }, dir: string, env: ReadonlyMap<string, string>, chain: readonly string[]): Loaded {
    const raw = this.read(file);
    const services = new Map<string, ServiceDefinition[]>();
    let top: Raw = {};
    for (const entry of listOf(raw.include)) {
      const included = this.loadInclude(entry, file.path, dir, env, [...chain, file.path]);
      for (const [name, definitions] of included.services) services.set(name, [...(services.get(name) ?? []), ...definitions]);
      top = mergeCompose(top, included.top, []) as Raw;
    }
    const own = isMapping(raw.services) ? raw.services : {};
    for (const name of Object.keys(own)) {
      const definitions = this.expandExtends({ file: file.path, role: file.role, service: name, services: own, dir, env }, new Set());
      services.set(name, [...(services.get(name) ?? []), ...definitions]);
    }
    const rest = Object.fromEntries(Object.entries(raw).filter(([key]) => key !== 'services' && key !== 'include'));
    return { services, top: mergeCompose(top, rest, []) as Raw };
  }

  /** `include:` short (a path) or long (`path`, `project_directory`, `env_file`) syntax. */
  private loadInclude(entry: unknown, from: string, dir: string, env: ReadonlyMap<string, string>, chain: readonly string[]): Loaded {
    const spec: Raw = typeof entry === 'string' ? { path: entry } : isMapping(entry) ? entry : {};
    const paths = listOf(spec.path).map((p) => projectPath(dir, this.interpolated(String(p), env, from)));
    if (paths.length === 0) throw projectError(`${from} has an include: entry without a path.`, `Give each include: entry a path, or remove it from ${from}.`);
    const cycle = chain.indexOf(paths[0]!);
    if (cycle >= 0) {
      throw projectError(`${from} includes ${paths[0]}, which includes it again (${[...chain.slice(cycle), paths[0]].join(' → ')}). Compose refuses include cycles.`, `Remove one of these include: entries.`);
    }
    const projectDir = spec.project_directory === undefined ? folderOf(paths[0]!) : projectPath(dir, this.interpolated(String(spec.project_directory), env, from));
    const envFiles = spec.env_file === undefined ? [projectPath(projectDir, '.env')] : listOf(spec.env_file).map((p) => projectPath(dir, this.interpolated(String(p), env, from)));
    // The including project's variables win over the included project's own .env.
    const includedEnv = new Map<string, string>();
    for (const path of envFiles) {
      const text = this.source.readFile(path);
      if (text === undefined && spec.env_file !== undefined) throw projectError(`${from} includes ${paths[0]} with env_file ${path}, which does not exist.`, `Create ${path}, or correct the env_file of that include: entry.`);
      for (const [key, value] of lastValues(parseEnvFile(text ?? ''))) includedEnv.set(key, value);
    }
    for (const [key, value] of env) includedEnv.set(key, value);
    let model: Loaded = { services: new Map(), top: {} };
    for (const path of paths) model = mergeLoaded(model, this.loadFile({ path, role: 'include', from }, projectDir, includedEnv, chain));
    return model;
  }

  /** The definitions a service is built from: what it extends (recursively), then itself. */
  private expandExtends(at: { file: string; role: ComposeFileRole; service: string; services: Raw; dir: string; env: ReadonlyMap<string, string> }, seen: ReadonlySet<string>): ServiceDefinition[] {
    const id = `${at.file}#${at.service}`;
    if (seen.has(id)) throw projectError(`The service "${at.service}" in ${at.file} extends itself through ${[...seen, id].map((s) => s.replace('#', ' service ')).join(' → ')}. Compose refuses extends cycles.`, 'Remove one of these extends: entries.');
    const { extends: extendsSpec, ...raw } = isMapping(at.services[at.service]) ? (at.services[at.service] as Raw) : {};
    const own: ServiceDefinition = { file: at.file, service: at.service, role: at.role, raw, dir: at.dir, env: at.env };
    if (extendsSpec === undefined || extendsSpec === null) return [own];
    const spec: Raw = typeof extendsSpec === 'string' ? { service: extendsSpec } : isMapping(extendsSpec) ? extendsSpec : {};
    const base = typeof spec.service === 'string' ? this.interpolated(spec.service, at.env, at.file) : undefined;
    if (!base) throw projectError(`The service "${at.service}" in ${at.file} has an extends: without a service name.`, `Add "service: <name>" under extends: of "${at.service}".`);
    let next = { ...at, service: base };
    if (spec.file !== undefined && spec.file !== null) {
      const path = projectPath(at.dir, this.interpolated(String(spec.file), at.env, at.file));
      const raw = this.read({ path, role: 'extends', from: at.file });
      next = { file: path, role: 'extends', service: base, services: isMapping(raw.services) ? raw.services : {}, dir: folderOf(path), env: at.env };
    }
    if (!Object.hasOwn(next.services, base)) {
      throw projectError(`The service "${at.service}" in ${at.file} extends "${base}", which ${next.file} does not define.`, `Correct the extends: of "${at.service}", or add "${base}" to ${next.file}.`);
    }
    return [...this.expandExtends(next, new Set([...seen, id])), own];
  }

  /** A compose file as plain data, `!reset` and `!override` kept as markers for the merge. */
  private read(file: { path: string; role: ComposeFileRole; from?: string; text?: string }): Raw {
    if (!this.files.some((f) => f.path === file.path)) {
      if (this.files.length >= MAX_PROJECT_FILES) throw projectError(`The compose files refer to more than ${MAX_PROJECT_FILES} files (include:, extends:).`, 'Check the include: and extends: entries for a loop or a mistake.');
      this.files.push({ path: file.path, role: file.role, ...(file.from && { from: file.from }) });
    }
    const text = file.text ?? this.source.readFile(file.path);
    if (text === undefined) throw missingFile(file);
    const doc = parseComposeDocument(text);
    if (doc.errors[0]) {
      if (this.files[0]?.path === file.path) throw doc.errors[0];
      throw projectError(`${file.path} (${describeRole(file)}) is not a YAML file Compose can read: ${doc.errors[0].message.split('\n')[0]!.replace(/:$/, '')}.`, `Correct ${file.path}, then run the setup again.`);
    }
    visit(doc, {
      Node(_key, node) {
        if (!isNode(node) || (node.tag !== '!reset' && node.tag !== '!override')) return undefined;
        if (node.tag === '!reset') return new Scalar(RESET);
        node.tag = undefined;
        const wrapper = new YAMLMap();
        wrapper.set(OVERRIDE, node);
        return wrapper;
      },
    });
    const resolved = resolveComposeDocument(doc, file.path);
    if (resolved !== null && resolved !== undefined && !isMapping(resolved)) throw projectError(`${file.path} (${describeRole(file)}) is not a compose file: its top level is not a mapping.`, `Check that ${file.path} is the file you meant.`);
    return (resolved ?? {}) as Raw;
  }

  private interpolated(text: string, env: ReadonlyMap<string, string>, file: string): string {
    try {
      return interpolateLikeCompose(text, (name) => env.get(name));
    } catch (error) {
      throw projectError(`${file} names a file with "${text}", which Compose cannot interpolate (${(error as Error).message}).`, `Correct "${text}" in ${file}, or set the variable it needs in .env.`);
    }
  }
}

function mergeLoaded(base: Loaded, over: Loaded): Loaded {
  const services = new Map(base.services);
  for (const [name, definitions] of over.services) services.set(name, [...(services.get(name) ?? []), ...definitions]);
  return { services, top: mergeCompose(base.top, over.top, []) as Raw };
}

function missingFile(file: { path: string; role: ComposeFileRole; from?: string }) {
  if (file.role === 'include' || file.role === 'extends') {
    return projectError(`${file.from} ${file.role === 'include' ? 'includes' : 'extends a service of'} ${file.path}, which does not exist.`, `Create ${file.path}, or correct the ${file.role}: entry in ${file.from}.`);
  }
  return projectError(`${describeRole(file)} names ${file.path}, which does not exist.`, file.role === 'listed' ? 'Correct COMPOSE_FILE (in .env, or the environment you run the setup in).' : `Check the folder.`);
}

function describeRole(file: { role: ComposeFileRole; from?: string }): string {
  switch (file.role) {
    case 'include':
      return `included by ${file.from}`;
    case 'extends':
      return `extended by ${file.from}`;
    case 'listed':
      return 'COMPOSE_FILE';
    case 'override':
      return 'the override Compose reads with the compose file';
    default:
      return 'the compose file';
  }
}

function isMapping(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

