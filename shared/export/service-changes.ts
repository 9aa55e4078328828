/**
 * What an export does to each service of an existing deployment, read from the deployment before and after
 * the planned edits as Compose hands it to the containers: the value each changed variable has in the
 * container, before and after (secrets masked), and the file lines that make the change; the mounts and
 * secrets a service gains or loses. A service that gets nothing is listed with no changes.
 */
import { environmentEntryLines } from '../compose/environment-entry-line.js';
import { listOf } from '../deployment/compose-values.js';
import type { Deployment, DeploymentService, EnvironmentValue, ServiceRole } from '../deployment/deployment.js';
import { inRoleOrder } from '../deployment/deployment-summary.js';
import { roleWords } from '../deployment/deployment-words.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { isProjectEnv, PROJECT_ENV } from './deployment-placement.js';
import { isSecretKey, MASK, type KeyChange } from './key-changes.js';

/** A line of a file that makes a change: in the new file, or in the old one for a line that goes. */
export interface WrittenLine {
  file: string;
  /** 1-based. */
  line: number;
  /** The key set on that line: the service's own, or the `.env` variable its value flows through. */
  key: string;
  removed: boolean;
}

/** A variable whose value in the service's container changes; secret values masked. */
export interface VariableChange extends Omit<KeyChange, 'file'> {
  writtenIn: WrittenLine[];
}

/** A mount (`volumes:`) or Docker secret (`secrets:`) the service gains or loses. */
export interface ServiceEntryChange {
  field: 'volumes' | 'secrets';
  action: 'add' | 'remove';
  entry: string;
}

export interface ServiceChanges {
  name: string;
  /** Undefined: not n8n. */
  role?: ServiceRole;
  roleLabel: string;
  variables: VariableChange[];
  entries: ServiceEntryChange[];
}

/** A deployment and the files it was read from. */
export interface DeploymentState {
  deployment: Deployment;
  env: string | undefined;
  /** Reads any file of the project (a compose file, an env file) by its project path (project-paths.ts). */
  readFile: (path: string) => string | undefined;
}

export function describeServiceChanges(before: DeploymentState, after: DeploymentState): ServiceChanges[] {
  const lines = { before: fileLines(before), after: fileLines(after) };
  const entries = { before: serviceEntries(before.deployment), after: serviceEntries(after.deployment) };
  return inRoleOrder(after.deployment.services).map((service) => {
    const old = before.deployment.services.find((s) => s.name === service.name)?.environment ?? {};
    const keys = [...new Set([...Object.keys(service.environment), ...Object.keys(old)])].filter((key) => old[key]?.value !== service.environment[key]?.value);
    return {
      name: service.name,
      ...(service.role && { role: service.role }),
      roleLabel: roleWords(service.role),
      variables: keys.map((key) => variableChange(service, key, old[key], { before, after, lines })),
      entries: entryChanges(entries.before.get(service.name), entries.after.get(service.name)),
    };
  });
}

interface Context {
  before: DeploymentState;
  after: DeploymentState;
  lines: { before: FileLines; after: FileLines };
}

function variableChange(service: DeploymentService, key: string, was: EnvironmentValue | undefined, { before, after, lines }: Context): VariableChange {
  const is = service.environment[key];
  const secret = isSecretKey(key);
  const shown = (value: string) => (secret ? MASK : value);
  const writtenIn: Array<WrittenLine | undefined> = [];
  if (!is) writtenIn.push(lines.before.setAt(service.name, key, was!, true));
  else {
    if (!was || was.spelled !== is.spelled || !sameSource(was.from, is.from)) writtenIn.push(lines.after.setAt(service.name, key, is, false));
    // The value flows through `.env` variables (`${N8N_HOST}`, a bare `- N8N_HOST`): each one that changed.
    for (const variable of is.variables) {
      if (before.deployment.projectEnv.get(variable) === after.deployment.projectEnv.get(variable)) continue;
      const removed = !after.deployment.projectEnv.has(variable);
      writtenIn.push((removed ? lines.before : lines.after).setAt(service.name, variable, { from: { envFile: PROJECT_ENV } }, removed));
    }
  }
  return {
    key,
    action: !was ? 'add' : !is ? 'remove' : 'change',
    ...(was && { before: shown(was.value) }),
    ...(is && { after: shown(is.value) }),
    secret,
    writtenIn: unique(writtenIn),
  };
}

function sameSource(a: EnvironmentValue['from'], b: EnvironmentValue['from']): boolean {
  if ('envFile' in a && 'envFile' in b) return shownPath(a.envFile) === shownPath(b.envFile);
  return 'environment' in a && 'environment' in b;
}

interface FileLines {
  setAt(service: string, key: string, value: Pick<EnvironmentValue, 'from' | 'declaredIn'>, removed: boolean): WrittenLine | undefined;
}

/** Finds where a key is set in one version of the files: an env file's line, or the service's `environment:` entry. */
function fileLines(state: DeploymentState): FileLines {
  const envEntries = new Map<string, ReturnType<typeof parseEnvFile>['entries']>();
  const envLine = (file: string, key: string) => {
    if (!envEntries.has(file)) envEntries.set(file, parseEnvFile((isProjectEnv(file) ? state.env : state.readFile(file)) ?? '').entries);
    return envEntries.get(file)!.findLast((entry) => entry.key === key)?.line;
  };
  const composeLines = new Map<string, ReturnType<typeof environmentEntryLines>>();
  const composeLine = (file: string, service: string, key: string) => {
    if (!composeLines.has(file)) composeLines.set(file, environmentEntryLines(state.readFile(file) ?? ''));
    return composeLines.get(file)!(service, key);
  };
  return {
    setAt(service, key, value, removed) {
      const { from } = value;
      // The definition that sets the key: an override's, an extended service's, or the service's own.
      const declared = value.declaredIn ?? { file: state.deployment.composeFile, service };
      const file = 'envFile' in from ? shownPath(from.envFile) : declared.file;
      const line = 'envFile' in from ? envLine(from.envFile, key) : composeLine(declared.file, declared.service, key);
      return line === undefined ? undefined : { file, line, key, removed };
    },
  };
}

function shownPath(path: string): string {
  return isProjectEnv(path) ? PROJECT_ENV : path.replace(/^\.\//, '');
}

function unique(lines: Array<WrittenLine | undefined>): WrittenLine[] {
  const seen = new Set<string>();
  return lines.filter((line): line is WrittenLine => {
    if (!line || seen.has(`${line.file}:${line.line}:${line.removed}`)) return false;
    seen.add(`${line.file}:${line.line}:${line.removed}`);
    return true;
  });
}

type Entries = Record<ServiceEntryChange['field'], string[]>;

/** Each service's mounts and secrets as Compose reads them (every file merged), in a comparable spelling. */
function serviceEntries(deployment: Deployment): Map<string, Entries> {
  const resolved = deployment.resolved as { services?: Record<string, Record<string, unknown> | null> } | null;
  return new Map(
    Object.entries(resolved?.services ?? {}).map(([name, raw]) => [
      name,
      {
        volumes: listOf(raw?.volumes).map(entrySpelling),
        secrets: listOf(raw?.secrets).map(entrySpelling),
      },
    ]),
  );
}

/** Short syntax as written; long syntax as its parts joined the short way (`./a:/b:ro`). */
function entrySpelling(entry: unknown): string {
  if (!entry || typeof entry !== 'object') return String(entry);
  const fields = entry as Record<string, unknown>;
  const short = [fields.source, fields.target].filter((value) => typeof value === 'string').join(':');
  return fields.read_only === true ? `${short}:ro` : short;
}

function entryChanges(before: Entries | undefined, after: Entries | undefined): ServiceEntryChange[] {
  return (['volumes', 'secrets'] as const).flatMap((field) => {
    const was = before?.[field] ?? [];
    const is = after?.[field] ?? [];
    return [
      ...is.filter((entry) => !was.includes(entry)).map((entry) => ({ field, action: 'add' as const, entry })),
      ...was.filter((entry) => !is.includes(entry)).map((entry) => ({ field, action: 'remove' as const, entry })),
    ];
  });
}
