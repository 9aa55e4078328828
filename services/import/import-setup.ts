/**
 * Import: an existing `.env` (and compose file) → a profile, plus what n8n would ignore or alter.
 * Compose files give the full picture (env_file, environment, mounts); a lone .env is read as the
 * container's env_file.
 */
import type { ComposeFileRead } from '../../shared/deployment/load-compose-project.js';
import { basename } from 'node:path';
import { summarizeDeployment, type DeploymentSummary } from '../../shared/deployment/deployment-summary.js';
import type { EnvFileProblem } from '../../shared/env-file/parse-env-file.js';
import { importProfile, type ImportResult } from '../../shared/n8n/import-profile.js';
import { readContainerEnvironment, type ContainerEnvironmentRequest } from './read-container-environment.js';

export type ImportRequest = ContainerEnvironmentRequest;

export interface ImportReport extends ImportResult {
  ok: true;
  /** The compose files read (relative to the compose file's folder), in the order Compose loads them: the override, COMPOSE_FILE's list, included and extended files. */
  files: ComposeFileRead[];
  /** Lines of the .env Compose would refuse, in words that never quote the value (it may be a password). */
  parseErrors: EnvFileProblem[];
  /** What the compose file runs: its services with their roles, the platform and the proxy (none for a lone .env). */
  deployment?: DeploymentSummary;
}

export async function importSetup(request: ImportRequest): Promise<ImportReport> {
  const { environment, files, mounts, service, parseErrors } = await readContainerEnvironment(request);
  const result = importProfile({ environment, ...(service && { mounts, ...(service.image && { image: service.image }), proxy: service.proxy, ...(service.acmeEmail && { acmeEmail: service.acmeEmail }) }) });
  const deployment = service && request.composeFile && summarizeDeployment({ ...service.deployment, composeFile: basename(request.composeFile) });
  return { ok: true, ...result, files, parseErrors, ...(deployment && { deployment }) };
}
