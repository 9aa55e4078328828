/**
 * The environment the n8n container gets from an existing `.env` (and compose file), for import and for
 * `smtp-test --env`. With a compose file: the n8n service's env_file entries and `environment:` (Compose
 * v2 rules), plus the secrets and bind mounts that make container paths real; a lone .env is read as the
 * container's env_file.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { posix} from 'node:path';
import { dirname, resolve } from 'node:path';
import { readComposeService, type ComposeServiceView } from '../../shared/compose/container-environment.js';
import { PLATFORM_MARKER_FILES } from '../../shared/deployment/deployment-platform.js';
import { lastValues, parseEnvFile, shownEnvFileError, type EnvFileProblem } from '../../shared/env-file/parse-env-file.js';
import { SetupError } from '../../shared/errors.js';
import type { ComposeFileRead } from '../../shared/deployment/load-compose-project.js';
import { projectError } from '../../shared/deployment/project-errors.js';
import { processComposeEnv } from '../export/read-project-files.js';
import { readTextFile, type TextSource } from '../input/read-text-input.js';

/** A lone .env, or a compose file (with its project .env beside it, or the one given). */
export interface ContainerEnvironmentRequest {
  envFile?: string;
  composeFile?: string;
  /** Where the files are read: this machine (the default), or a server's files fetched over SSH. */
  files?: ProjectFiles;
}

/** The files import reads, by absolute path: text (undefined when missing), whether a path is a regular file. */
export interface ProjectFiles {
  text(path: string, source: TextSource): string | undefined;
  /** undefined: nothing there. */
  isFile(path: string): boolean | undefined;
  path: Pick<typeof posix, 'resolve' | 'dirname'>;
  home: () => string;
}

const LOCAL_FILES: ProjectFiles = {
  text: readTextFile,
  isFile: (path) => statSync(path, { throwIfNoEntry: false })?.isFile(),
  path: { resolve, dirname },
  home: homedir,
};

export interface ContainerEnvironment {
  environment: Record<string, string>;
  /** The compose files read, relative to `projectDir` (or outside it), in the order Compose loads them. */
  files: ComposeFileRead[];
  /** Container path → host path as written in the compose file (relative to `projectDir`). */
  mounts: ComposeServiceView['mounts'];
  projectDir: string;
  service?: Pick<ComposeServiceView, 'image' | 'proxy' | 'acmeEmail' | 'deployment'>;
  /** Lines of the .env Compose would refuse, in words that never quote the value (it may be a password). */
  parseErrors: EnvFileProblem[];
}

export async function readContainerEnvironment(request: ContainerEnvironmentRequest): Promise<ContainerEnvironment> {
  const files = request.files ?? LOCAL_FILES;
  const { resolve, dirname } = files.path;
  if (!request.composeFile) {
    const envFile = request.envFile ?? '';
    const parsed = parseEnvFile(readRequired(files, envFile, 'env', 'The .env file'));
    return { environment: Object.fromEntries(lastValues(parsed)), files: [], mounts: [], projectDir: dirname(resolve(envFile)), parseErrors: parsed.errors.map(shownEnvFileError) };
  }
  const composeText = readRequired(files, request.composeFile, 'compose', 'The compose file');
  const projectDir = dirname(resolve(request.composeFile));
  // Without --env, the project .env is the one beside the compose file, as Compose reads it (if there is one).
  const envFile = request.envFile ?? resolve(projectDir, '.env');
  const envText = request.envFile ? readRequired(files, envFile, 'env', 'The .env file') : (files.text(envFile, { name: envFile, field: 'env', holds: 'the values it sets', showLine: true }) ?? '');
  const parsed = parseEnvFile(envText);
  const service = readComposeService({
    composeText,
    fileName: request.composeFile,
    projectEnv: envText,
    siblings: PLATFORM_MARKER_FILES.filter((name) => files.isFile(resolve(projectDir, name)) !== undefined),
    readEnvFile: (path) => {
      const full = resolve(projectDir, path.replace(/^~(?=\/|$)/, files.home()));
      if (full === resolve(envFile)) return envText;
      // A FIFO or device named as a file would be waited on for ever: Compose's files are regular files.
      if (files.isFile(full) === false) throw projectError(`${full}, named by ${request.composeFile}, is not a regular file.`, `Point the compose file at a compose or env file, not at ${full}.`);
      // Like Compose, stops at a file it cannot read; an env_file that is not there sets nothing.
      return files.text(full, { name: `${path} (read by ${request.composeFile})`, field: 'compose', holds: 'the values it sets', showLine: true });
    },
    composeEnv: request.files ? { pathSeparator: ':' } : processComposeEnv(),
  });
  if (!service) {
    throw new SetupError({
      code: 'INVALID_ARGUMENT',
      field: 'compose',
      message: `${request.composeFile} has no single main n8n service (one on n8n's image, or with n8n's settings, started without "worker", "webhook" or a one-off command).`,
      fix: 'Leave out --compose to read the .env alone, or name the main n8n service "n8n".',
    });
  }
  // Exactly what Compose gives the container: a .env key the service neither reads nor interpolates is not n8n's.
  const environment = service.environment;
  return {
    environment,
    files: service.files,
    mounts: service.mounts,
    projectDir,
    service: { ...(service.image && { image: service.image }), proxy: service.proxy, ...(service.acmeEmail && { acmeEmail: service.acmeEmail }), deployment: service.deployment },
    parseErrors: parsed.errors.map(shownEnvFileError),
  };
}

/** `field` is the CLI option without its dashes and the wizard's field alike. */
function readRequired(files: ProjectFiles, path: string, field: 'env' | 'compose', what: string): string {
  const text = files.text(path, { name: `${what} ${path}`, field, holds: 'the values it sets', showLine: true });
  if (text === undefined) throw new SetupError({ code: 'INVALID_ARGUMENT', field, message: `Cannot read ${what.toLowerCase()} ${path}: there is no such file.`, fix: 'Check the path.' });
  return text;
}

