/**
 * Profile + what is already on disk → the complete set of files to write, a per-key diff and warnings.
 * Pure: the export service reads the inputs and writes the result; the wizard's review shows it.
 */
import type { Warning } from '../errors.js';
import { buildComposeFile, overrideFileName, type ComposeFile } from '../compose/build-compose-file.js';
import type { N8nServiceSpec } from '../compose/compose-spec.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { mergeEnvFile } from '../env-file/merge-env-file.js';
import { parseEnvFile, type EnvEntry } from '../env-file/parse-env-file.js';
import { deriveN8nSettings, managedVariables } from '../n8n/derive-n8n-settings.js';
import { N8N_VARIABLES, type VariableName } from '../n8n/n8n-variables.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import { chooseImage, chooseTimezone, composeHoldsSecret, overrideWarnings, readExistingDeployment, type ComposeText, type ExistingFiles } from './existing-deployment.js';
import { describeEnvChanges, type KeyChange } from './key-changes.js';
import { mountedFiles, mountFolder } from './mounted-files.js';
import { proxyFiles } from './proxy-files.js';
import { SECRET_FILES, secretContainerPath, secretFilePath, type SecretFileVariable } from './secret-files.js';
import { refuseIfEncryptionKeyExists, secretValue } from './secret-placement.js';
import { normalizeSecretValue } from './secret-value-rules.js';
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
}

export type FileKind = 'env' | 'compose' | 'secret' | 'template' | 'certificate' | 'proxy' | 'variables';

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
}

type Placement = { variable: VariableName; value: string };
type EnvBefore = ReadonlyMap<string, EnvEntry>;

export function planExport(input: ExportInput): ExportPlan {
  const { profile, existing } = input;
  const warnings: Warning[] = [];
  const deployment = readExistingDeployment(existing);
  const image = chooseImage(profile, deployment, warnings);
  const timezone = chooseTimezone(profile, deployment, input.machineTimezone);
  const settings = deriveN8nSettings(profile, { image, timezone, existing: deployment.environment });
  warnings.push(...settings.warnings);
  const managed = managedVariables(profile, deployment.environment);
  warnings.push(...overrideWarnings(existing, managed));
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
    const value = normalizeSecretValue(variable, secretValue(variable, input.secrets, envBefore, existing.secretFiles));
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

  const composeEnvironment: Record<string, string> = Object.fromEntries(composePlaced.map((p) => [p.variable, p.value]));
  for (const variable of fileSecrets) composeEnvironment[`${variable}_FILE`] = secretContainerPath(variable);
  const spec: N8nServiceSpec = {
    image,
    envFile: ENV_FILE,
    environment: composeEnvironment,
    managedEnvironment: managedNames,
    secrets: fileSecrets.map((v) => ({ name: SECRET_FILES[v], file: `./${secretFilePath(v)}` })),
    mounts: settings.mounts.map((m) => ({ source: `./${mountFolder(m.kind)}/${m.fileName}`, target: m.target, readOnly: true })),
    ports: { none: ['5678:5678'], external: ['127.0.0.1:5678:5678'], caddy: [], traefik: [] }[profile.deploy.proxy],
    proxy: proxySpec(profile),
  };
  const compose = planComposeFile(existing, spec);
  warnings.push(...compose.warnings, ...envFileAddedWarnings(compose, existing, envBefore, managedNames));

  const env = planEnvFile(existing.env, envPlaced, envBefore, managedNames, compose.text, warnings);
  const secretKeys = (names: Iterable<string>) => [...names].some((name) => name in SECRET_FILES);
  const files: PlannedFile[] = [
    { path: ENV_FILE, content: env.text, mode: 0o600, holdsSecret: secretKeys(envPlaced.map((p) => p.variable)), previousHeldSecret: secretKeys(envBefore.keys()), kind: 'env' },
    { path: compose.fileName, content: compose.text, mode: 0o644, holdsSecret: false, previousHeldSecret: composeHoldsSecret(existingComposeFile(existing, compose.fileName)), kind: 'compose' },
    ...fileSecrets.map((v) => ({ path: secretFilePath(v), content: secretValues.get(v) ?? '', mode: input.secretFileMode, holdsSecret: true, kind: 'secret' as const })),
    ...mountedFiles(settings.mounts, input.sources),
    ...proxyFiles(profile, spec.proxy, existing.caddyfile, warnings),
    variableListFile([...envPlaced, ...composePlaced], fileSecrets, profile),
  ];

  return {
    files,
    changes: [
      ...describeEnvChanges(ENV_FILE, envBefore, envPlaced, env.removed),
      ...compose.changedKeys.map((key) => ({ file: compose.fileName, key, action: 'change' as const, secret: false })),
    ],
    warnings,
    secrets: [
      ...envPlaced.filter((p) => p.variable in SECRET_FILES).map((p) => ({ variable: p.variable as SecretFileVariable, file: ENV_FILE })),
      ...fileSecrets.map((variable) => ({ variable, file: secretFilePath(variable) })),
    ],
  };
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
  if (proxy === 'none' || proxy === 'external') return { kind: proxy };
  const url = new URL(profile.url.public);
  const path = url.pathname.replace(/\/+$/, '');
  return { kind: proxy, host: url.hostname, acmeEmail: acmeEmail ?? '', ...(path && { pathPrefix: path }) };
}

