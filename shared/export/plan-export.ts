/**
 * Profile + what is already on disk → the complete set of files to write, a per-key diff and warnings.
 * Pure: the export service reads the inputs and writes the result; the wizard's review shows it.
 */
import { SetupError, type Warning } from '../errors.js';
import { buildComposeFile } from '../compose/build-compose-file.js';
import type { N8nServiceSpec } from '../compose/compose-spec.js';
import { encodeEnvValue } from '../env-file/encode-env-value.js';
import { mergeEnvFile } from '../env-file/merge-env-file.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { deriveN8nSettings, MANAGED_VARIABLES } from '../n8n/derive-n8n-settings.js';
import { missingPlaceholders, TEMPLATE_KINDS } from '../n8n/email-templates.js';
import { N8N_VARIABLES, type VariableName } from '../n8n/n8n-variables.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import { describeEnvChanges, type KeyChange } from './key-changes.js';
import { proxyFiles } from './proxy-files.js';
import { SECRET_FILES, secretContainerPath, secretFilePath, type SecretFileVariable } from './secret-files.js';
import { normalizeSecretValue } from './secret-value-rules.js';
import { variableListFile } from './variable-list.js';

export const ENV_FILE = '.env';
export const ENV_BLOCK_TITLE = 'n8n user management and public URL (managed by n8n-setup)';

export interface ExportInput {
  profile: ResolvedProfile;
  existing: {
    env?: string;
    compose?: { name: string; text: string };
    secretFiles: Partial<Record<SecretFileVariable, string>>;
  };
  /** Secrets given for this run; a needed secret not given is kept from the existing files. */
  secrets: Partial<Record<SecretFileVariable, string>>;
  /** Contents of the files the profile points at (templates by profile path, the CA bundle). */
  sources: Record<string, string>;
  /** Mode for secret files meant for the container (readable by n8n's uid; see services/export). */
  secretFileMode: number;
}

export type FileKind = 'env' | 'compose' | 'secret' | 'template' | 'certificate' | 'proxy' | 'variables';

export interface PlannedFile {
  path: string;
  content: string;
  /** Mode for a new file; an existing file keeps its mode unless it must be tightened (holdsSecret). */
  mode: number;
  holdsSecret: boolean;
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

export function planExport(input: ExportInput): ExportPlan {
  const { profile } = input;
  const settings = deriveN8nSettings(profile);
  const warnings: Warning[] = [...settings.warnings];
  const existingEnv = input.existing.env === undefined ? undefined : parseEnvFile(input.existing.env);
  const envBefore = new Map(existingEnv?.entries.map((e) => [e.key, e]) ?? []);

  const envPlaced: Placement[] = [];
  const composePlaced: Placement[] = [];
  const fileSecrets: SecretFileVariable[] = [];
  const secretValues = new Map<SecretFileVariable, string>();

  for (const [variable, value] of Object.entries(settings.values) as Array<[VariableName, string]>) {
    const info = N8N_VARIABLES[variable];
    if ('place' in info && info.place === 'compose') composePlaced.push({ variable, value });
    else if (encodeEnvValue(value).ok) envPlaced.push({ variable, value });
    else {
      composePlaced.push({ variable, value });
      warnings.push({ code: 'WARN_VALUE_IN_COMPOSE', message: `${variable} has characters no .env spelling keeps intact everywhere; it is written to the compose file's environment instead.` });
    }
  }

  const neededSecrets: SecretFileVariable[] = [...settings.secrets];
  if (profile.deploy.encryptionKey === 'generate') {
    const composeText = input.existing.compose?.text ?? '';
    if (envBefore.has('N8N_ENCRYPTION_KEY') || envBefore.has('N8N_ENCRYPTION_KEY_FILE') || /\bN8N_ENCRYPTION_KEY/.test(composeText)) {
      throw new SetupError({
        code: 'ENCRYPTION_KEY_EXISTS',
        field: 'deploy.encryptionKey',
        message: 'The target already has an N8N_ENCRYPTION_KEY; a new key would lock n8n out of its saved credentials and log everyone out.',
        fix: 'Set deploy.encryptionKey to "keep" (generate is for new instances only).',
      });
    }
    neededSecrets.push('N8N_ENCRYPTION_KEY');
  }

  for (const variable of neededSecrets) {
    const value = normalizeSecretValue(variable, secretValue(variable, input, envBefore));
    secretValues.set(variable, value);
    if (profile.deploy.secrets === 'env' && encodeEnvValue(value).ok) envPlaced.push({ variable, value });
    else {
      fileSecrets.push(variable);
      if (profile.deploy.secrets === 'env') {
        warnings.push({ code: 'WARN_SECRET_AS_FILE', message: `The value of ${variable} cannot be spelled in .env so that every reader gets it exactly; it goes into ${secretFilePath(variable)} as a Docker secret instead.` });
      }
    }
  }

  const env = planEnvFile(input.existing.env, envPlaced, envBefore);
  const managedInCompose = [...MANAGED_VARIABLES, ...MANAGED_VARIABLES.map((v) => `${v}_FILE`), ...Object.keys(SECRET_FILES).map((v) => `${v}_FILE`)];
  const composeEnvironment: Record<string, string> = Object.fromEntries(composePlaced.map((p) => [p.variable, p.value]));
  for (const variable of fileSecrets) composeEnvironment[`${variable}_FILE`] = secretContainerPath(variable);

  const spec: N8nServiceSpec = {
    image: profile.deploy.image,
    envFile: ENV_FILE,
    environment: composeEnvironment,
    managedEnvironment: [...new Set(managedInCompose)].filter((k) => profile.deploy.encryptionKey === 'generate' || !k.startsWith('N8N_ENCRYPTION_KEY')),
    secrets: fileSecrets.map((v) => ({ name: SECRET_FILES[v], file: `./${secretFilePath(v)}` })),
    mounts: settings.mounts.map((m) => ({ source: `./${mountFolder(m.kind)}/${m.fileName}`, target: m.target, readOnly: true })),
    ports: { none: ['5678:5678'], external: ['127.0.0.1:5678:5678'], caddy: [], traefik: [] }[profile.deploy.proxy],
    proxy: proxySpec(profile),
  };
  const compose = buildComposeFile(input.existing.compose, spec);
  warnings.push(...compose.warnings);

  const envHoldsSecret = envPlaced.some((p) => p.variable in SECRET_FILES);
  const files: PlannedFile[] = [
    { path: ENV_FILE, content: env.text, mode: 0o600, holdsSecret: envHoldsSecret, kind: 'env' },
    { path: compose.fileName, content: compose.text, mode: 0o644, holdsSecret: false, kind: 'compose' },
    ...fileSecrets.map((v) => ({ path: secretFilePath(v), content: secretValues.get(v) ?? '', mode: input.secretFileMode, holdsSecret: true, kind: 'secret' as const })),
    ...mountedFiles(settings.mounts, input.sources),
    ...proxyFiles(profile, spec.proxy),
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

function secretValue(variable: SecretFileVariable, input: ExportInput, envBefore: Map<string, { value: string; interpolated?: boolean }>): string {
  const given = input.secrets[variable];
  if (given !== undefined) return given;
  const inEnv = envBefore.get(variable);
  if (inEnv && !inEnv.interpolated) return inEnv.value;
  const inFile = input.existing.secretFiles[variable];
  if (inFile !== undefined) return inFile;
  const what = variable === 'N8N_SMTP_OAUTH_PRIVATE_KEY' ? 'service-account private key' : 'SMTP password';
  throw new SetupError({
    code: 'MISSING_SECRET',
    field: variable === 'N8N_SMTP_OAUTH_PRIVATE_KEY' ? 'privateKey' : 'password',
    message: `No ${what} was given and the target folder has none to keep${inEnv?.interpolated ? ` (its ${variable} refers to another variable, so its value cannot be known here)` : ''}.`,
    fix: variable === 'N8N_SMTP_OAUTH_PRIVATE_KEY' ? 'Pass --private-key-file FILE, or store it with `n8n-setup secret set`.' : 'Pipe it in with --password-stdin, or store it with `n8n-setup secret set`.',
  });
}

function planEnvFile(existing: string | undefined, placed: Placement[], before: Map<string, { value: string; interpolated?: boolean }>): { text: string; removed: string[] } {
  const desired = new Set(placed.map((p) => p.variable as string));
  const set = placed
    .filter((p) => before.get(p.variable)?.value !== p.value || before.get(p.variable)?.interpolated)
    .map((p) => {
      const encoded = encodeEnvValue(p.value);
      if (!encoded.ok) throw new Error(`unreachable: ${p.variable} was placed in .env without a spelling`);
      return { key: p.variable, text: encoded.text };
    });
  const managed = [...MANAGED_VARIABLES, ...Object.keys(SECRET_FILES)];
  const remove = [...new Set([...managed, ...managed.map((v) => `${v}_FILE`)])].filter((k) => !desired.has(k) && before.has(k) && k !== 'N8N_ENCRYPTION_KEY');
  if (existing !== undefined && set.length === 0 && remove.length === 0) return { text: existing, removed: [] };
  return { text: mergeEnvFile(existing, { set, remove, blockTitle: ENV_BLOCK_TITLE }), removed: remove };
}

function mountFolder(kind: 'template' | 'certificate'): string {
  return kind === 'template' ? 'templates' : 'certs';
}

function mountedFiles(mounts: ReturnType<typeof deriveN8nSettings>['mounts'], sources: Record<string, string>): PlannedFile[] {
  return mounts.map((mount) => {
    const content = sources[mount.source];
    const field = mount.kind === 'certificate' ? 'email.caFile' : `email.templates.${TEMPLATE_KINDS.find((t) => t.fileName === mount.fileName)?.kind}.file`;
    if (content === undefined) {
      throw new SetupError({ code: 'INVALID_VALUE', field, message: `${field}: cannot read ${mount.source}.`, fix: 'Check the path; relative paths are relative to the profile file.' });
    }
    if (mount.kind === 'certificate' && !content.includes('-----BEGIN CERTIFICATE-----')) {
      throw new SetupError({ code: 'INVALID_VALUE', field, message: `${field}: ${mount.source} holds no PEM certificate.`, fix: 'Point it at the CA certificate in PEM form (a text file starting with -----BEGIN CERTIFICATE-----).' });
    }
    if (mount.kind === 'template') {
      const kind = TEMPLATE_KINDS.find((t) => t.fileName === mount.fileName);
      const missing = kind ? missingPlaceholders(kind, content) : [];
      if (missing.length) {
        throw new SetupError({
          code: 'INVALID_VALUE',
          field,
          message: `${field}: ${mount.source} does not use ${missing.map((m) => `{{${m}}}`).join(', ')}, so the email would not contain the link the recipient needs.`,
          fix: `Add ${missing.map((m) => `{{${m}}}`).join(', ')} to the template, e.g. <a href="{{${missing[0]}}}">…</a>.`,
        });
      }
    }
    return { path: `${mountFolder(mount.kind)}/${mount.fileName}`, content, mode: 0o644, holdsSecret: false, kind: mount.kind };
  });
}

function proxySpec(profile: ResolvedProfile): N8nServiceSpec['proxy'] {
  const { proxy, acmeEmail } = profile.deploy;
  if (proxy === 'none' || proxy === 'external') return { kind: proxy };
  const url = new URL(profile.url.public);
  const path = url.pathname.replace(/\/+$/, '');
  return { kind: proxy, host: url.hostname, acmeEmail: acmeEmail ?? '', ...(path && { pathPrefix: path }) };
}

