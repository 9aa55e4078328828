/**
 * Where each n8n setting goes in an existing deployment, so that the change is as small as it can be and
 * touches nothing else. A value is changed where it lives: in the env_file that sets it, in the project
 * `.env` variable it flows through (`N8N_HOST=${N8N_HOST}`, `- N8N_HOST`, `https://${DOMAIN}/`), or as the
 * service's own literal. A new key is passed from `.env` with `NAME: ${NAME}`. A file's variable is changed
 * or added only when nothing else reads it (another service's environment or env_file, any other `${…}` in
 * the compose file, defaults included): otherwise the n8n service gets its own key.
 */
import type { Warning } from '../errors.js';
import { isPlatformPlaceholder, type Deployment, type DeploymentService, type EnvironmentValue } from '../deployment/deployment.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { isVariableName, N8N_VARIABLES, roleReads } from '../n8n/n8n-variables.js';
import { instanceBaseUrl, URL_VARIABLES } from '../n8n/public-url.js';
import { isOutsideFolder } from '../deployment/project-paths.js';

export const PROJECT_ENV = '.env';

export type PlacementEdit =
  /** Set (or remove, with null) a key of an env file: the project `.env` or an env_file. */
  | { kind: 'env-file'; file: string; key: string; value: string | null }
  /** Set a service's `environment:` key — to a `${NAME}` reference or a literal — or remove it (null). */
  | { kind: 'compose-env'; service: string; key: string; spelled: { reference: string } | { literal: string } | null };

export interface PlacementInput {
  deployment: Deployment;
  /** The services that get n8n's settings: main, workers, webhook processors. */
  targets: readonly string[];
  /** Each managed key's wanted value; null: it must be absent. */
  desired: ReadonlyMap<string, string | null>;
  /** Keys written only as compose literals (container paths). */
  literalOnly: ReadonlySet<string>;
  /** The text of every compose file of the project (where else a variable is used). */
  composeText: string;
}

type Wish =
  | { service: string; key: string; action: 'remove'; from: EnvironmentValue['from'] }
  | { service: string; key: string; action: 'literal'; value: string }
  /** Through a variable of an env file; `reference`: the service must also pass it on (`KEY: ${KEY}`). */
  | { service: string; key: string; action: 'file'; file: string; variable: string; value: string; reference?: string };

type FileWish = Extract<Wish, { action: 'file' }>;

export function placeSettings(input: PlacementInput): { edits: PlacementEdit[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const wishes: Wish[] = [];
  for (const name of input.targets) {
    const service = input.deployment.services.find((s) => s.name === name);
    if (!service) continue;
    const urlAlreadyRight = linksAlreadyRight(service, input.desired);
    for (const [key, want] of input.desired) {
      // Each process gets what it reads (the n8n table's readBy): a worker serves no sign-in cookie.
      if (service.role && !roleReads(service.role, key)) continue;
      if (urlAlreadyRight && (URL_VARIABLES as readonly string[]).includes(key)) continue;
      wishes.push(...wishFor(service, key, want, input));
    }
  }

  // A file variable takes one value, and only when nothing else reads it; else the services get their own keys.
  const groups = new Map<string, FileWish[]>();
  for (const wish of wishes) if (wish.action === 'file') groups.set(`${wish.file}\0${wish.variable}`, [...(groups.get(`${wish.file}\0${wish.variable}`) ?? []), wish]);
  for (const group of groups.values()) {
    const { file, variable } = group[0]!;
    const reason = new Set(group.map((w) => w.value)).size > 1 ? 'the services want different values for it' : otherReaders(file, variable, group, input);
    if (!reason) continue;
    for (const wish of group) {
      const literal: Wish = { service: wish.service, key: wish.key, action: 'literal', value: input.desired.get(wish.key)! };
      wishes.splice(wishes.indexOf(wish), 1, literal);
      warnings.push({ code: 'WARN_SETTING_IN_SERVICE', message: `${wish.key} of "${wish.service}" is written into the compose file rather than through ${variable} in ${file}, because ${reason}.` });
    }
  }
  return { edits: dedupe(wishes.flatMap(editsFor)), warnings };
}

function editsFor(wish: Wish): PlacementEdit[] {
  switch (wish.action) {
    case 'remove':
      return ['envFile' in wish.from ? { kind: 'env-file', file: wish.from.envFile, key: wish.key, value: null } : { kind: 'compose-env', service: wish.service, key: wish.key, spelled: null }];
    case 'literal':
      return [{ kind: 'compose-env', service: wish.service, key: wish.key, spelled: { literal: wish.value } }];
    case 'file':
      return [
        { kind: 'env-file', file: wish.file, key: wish.variable, value: wish.value },
        ...(wish.reference ? [{ kind: 'compose-env' as const, service: wish.service, key: wish.key, spelled: { reference: wish.reference } }] : []),
      ];
  }
}

/** What `service` needs for `key` to read `want` (or to be absent). */
function wishFor(service: DeploymentService, key: string, want: string | null, input: PlacementInput): Wish[] {
  const current = service.environment[key];
  const base = { service: service.name, key };
  // A value the platform fills in at deploy time is the platform's until the profile sets the key.
  if (want === null) return current && !isPlatformPlaceholder(current.value) ? [{ ...base, action: 'remove', from: current.from }] : [];
  if (current?.value === want) return [];
  // Absent means n8n's default: nothing to write when that is what is wanted.
  if (!current && isVariableName(key) && String(N8N_VARIABLES[key].default ?? '') === want) return [];
  const literal = input.literalOnly.has(key) || !encodeEnvValue(want).ok;
  if (current && 'envFile' in current.from) {
    const file = isProjectEnv(current.from.envFile) ? PROJECT_ENV : current.from.envFile;
    // An env_file outside the folder is not written: the service's own key wins over it.
    return [literal || isOutsideFolder(file) ? { ...base, action: 'literal', value: want } : { ...base, action: 'file', file, variable: key, value: want }];
  }
  if (current) {
    const through = literal ? undefined : solveThroughVariable(current, want);
    return [through ? { ...base, action: 'file', file: PROJECT_ENV, ...through } : { ...base, action: 'literal', value: want }];
  }
  if (literal) return [{ ...base, action: 'literal', value: want }];
  return [{ ...base, action: 'file', file: PROJECT_ENV, variable: key, value: want, reference: `\${${key}}` }];
}

/**
 * The service's links already come out as wanted (its base URL, by n8n's precedence, is the wanted one): the
 * variables that only carry the URL need no change, whichever of them it uses.
 */
function linksAlreadyRight(service: DeploymentService, desired: ReadonlyMap<string, string | null>): boolean {
  const wanted = desired.get('N8N_EDITOR_BASE_URL');
  if (!wanted) return false;
  const env = Object.fromEntries(Object.entries(service.environment).map(([key, value]) => [key, value.value]));
  return instanceBaseUrl(env) === wanted;
}

/**
 * The `.env` variable (and its value) that makes a compose value read `want`: the value is the variable
 * (`${V}`, `$V`, `${V:-default}`, or `- KEY` without a value), or one variable between fixed text
 * (`https://${DOMAIN}/`) whose ends `want` keeps.
 */
export function solveThroughVariable(current: EnvironmentValue, want: string): { variable: string; value: string } | undefined {
  if (current.spelled === undefined) return current.variables.length === 1 ? { variable: current.variables[0]!, value: want } : undefined;
  const whole = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(current.spelled);
  if (whole) return { variable: (whole[1] ?? whole[2])!, value: want };
  if (current.variables.length !== 1) return undefined;
  const variable = current.variables[0]!;
  const parts = current.spelled.split(new RegExp(`\\$\\{${variable}\\}|\\$${variable}(?![A-Za-z0-9_])`));
  if (parts.length !== 2 || parts.some((part) => part.includes('$'))) return undefined;
  const [prefix, suffix] = parts as [string, string];
  if (!want.startsWith(prefix) || !want.endsWith(suffix)) return undefined;
  const value = want.slice(prefix.length, want.length - suffix.length);
  return value === '' ? undefined : { variable, value };
}

/** Why `variable` of `file` must not change for these wishes: something else reads it. */
function otherReaders(file: string, variable: string, group: FileWish[], input: PlacementInput): string | undefined {
  const wished = new Set(group.map((w) => `${w.service}\0${w.key}`));
  const sameFile = (path: string) => (isProjectEnv(file) ? isProjectEnv(path) : normalize(path) === normalize(file));
  for (const service of input.deployment.services) {
    const ours = input.targets.includes(service.name);
    if (!ours && service.envFiles.some((entry) => sameFile(entry.at))) return `"${service.name}" reads all of ${file} (env_file)`;
    if (!isProjectEnv(file)) continue;
    for (const [key, value] of Object.entries(service.environment)) {
      const readsIt = value.variables.includes(variable) || (key === variable && 'envFile' in value.from && isProjectEnv(value.from.envFile));
      if (readsIt && !wished.has(`${service.name}\0${key}`) && !(ours && input.desired.has(key))) return `"${service.name}" also reads it (${key})`;
    }
  }
  if (!isProjectEnv(file)) return undefined;
  const references = input.composeText.match(new RegExp(`\\$\\{?${variable}(?![A-Za-z0-9_])`, 'g'))?.length ?? 0;
  const known = input.deployment.services.reduce((count, s) => count + Object.values(s.environment).filter((v) => v.spelled !== undefined && v.variables.includes(variable)).length, 0);
  if (references > known) return `the compose file uses \${${variable}} elsewhere too (labels, commands, another entry's default)`;
  return undefined;
}

export function isProjectEnv(path: string): boolean {
  return /^(\.\/)?\.env$/.test(path);
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '');
}

function dedupe(edits: PlacementEdit[]): PlacementEdit[] {
  const seen = new Set<string>();
  return edits.filter((edit) => {
    const id = JSON.stringify(edit);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
