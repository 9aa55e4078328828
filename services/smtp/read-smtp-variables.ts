/**
 * The N8N_SMTP_* values exactly as n8n would get them, from where they live: an existing `.env` with its
 * compose file (`_FILE` container paths mapped to host files through the service's secrets and bind
 * mounts), or this process's own environment (run inside the n8n container). `_FILE` follows @n8n/config:
 * used only when the variable itself is absent (even empty counts as present), contents trimmed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { CONTAINER } from '../../shared/n8n/n8n-variables.js';
import { SMTP_VARIABLES, type SmtpVariables } from '../../shared/smtp/n8n-mailer.js';
import type { SmtpWarning } from '../../shared/smtp/smtp-test-result.js';
import { readContainerEnvironment, type ContainerEnvironmentRequest } from '../import/read-container-environment.js';
import { readTextFile } from '../input/read-text-input.js';

export interface SmtpSource {
  variables: SmtpVariables;
  /** PEM of the extra CAs n8n trusts there (NODE_EXTRA_CA_CERTS, /opt/custom-certificates). */
  extraCa?: string;
  warnings: SmtpWarning[];
}

/** Maps a path as n8n sees it to a file this process can read. */
type PathMapper = (containerPath: string) => string | undefined;

/** Inside the n8n container: `docker compose exec n8n node /tmp/n8n-setup.cjs smtp-test --from-env …`. */
export function readSmtpVariablesFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): SmtpSource {
  const source = resolveFileVariables(env, (path) => path);
  // n8n's entrypoint trusts /opt/custom-certificates through variables that `docker compose exec` does not inherit.
  const custom = readCertificateFolder(CONTAINER.certificatesDir);
  return custom ? { ...source, extraCa: custom } : source;
}

/** An existing setup on this machine: what the n8n container would get from these files. */
export async function readSmtpVariablesFromFiles(request: ContainerEnvironmentRequest): Promise<SmtpSource> {
  const { environment, mounts, projectDir } = await readContainerEnvironment(request);
  const toHost: PathMapper = (containerPath) => {
    for (const mount of mounts) {
      const target = mount.target.replace(/\/+$/, '');
      if (containerPath !== target && !containerPath.startsWith(`${target}/`)) continue;
      const source = mount.source.startsWith('~') ? join(homedir(), mount.source.slice(1)) : mount.source;
      return resolve(isAbsolute(source) ? source : resolve(projectDir, source), `.${containerPath.slice(target.length)}`);
    }
    // Without a compose file there are no mounts: a path that exists here is taken as is.
    return request.composeFile ? undefined : containerPath;
  };
  const source = resolveFileVariables(environment, toHost);
  const caPath = environment.NODE_EXTRA_CA_CERTS ? toHost(environment.NODE_EXTRA_CA_CERTS) : undefined;
  const extraCa = caPath ? readCertificates(caPath, 'NODE_EXTRA_CA_CERTS') : undefined;
  return extraCa ? { ...source, extraCa } : source;
}

function resolveFileVariables(env: Readonly<Record<string, string | undefined>>, toHost: PathMapper): SmtpSource {
  const variables: SmtpVariables = {};
  const warnings: SmtpWarning[] = [];
  for (const name of SMTP_VARIABLES) {
    if (env[name] !== undefined) {
      variables[name] = env[name];
      if (env[`${name}_FILE`]) {
        warnings.push({ code: 'LINT_FILE_SHADOWED', message: `${name} is set${env[name] === '' ? ' (empty)' : ''}, so n8n ignores ${name}_FILE. Remove ${name} entirely.`, variables: [name] });
      }
      continue;
    }
    const containerPath = env[`${name}_FILE`];
    if (!containerPath) continue;
    const value = readSecretFile(name, containerPath, toHost(containerPath));
    variables[name] = value.trim();
    if (value !== value.trim()) {
      warnings.push({ code: 'LINT_FILE_TRIMMED', message: `The file of ${name}_FILE starts or ends with white space (often a final newline); n8n trims it and warns at start.`, variables: [name] });
    }
  }
  return { variables, warnings };
}

function readSecretFile(name: string, containerPath: string, hostPath: string | undefined): string {
  if (!hostPath) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field: `${name}_FILE`,
      message: `${name}_FILE is ${containerPath}, which no secret or bind mount of the n8n service provides: n8n would fail to start.`,
      fix: 'Mount the file there (compose "secrets:" or "volumes:"), or correct the path.',
    });
  }
  try {
    const text = readTextFile(hostPath, { name: `${hostPath} (${name}_FILE)`, field: `${name}_FILE`, holds: 'the secret', refuseNul: true });
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  } catch (error) {
    // Too large, not UTF-8, or with a NUL: said as such (n8n would use a mangled value); else: cannot be read.
    if (error instanceof SetupError && STRICT_READ_CODES.has(error.code)) throw error;
    throw new SetupError(
      {
        code: 'INVALID_VALUE',
        field: `${name}_FILE`,
        message: `Cannot read ${hostPath} (${name}_FILE=${containerPath}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. n8n reads it at start and stops when it cannot.`,
        fix: 'Check the path, and that the file is readable (n8n runs as uid 1000).',
      },
      { cause: error },
    );
  }
}

const STRICT_READ_CODES = new Set(['FILE_TOO_LARGE', 'FILE_NOT_UTF8', 'INPUT_HAS_NUL']);

/** A CA bundle, strictly and at most 1 MiB, as every file this tool reads. */
function readCertificates(path: string, field: string): string | undefined {
  return readTextFile(path, { name: `${path} (${field})`, field, holds: 'the certificates' });
}

/** The PEM files in a folder, concatenated; undefined when there is no such folder or nothing in it. */
function readCertificateFolder(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const pems = readdirSync(dir)
    .filter((file) => /\.(pem|crt)$/i.test(file))
    .flatMap((file) => readCertificates(join(dir, file), file) ?? []);
  return pems.length ? pems.join('\n') : undefined;
}
