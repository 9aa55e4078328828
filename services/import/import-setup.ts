/**
 * Import: an existing `.env` (and compose file) → a profile, plus what n8n would ignore or alter.
 * Compose files give the full picture (env_file, environment, mounts); a lone .env is read as the
 * container's env_file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { readComposeService } from '../../shared/compose/container-environment.js';
import { lastValues, parseEnvFile } from '../../shared/env-file/parse-env-file.js';
import { SetupError } from '../../shared/errors.js';
import { importProfile, type ImportResult } from '../../shared/n8n/import-profile.js';

export interface ImportRequest {
  envFile: string;
  composeFile?: string;
}

export interface ImportReport extends ImportResult {
  ok: true;
  /** Lines of the .env Compose would refuse, with their line numbers. */
  parseErrors: Array<{ line: number; message: string }>;
}

export async function importSetup(request: ImportRequest): Promise<ImportReport> {
  const envText = await readRequired(request.envFile, '--env');
  const parsed = parseEnvFile(envText);
  if (!request.composeFile) {
    return { ok: true, ...importProfile({ environment: Object.fromEntries(lastValues(parsed)) }), parseErrors: parsed.errors };
  }
  const composeText = await readRequired(request.composeFile, '--compose');
  const projectDir = dirname(resolve(request.composeFile));
  const service = readComposeService({
    composeText,
    projectEnv: envText,
    readEnvFile: (path) => {
      const full = resolve(projectDir, path);
      if (full === resolve(request.envFile)) return envText;
      try {
        return readFileSync(full, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  if (!service) {
    throw new SetupError({
      code: 'INVALID_ARGUMENT',
      field: 'compose',
      message: `${request.composeFile} has no service that is clearly n8n (none, or several, use an n8nio/n8n image).`,
      fix: 'Import the .env alone (leave out --compose), or name the n8n service "n8n".',
    });
  }
  const environment = service.envFiles.length ? service.environment : { ...Object.fromEntries(lastValues(parsed)), ...service.environment };
  const result = importProfile({ environment, mounts: service.mounts, ...(service.image && { image: service.image }), proxy: service.proxy });
  return { ok: true, ...result, parseErrors: parsed.errors };
}

async function readRequired(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: option.slice(2), message: `Cannot read ${option} ${path}: ${(error as Error).message}`, fix: 'Check the path.' }, { cause: error });
  }
}
