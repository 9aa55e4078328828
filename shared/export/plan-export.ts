/**
 * Profile + what is already on disk → the complete set of files to write, a per-key diff and warnings.
 * Pure: the export service reads the inputs and writes the result; the wizard's review shows it.
 */
import { SetupError, type Warning } from '../errors.js';
import type { Deployment } from '../deployment/deployment.js';
import { isPlatformPlaceholder, mainService } from '../deployment/deployment.js';
import { readDeployment } from '../deployment/read-deployment.js';
import { holdsSecretByName } from '../deployment/secret-names.js';
import { buildComposeFile, overrideFileName, type ComposeFile } from '../compose/build-compose-file.js';
import type { N8nServiceSpec } from '../compose/compose-spec.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { mergeEnvFile } from '../env-file/merge-env-file.js';
import { parseEnvFile, type EnvEntry } from '../env-file/parse-env-file.js';
import { deriveN8nSettings, managedVariables } from '../n8n/derive-n8n-settings.js';
import { N8N_VARIABLES, type VariableName } from '../n8n/n8n-variables.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import { chooseImage, chooseTimezone, composeHoldsSecret, existingDeploymentFiles, overrideWarnings, readExistingDeployment, type ComposeText, type ExistingFiles } from './existing-deployment.js';
import { describeEnvChanges, diffEnvFiles, isSecretKey, MASK, type KeyChange } from './key-changes.js';
import { describeServiceChanges, type ServiceChanges } from './service-changes.js';
import { describeComposeChanges } from './compose-key-changes.js';
import { NotInPlace, planDeploymentEdits } from './plan-deployment-edits.js';
import { mountedFiles, mountFolder } from './mounted-files.js';
import { proxyFiles } from './proxy-files.js';
import { SECRET_FILES, secretContainerPath, secretFilePath, type SecretFileVariable } from './secret-files.js';
import { refuseIfEncryptionKeyExists, secretValue } from './secret-placement.js';
import { normalizeSecretValue } from './secret-value-rules.js';
import { unusedSecretsAfterExport, type OfferedSecret } from './unused-secrets-after-export.js';
import { variableListFile } from './variable-list.js';

export const ENV_FILE = '.env';
export const ENV_BLOCK_TITLE = 'n8n user management and public URL (managed by n8n-setup)';

export interface ExportInput {
  profile: ResolvedProfile;
  existing: ExistingFiles & { secretFiles: Partial<Record<SecretFileVariable, string>> };
  /** Secrets given for this run; a needed secret not given is kept from the existing files. */
  secrets: Partial<Record<SecretFileVariable, string>>;
  /** Contents of the files the profile points at (templates by profile path, the CA bundle). */
  sources: Record<string, string>;
  /** Mode for secret files meant for the container (readable by n8n's uid; see services/export). */
  secretFileMode: number;
  /** This machine's zone: the default for a new setup whose profile names none. */
  machineTimezone?: string;
  /** Secrets left in .env that nothing reads, to remove: each must be one the plan lists. */
  removeUnusedSecrets?: readonly string[];
}

export type FileKind = 'env' | 'compose' | 'secret' | 'template' | 'certificate' | 'proxy' | 'variables' | 'tool';

export interface PlannedFile {
  path: string;
  content: string;
  /** Mode for a new file; an existing file keeps its mode unless it must be tightened (holdsSecret). */
  mode: number;
  holdsSecret: boolean;
  /** The file's previous content held a secret (its backup must be as tight as a secret file). */
  previousHeldSecret?: boolean;
  kind: FileKind;
}

export interface ExportPlan {
  files: PlannedFile[];
  changes: KeyChange[];
  warnings: Warning[];
  /** Where each secret ends up, for the review and the report. */
  secrets: Array<{ variable: SecretFileVariable; file: string }>;
  /** An existing deployment changed in place: what each of its services gets, and from which lines. */
  services?: ServiceChanges[];
  /** Secrets in .env that nothing reads after this export (names and lines only), and whether it removes them. */
  unusedSecrets: OfferedSecret[];
  /** What `docker compose` runs after the export: the project's compose file and its main n8n service. */
  project: ExportProject;
  /**
   * For masking a preview's line diffs, never for any output: every secret value known, and the variables secrets
   * flow through. A function: only a preview with diffs needs it, so an export does not parse the env files again.
   */
  masking: () => { values: string[]; carriers: string[] };
}

export interface ExportProject {
  composeFile: string;
  service: string;
}

type Placement = { variable: VariableName; value: string };
/** The plan before the unused secrets of .env are looked at. */
type PlanOfFiles = Omit<ExportPlan, 'unusedSecrets' | 'masking'> & { carriers?: string[] };
type EnvBefore = ReadonlyMap<string, EnvEntry>;

/** What both ways of writing share: the settings, where each secret goes, and what export manages. */
export interface PlannedSettings {
  image: string;
  settings: ReturnType<typeof deriveN8nSettings>;
  envPlaced: Placement[];
  composePlaced: Placement[];
  fileSecrets: SecretFileVariable[];
  secretValues: Map<SecretFileVariable, string>;
  /** Every key export may write or remove (`…_FILE` variants included). */
  managedNames: string[];
  envBefore: EnvBefore;
  warnings: Warning[];
}

export function planExport(input: ExportInput): ExportPlan {
  const { carriers = [], ...plan } = planFiles(input);
  return { ...withUnusedSecrets(input, plan), masking: () => ({ values: knownSecretValues(input, carriers), carriers }) };
}

/** Secrets given for this run, in secret files, and in env files under a secret's name or a carrier's. */
function knownSecretValues(input: ExportInput, carriers: readonly string[]): string[] {
  const { existing } = input;
  const carried = new Set(carriers);
  const inEnv = [existing.env, ...Object.values(existing.envFiles ?? {})].flatMap((text) => parseEnvFile(text ?? '').entries.filter((entry) => isSecretKey(entry.key, carried)).map((entry) => entry.value));
  return [...Object.values(input.secrets), ...Object.values(existing.secretFiles), ...inEnv].filter((value): value is string => typeof value === 'string' && value !== '');
}

function planFiles(input: ExportInput): PlanOfFiles {
  const { existing } = input;
  const deployment = existing.compose ? readExistingCompose(existing) : undefined;
  // The file builder knows one compose file and the override beside it, nothing that COMPOSE_FILE, include or extends add.
  const beyondBuilder = deployment?.files.some((file) => file.role !== 'compose' && file.role !== 'override');
  // The existing path edits what runs; adding or swapping a proxy service is the compose builder's job.
  if (deployment && sameProxy(input.profile.deploy.proxy, deployment)) {
    const planned = planSettings(input, { existing: true });
    try {
      return planDeploymentExport(input, planned, deployment);
    } catch (error) {
      if (!(error instanceof NotInPlace)) throw error;
      if (deployment.files.length > 1) throw notInPlaceAcrossFiles(deployment, error.message);
      planned.warnings.push({ code: 'COMPOSE_NOT_IN_PLACE', message: `The n8n services could not be changed in place (${error.message}).` });
      return planFileExport(input, planned);
    }
  }
  if (deployment && beyondBuilder) throw notInPlaceAcrossFiles(deployment, `the profile's proxy "${input.profile.deploy.proxy}" is not the one these files run (${deployment.proxy.kind}), and a proxy service is added only to a single compose file`);
  return planFileExport(input, planSettings(input, { existing: false }));
}

function planSettings(input: ExportInput, options: { existing: boolean }): PlannedSettings {
  const { profile, existing } = input;
  const warnings: Warning[] = [];
  const deployment = readExistingDeployment(existing);
  const image = chooseImage(profile, deployment, warnings);
  // A running deployment keeps its zone unless the profile names one; a new one gets this machine's.
  const timezone = options.existing ? profile.deploy.timezone : chooseTimezone(profile, deployment, input.machineTimezone);
  const settings = deriveN8nSettings(profile, { image, ...(timezone && { timezone }), existing: deployment.environment });
  warnings.push(...settings.warnings);
  const managed = managedVariables(profile, deployment.environment).filter((name) => !options.existing || !UNOWNED_IN_EXISTING.has(name) || name in settings.values);
  // In place, an override's keys are changed where they are; a file written whole cannot reach them.
  if (!options.existing) warnings.push(...overrideWarnings(existing, managed));
  const envBefore: EnvBefore = new Map(parseEnvFile(existing.env ?? '').entries.map((e) => [e.key, e]));

  const envPlaced: Placement[] = [];
  const composePlaced: Placement[] = [];
  for (const [variable, value] of Object.entries(settings.values) as Array<[VariableName, string]>) {
    const info = N8N_VARIABLES[variable];
    if ('place' in info && info.place === 'compose') composePlaced.push({ variable, value });
    else if (encodeEnvValue(value).ok) envPlaced.push({ variable, value });
    else {
      composePlaced.push({ variable, value });
      warnings.push({ code: 'WARN_VALUE_IN_COMPOSE', message: `${variable} has characters no .env spelling keeps intact everywhere; it is written to the compose file's environment instead.` });
    }
  }

  const generateKey = profile.deploy.encryptionKey === 'generate';
  if (generateKey) refuseIfEncryptionKeyExists(existing, deployment.environment, existing.secretFiles);
  const fileSecrets: SecretFileVariable[] = [];
  const secretValues = new Map<SecretFileVariable, string>();
  for (const variable of [...settings.secrets, ...(generateKey ? (['N8N_ENCRYPTION_KEY'] as const) : [])]) {
    const value = normalizeSecretValue(variable, secretValue(variable, input.secrets, envBefore, existing.secretFiles, deployment.environment));
    secretValues.set(variable, value);
    // Older n8n images ignore N8N_ENCRYPTION_KEY_FILE; a generated key is base64url, which .env always holds.
    const asFile = variable !== 'N8N_ENCRYPTION_KEY' && (profile.deploy.secrets === 'file' || !encodeEnvValue(value).ok);
    if (!asFile) envPlaced.push({ variable, value });
    else {
      fileSecrets.push(variable);
      if (profile.deploy.secrets === 'env') {
        warnings.push({ code: 'WARN_SECRET_AS_FILE', message: `The value of ${variable} cannot be spelled in .env so that every reader gets it exactly; it goes into ${secretFilePath(variable)} as a Docker secret instead.` });
      }
    }
  }

  // The encryption key is the admin's unless this export generates it: never removed, never replaced.
  const keepKey = (name: string) => generateKey || !name.startsWith('N8N_ENCRYPTION_KEY');
  const secretNames = Object.keys(SECRET_FILES).filter(keepKey);
  const managedNames = [...new Set([...managed, ...managed.map((v) => `${v}_FILE`), ...secretNames, ...secretNames.map((v) => `${v}_FILE`)])].filter(keepKey);
  return { image, settings, envPlaced, composePlaced, fileSecrets, secretValues, managedNames, envBefore, warnings };
}

/**
 * Variables a running deployment keeps as it set them unless the profile now needs them: the zone, and a
 * secure-cookie switch the admin chose (an https URL needs no N8N_SECURE_COOKIE, but it is not ours to drop).
 */
const UNOWNED_IN_EXISTING = new Set<VariableName>(['GENERIC_TIMEZONE', 'TZ', 'N8N_SECURE_COOKIE']);

/** A new folder, a lone `.env`, or a compose file that cannot be edited in place: the n8n service written whole (or an override). */
function planFileExport(input: ExportInput, planned: PlannedSettings): PlanOfFiles {
  const { profile, existing } = input;
  const { image, settings, envPlaced, composePlaced, fileSecrets, managedNames, envBefore } = planned;
  const warnings = [...planned.warnings];
  const composeEnvironment: Record<string, string> = Object.fromEntries(composePlaced.map((p) => [p.variable, p.value]));
  for (const variable of fileSecrets) composeEnvironment[`${variable}_FILE`] = secretContainerPath(variable);
  const spec = serviceSpec(profile, image, composeEnvironment, managedNames, fileSecrets, settings.mounts);
  const compose = planComposeFile(existing, spec);
  requireAcmeEmailForAddedProxy(profile, compose);
  warnings.push(...compose.warnings, ...envFileAddedWarnings(compose, existing, envBefore, managedNames));

  const env = planEnvFile(existing.env, envPlaced, envBefore, managedNames, compose.text, warnings);
  const files: PlannedFile[] = [
    envPlannedFile(env.text, envPlaced.map((p) => p.variable), envBefore),
    { path: compose.fileName, content: compose.text, mode: 0o644, holdsSecret: false, previousHeldSecret: composeHoldsSecret(existingComposeFile(existing, compose.fileName)), kind: 'compose' },
    ...secretAndSupportFiles(input, planned, spec.proxy, warnings),
  ];
  return {
    files,
    changes: [
      ...describeEnvChanges(ENV_FILE, envBefore, envPlaced, env.removed),
      ...describeComposeChanges(compose.fileName, existingComposeFile(existing, compose.fileName)?.text, compose.text, compose.changedKeys),
    ],
    warnings,
    secrets: secretPlaces(envPlaced, fileSecrets),
    project: { composeFile: existing.compose?.name ?? compose.fileName, service: compose.serviceName },
  };
}

/** A compose file whose n8n services can be edited in place: each value where it lives, nothing else touched. */
function planDeploymentExport(input: ExportInput, planned: PlannedSettings, deployment: Deployment): PlanOfFiles {
  const { profile, existing } = input;
  const { image, settings, envPlaced, composePlaced, fileSecrets, managedNames, envBefore } = planned;
  const warnings = [...planned.warnings];
  const desired = new Map<string, string | null>(managedNames.map((name) => [name, null]));
  for (const { variable, value } of [...envPlaced, ...composePlaced]) desired.set(variable, value);
  for (const variable of fileSecrets) desired.set(`${variable}_FILE`, secretContainerPath(variable));
  // No SMTP host already means no email to n8n: "none" needs no N8N_EMAIL_MODE there.
  const main = mainService(deployment)!;
  const mainHost = main.environment.N8N_SMTP_HOST?.value;
  if (profile.email.mode === 'none' && (!mainHost || isPlatformPlaceholder(mainHost))) desired.delete('N8N_EMAIL_MODE');
  // TZ is the container's zone, not n8n's: a deployment that never set it gets it only when its zone changes.
  if (!main.environment.TZ && main.environment.GENERIC_TIMEZONE?.value === desired.get('GENERIC_TIMEZONE')) desired.delete('TZ');
  const literalOnly = new Set([...desired.keys()].filter((key) => key.endsWith('_FILE') || key === 'NODE_EXTRA_CA_CERTS' || /^N8N_UM_EMAIL_TEMPLATES_/.test(key)));
  const spec = serviceSpec(profile, image, {}, managedNames, fileSecrets, settings.mounts);
  const targets = deployment.services.filter((s) => s.role === 'main' || s.role === 'worker' || s.role === 'webhook').map((s) => s.name);
  const files = existingDeploymentFiles(existing);
  const edits = planDeploymentEdits({
    deployment,
    files,
    targets,
    desired,
    literalOnly,
    spec,
    blockTitle: ENV_BLOCK_TITLE,
  });
  warnings.push(...edits.warnings);
  const envChanged = edits.envText !== existing.env;
  // The plain-variables list follows the settings: an export that changes none of them leaves it alone.
  const settingsChanged = envChanged || edits.composeFiles.length > 0 || edits.envFiles.length > 0 || fileSecrets.some((v) => planned.secretValues.get(v) !== existing.secretFiles[v]);
  const compose = existing.compose!;
  // Every compose file export may write is planned, changed or not, so that an unchanged one reads as such.
  const composeTexts = new Map([[compose.name, compose.text], ...edits.composeFiles.map((f) => [f.path, f.text] as [string, string])]);
  const plannedFiles: PlannedFile[] = [
    ...(edits.envText !== undefined ? [envPlannedFile(edits.envText, envPlaced.map((p) => p.variable), envBefore)] : []),
    ...[...composeTexts].map(([path, content]): PlannedFile => ({ path, content, mode: 0o644, holdsSecret: false, previousHeldSecret: composeHoldsSecret({ name: path, text: files.readFile(path) ?? (path === compose.name ? compose.text : '') }), kind: 'compose' })),
    ...edits.envFiles.map((file) => ({ path: file.path, content: file.text, mode: 0o600, holdsSecret: true, previousHeldSecret: true, kind: 'env' as const })),
    // Proxy snippets and the plain-variables list follow the settings: an export that changes none leaves them.
    ...secretAndSupportFiles(input, planned, spec.proxy, warnings).filter((file) => (file.kind !== 'variables' && file.kind !== 'proxy') || settingsChanged),
  ];
  // A variable a secret flows through is masked whatever its name (`N8N_SMTP_PASS: ${MAIL_PW}`).
  const carriers = new Set(deployment.services.flatMap((s) => Object.entries(s.environment).flatMap(([key, value]) => (holdsSecretByName(key) ? value.variables : []))));
  return {
    files: plannedFiles,
    changes: [
      ...(envChanged ? diffEnvFiles(ENV_FILE, existing.env, edits.envText, carriers) : []),
      ...edits.envFiles.flatMap((file) => diffEnvFiles(file.path, existing.envFiles?.[file.path], file.text, carriers)),
      ...[...new Set(edits.changedKeys.map((c) => c.file))].flatMap((file) => describeComposeChanges(file, files.readFile(file) ?? (file === compose.name ? compose.text : undefined), composeTexts.get(file) ?? '', edits.changedKeys.filter((c) => c.file === file).map((c) => c.key))),
    ],
    warnings,
    secrets: secretPlaces(envPlaced, fileSecrets),
    project: { composeFile: compose.name, service: main.name },
    carriers: [...carriers],
    services: describeServiceChanges(
      { deployment, env: existing.env, readFile: files.readFile },
      { deployment: edits.after, env: edits.envText, readFile: (path) => composeTexts.get(path) ?? edits.envFiles.find((file) => file.path === path)?.text ?? files.readFile(path) },
    ),
  };
}

/** Secrets .env keeps that nothing reads after this export: listed, and removed only when asked, line by line. */
function withUnusedSecrets(input: ExportInput, plan: Omit<PlanOfFiles, 'carriers'>): Omit<ExportPlan, 'masking'> {
  const unusedSecrets = unusedSecretsAfterExport(input.existing, plan.files, input.removeUnusedSecrets ?? []);
  const remove = unusedSecrets.filter((secret) => secret.remove).map((secret) => secret.key);
  if (remove.length === 0) return { ...plan, unusedSecrets };
  const planned = plan.files.find((file) => file.path === ENV_FILE);
  const content = mergeEnvFile(planned?.content ?? input.existing.env, { set: [], remove, blockTitle: ENV_BLOCK_TITLE });
  // The backup keeps the removed secrets: as private as a secret file.
  const env: PlannedFile = { ...(planned ?? { path: ENV_FILE, mode: 0o600, holdsSecret: false, kind: 'env' }), content, previousHeldSecret: true };
  return {
    ...plan,
    files: planned ? plan.files.map((file) => (file === planned ? env : file)) : [env, ...plan.files],
    changes: [...plan.changes, ...remove.map((key) => ({ file: ENV_FILE, key, action: 'remove' as const, before: MASK, secret: true }))],
    unusedSecrets,
  };
}

function serviceSpec(profile: ResolvedProfile, image: string, environment: Record<string, string>, managedNames: string[], fileSecrets: SecretFileVariable[], mounts: PlannedSettings['settings']['mounts']): N8nServiceSpec {
  return {
    image,
    envFile: ENV_FILE,
    environment,
    managedEnvironment: managedNames,
    secrets: fileSecrets.map((v) => ({ name: SECRET_FILES[v], file: `./${secretFilePath(v)}` })),
    mounts: mounts.map((m) => ({ source: `./${mountFolder(m.kind)}/${m.fileName}`, target: m.target, readOnly: true })),
    ports: { none: ['5678:5678'], external: ['127.0.0.1:5678:5678'], caddy: [], traefik: [], platform: [] }[profile.deploy.proxy],
    proxy: proxySpec(profile),
  };
}

function envPlannedFile(text: string, placed: readonly string[], envBefore: EnvBefore): PlannedFile {
  const secretKeys = (names: Iterable<string>) => [...names].some((name) => name in SECRET_FILES);
  return { path: ENV_FILE, content: text, mode: 0o600, holdsSecret: secretKeys(placed), previousHeldSecret: secretKeys(envBefore.keys()), kind: 'env' };
}

function secretAndSupportFiles(input: ExportInput, planned: PlannedSettings, proxy: N8nServiceSpec['proxy'], warnings: Warning[]): PlannedFile[] {
  const { fileSecrets, secretValues, settings, envPlaced, composePlaced } = planned;
  return [
    ...fileSecrets.map((v) => ({ path: secretFilePath(v), content: secretValues.get(v) ?? '', mode: input.secretFileMode, holdsSecret: true, kind: 'secret' as const })),
    ...mountedFiles(settings.mounts, input.sources, warnings),
    ...proxyFiles(input.profile, proxy, input.existing, warnings),
    variableListFile([...envPlaced, ...composePlaced], fileSecrets, input.profile),
  ];
}

function secretPlaces(envPlaced: Placement[], fileSecrets: SecretFileVariable[]): ExportPlan['secrets'] {
  return [
    ...envPlaced.filter((p) => p.variable in SECRET_FILES).map((p) => ({ variable: p.variable as SecretFileVariable, file: ENV_FILE })),
    ...fileSecrets.map((variable) => ({ variable, file: secretFilePath(variable) })),
  ];
}

/** A caddy or traefik service this export adds gets its certificates from Let's Encrypt, which needs an account email. */
function requireAcmeEmailForAddedProxy(profile: ResolvedProfile, compose: ComposeFile): void {
  const proxy = profile.deploy.proxy;
  if ((proxy !== 'caddy' && proxy !== 'traefik') || profile.deploy.acmeEmail || !compose.changedKeys.includes(`services.${proxy}`)) return;
  throw new SetupError({
    code: 'INVALID_PROFILE',
    field: 'deploy.acmeEmail',
    message: `deploy.acmeEmail is required with proxy "${proxy}": Let's Encrypt needs an account email to issue the certificate.`,
    fix: 'Add "acmeEmail": "you@example.com" under deploy.',
  });
}

/** A deployment spread over several compose files is changed in place or not at all: no second way writes one file of it. */
function notInPlaceAcrossFiles(deployment: Deployment, reason: string): SetupError {
  return new SetupError({
    code: 'EXPORT_NOT_IN_PLACE',
    message: `The n8n settings could not be written into ${deployment.files.map((f) => f.path).join(', ')}: ${reason}. Nothing was changed.`,
    fix: 'Set these variables by hand where the message says, or move the n8n service into a compose file in this folder, then export again.',
  });
}

/** The profile asks for the proxy the deployment already has (a tunnel counts as one outside the file). */
function sameProxy(wanted: ResolvedProfile['deploy']['proxy'], deployment: Deployment): boolean {
  const kind = deployment.proxy.kind === 'cloudflare-tunnel' ? 'external' : deployment.proxy.kind;
  return kind === wanted || (wanted === 'external' && kind === 'none') || (wanted === 'none' && kind === 'external');
}

/** The deployment the compose files describe, when it has exactly one main n8n service; else undefined. */
function readExistingCompose(existing: ExistingFiles): Deployment | undefined {
  try {
    const deployment = readDeployment(existingDeploymentFiles(existing));
    return mainService(deployment) ? deployment : undefined;
  } catch (error) {
    if (error instanceof SetupError) throw error;
    return undefined;
  }
}

/** The existing file the planned compose file replaces: the compose file or its override. */
function existingComposeFile(existing: ExistingFiles, fileName: string): ComposeText | undefined {
  return [existing.compose, existing.composeOverride].find((file) => file?.name === fileName);
}

/**
 * The compose file to write. When the n8n service cannot be edited in place the builder falls back to an
 * override; an override the admin already has is merged into, never replaced.
 */
function planComposeFile(existing: ExistingFiles, spec: N8nServiceSpec): ComposeFile {
  const compose = buildComposeFile(existing.compose, spec);
  const override = existing.composeOverride;
  if (!existing.compose || !override || compose.fileName !== overrideFileName(existing.compose.name)) return compose;
  const merged = buildComposeFile(override, spec);
  return { ...merged, warnings: [...compose.warnings, ...merged.warnings] };
}

/** Adding `env_file: .env` to an existing service hands n8n every key of the project .env: say which matter. */
function envFileAddedWarnings(compose: ComposeFile, existing: ExistingFiles, envBefore: EnvBefore, managed: readonly string[]): Warning[] {
  if (!existing.compose || !compose.changedKeys.some((key) => /\.env_file$/.test(key))) return [];
  const newlySeen = [...envBefore.keys()].filter((key) => !managed.includes(key) && /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_|GENERIC_|NODE_)/.test(key));
  if (newlySeen.length === 0) return [];
  return [
    {
      code: 'WARN_ENV_FILE_ADDED',
      message: `The n8n service now reads .env (env_file), so n8n also receives ${newlySeen.join(', ')} from it. Check that these were meant for n8n (a port used only for a mapping, for example, would change where n8n listens).`,
    },
  ];
}

function planEnvFile(existing: string | undefined, placed: Placement[], before: EnvBefore, managed: readonly string[], composeText: string, warnings: Warning[]): { text: string; removed: string[] } {
  const desired = new Set(placed.map((p) => p.variable as string));
  const set = placed
    .filter((p) => before.get(p.variable)?.value !== p.value || before.get(p.variable)?.interpolated)
    .map((p) => {
      const encoded = encodeEnvValue(p.value);
      if (!encoded.ok) throw new Error(`unreachable: ${p.variable} was placed in .env without a spelling`);
      return { key: p.variable, text: encoded.text };
    });
  const remove: string[] = [];
  for (const key of managed.filter((k) => !desired.has(k) && before.has(k))) {
    // The project .env also feeds Compose's interpolation: a key the compose file still uses stays.
    if (new RegExp(`\\$\\{?${key}\\b`).test(composeText)) {
      warnings.push({ code: 'WARN_KEY_KEPT_FOR_COMPOSE', message: `${key} stays in .env because the compose file refers to \${${key}}; n8n no longer needs it there, and it still reaches n8n through env_file.` });
    } else remove.push(key);
  }
  if (existing !== undefined && set.length === 0 && remove.length === 0) return { text: existing, removed: [] };
  return { text: mergeEnvFile(existing, { set, remove, blockTitle: ENV_BLOCK_TITLE }), removed: remove };
}

function proxySpec(profile: ResolvedProfile): N8nServiceSpec['proxy'] {
  const { proxy, acmeEmail } = profile.deploy;
  if (proxy === 'none' || proxy === 'external' || proxy === 'platform') return { kind: proxy };
  const url = new URL(profile.url.public);
  const path = url.pathname.replace(/\/+$/, '');
  return { kind: proxy, host: url.hostname, acmeEmail: acmeEmail ?? '', ...(path && { pathPrefix: path }) };
}

