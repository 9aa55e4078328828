/**
 * What the target folder already runs, as far as export must respect it: the n8n image, the environment
 * the container gets, and override files that would win over what we write.
 */
import { SetupError, type Warning } from '../errors.js';
import { readComposeService } from '../compose/container-environment.js';
import { lastValues, parseEnvFile } from '../env-file/parse-env-file.js';
import { DEFAULT_N8N_IMAGE, type VariableName } from '../n8n/n8n-variables.js';
import type { ComposeEnv } from '../deployment/compose-files.js';
import type { DeploymentFiles } from '../deployment/read-deployment.js';
import { imageVersion } from '../n8n/image-version.js';
import { SECRET_FILES } from './secret-files.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';

export interface ComposeText {
  name: string;
  text: string;
}

export interface ExistingFiles {
  env?: string;
  /** The project's compose file (compose.yaml, docker-compose.yml, …). */
  compose?: ComposeText;
  /** Its override file (compose.override.yaml beside compose.yaml, …), which Compose merges in and which wins. */
  composeOverride?: ComposeText;
  /** Every other compose file the project loads (the override, COMPOSE_FILE's others, included and extended files), by project path. */
  composeFiles?: Record<string, string>;
  /** COMPOSE_FILE and its separator from the environment export runs in (compose-files.ts). */
  composeEnv?: ComposeEnv;
  caddyfile?: string;
  /** Where the Caddyfile lives, relative to the folder (default `Caddyfile`): where the caddy service mounts it. */
  caddyfilePath?: string;
  /** The Caddyfile the caddy service mounts lies outside the folder (this absolute path): export never writes there. */
  caddyfileOutside?: string;
  /** The env files the project's services read (other than `.env`), by project path. */
  envFiles?: Record<string, string>;
  /** A platform's marker files beside the compose file (PLATFORM_MARKER_FILES) that are there. */
  siblings?: readonly string[];
  /** The other YAML files beside the compose file, which `docker compose -f` may load too; text undefined when unreadable. */
  otherComposeFiles?: Array<{ name: string; text: string | undefined }>;
}

/** The files of the project as the export read them, for readDeployment. */
export function existingDeploymentFiles(existing: ExistingFiles): DeploymentFiles {
  return {
    ...(existing.compose && { compose: existing.compose }),
    ...(existing.env !== undefined && { env: existing.env }),
    readFile: (path) => (path === '.env' ? existing.env : path === existing.compose?.name ? existing.compose.text : (existing.composeFiles?.[path] ?? existing.envFiles?.[path])),
    ...(existing.composeEnv && { composeEnv: existing.composeEnv }),
    ...(existing.siblings && { siblings: existing.siblings }),
  };
}

export interface ExistingDeployment {
  image?: string;
  /** The environment the n8n container gets today: project .env, then the service's env_file entries and environment. */
  environment: Record<string, string>;
}

export function readExistingDeployment(existing: ExistingFiles): ExistingDeployment {
  const envValues = Object.fromEntries(lastValues(parseEnvFile(existing.env ?? '')));
  const service = existing.compose ? readServiceOrNothing(existing) : undefined;
  return { ...(service?.image && { image: service.image }), environment: { ...envValues, ...service?.environment } };
}

function readServiceOrNothing(existing: ExistingFiles) {
  const { compose, env } = existing;
  try {
    return readComposeService({ composeText: compose!.text, fileName: compose!.name, ...(env !== undefined && { projectEnv: env }), readEnvFile: (path) => (path === '.env' ? env : (existing.composeFiles?.[path] ?? existing.envFiles?.[path])), ...(existing.composeEnv && { composeEnv: existing.composeEnv }) });
  } catch (error) {
    // An alias bomb stops here; any other unreadable compose file is reported by the compose builder.
    if (error instanceof SetupError) throw error;
    return undefined;
  }
}

/** The image export writes: the profile's, else the one the target runs, else the release we test against. */
export function chooseImage(profile: ResolvedProfile, deployment: ExistingDeployment, warnings: Warning[]): string {
  const running = deployment.image;
  const wanted = profile.deploy.image;
  if (!wanted) return running ?? DEFAULT_N8N_IMAGE;
  if (running && running !== wanted) {
    const from = imageVersion(running);
    const to = imageVersion(wanted);
    const downgrade = from && to && (to.major < from.major || (to.major === from.major && (to.minor < from.minor || (to.minor === from.minor && to.patch < from.patch))));
    warnings.push({
      code: downgrade ? 'WARN_IMAGE_DOWNGRADE' : 'WARN_IMAGE_CHANGED',
      message: downgrade
        ? `The n8n image goes back from ${running} to ${wanted}: n8n does not support running an older version on a database a newer one has migrated. Back up the data volume first, or remove deploy.image from the profile to keep ${running}.`
        : `The n8n image changes from ${running} to ${wanted}; docker compose up -d will pull and start it.`,
      field: 'deploy.image',
    });
  }
  return wanted;
}

/** The zone export writes: the profile's, else the one the target sets, else this machine's. */
export function chooseTimezone(profile: ResolvedProfile, deployment: ExistingDeployment, machineTimezone: string | undefined): string {
  return profile.deploy.timezone ?? deployment.environment.GENERIC_TIMEZONE ?? deployment.environment.TZ ?? machineTimezone ?? 'UTC';
}

/** An override the admin keeps beside the compose file wins over it: say which managed keys it sets. */
export function overrideWarnings(existing: ExistingFiles, managed: readonly VariableName[]): Warning[] {
  const override = existing.composeOverride;
  if (!override) return [];
  const shadowing = managed.filter((name) => new RegExp(`(^|[\\s"'-])${name}(_FILE)?\\s*[:=]`, 'm').test(override.text));
  if (shadowing.length === 0) return [];
  return [
    {
      code: 'WARN_OVERRIDE_SETS_MANAGED',
      message: `${override.name} also sets ${shadowing.join(', ')}, and Compose lets it win over ${existing.compose?.name ?? 'the compose file'}: n8n will not see the new values until you remove them there.`,
    },
  ];
}

/**
 * The compose file spells a secret out (`N8N_SMTP_PASS: hunter2`, not `${SMTP_PASS}`), so its backup must be
 * as private as a secret file. Read from the text, so a file the YAML parser refuses still counts; a block
 * scalar (`|`) counts as spelled out.
 */
export function composeHoldsSecret(compose: ComposeText | undefined): boolean {
  if (!compose) return false;
  const names = Object.keys(SECRET_FILES).join('|');
  return new RegExp(`(^|[\\s"'{,-])(${names})["']?[ \\t]*[:=][ \\t]*["']?(?!\\$\\{?[A-Za-z_])[^\\s#"']`, 'm').test(compose.text);
}
