/**
 * The secrets `.env` holds that nothing reads once this export is written (one it stops passing on
 * included: moving the password to a secret file leaves SMTP_PASS unread), and which of them it removes:
 * only those asked for by name, each checked to be one of them (docs/unused-secrets.md).
 */
import { SetupError } from '../errors.js';
import { findUnusedSecrets, type UnusedSecret } from '../deployment/unused-secrets.js';
import { parseEnvFile } from '../env-file/parse-env-file.js';
import { isProjectEnv } from './deployment-placement.js';
import type { ExistingFiles } from './existing-deployment.js';

export interface OfferedSecret extends UnusedSecret {
  /** This export removes it (it was asked to). */
  remove: boolean;
}

/** The planned files that decide what Compose will read. */
type PlannedText = { path: string; content: string; kind: string };

export function unusedSecretsAfterExport(existing: ExistingFiles, planned: readonly PlannedText[], remove: readonly string[]): OfferedSecret[] {
  const envNow = existing.env;
  if (envNow === undefined) {
    refuseRemovals(remove, (key) => `there is no .env to hold ${key}`);
    return [];
  }
  const env = planned.find((file) => isProjectEnv(file.path))?.content ?? envNow;
  const composeFiles: Array<{ name: string; text: string | undefined }> = planned.filter((file) => file.kind === 'compose').map((file) => ({ name: file.path, text: file.content }));
  const projectFiles = Object.entries(existing.composeFiles ?? {}).map(([name, text]) => ({ name, text }));
  for (const file of [existing.compose, existing.composeOverride, ...projectFiles, ...(existing.otherComposeFiles ?? [])]) {
    if (file && !composeFiles.some((f) => f.name === file.name)) composeFiles.push(file);
  }
  const envFiles = new Map(Object.entries(existing.envFiles ?? {}));
  for (const file of planned) if (file.kind === 'env' && !isProjectEnv(file.path)) envFiles.set(file.path, file.content);
  const unused = findUnusedSecrets({ composeFiles, env, readEnvFile: (path) => envFiles.get(path.replace(/^(\.\/)+/, '')) });

  refuseRemovals(remove, unused.whyKept);
  // Lines as the admin sees the file now, before this export moves anything.
  const entriesNow = parseEnvFile(envNow).entries;
  return unused.found.map((secret) => {
    const lines = entriesNow.filter((entry) => entry.key === secret.key).map((entry) => entry.line);
    return { ...secret, lines: lines.length > 0 ? lines : secret.lines, remove: remove.includes(secret.key) };
  });
}

function refuseRemovals(remove: readonly string[], whyKept: (key: string) => string | undefined): void {
  const refused = [...new Set(remove)].flatMap((key) => whyKept(key) ?? []);
  if (refused.length > 0) {
    throw new SetupError({
      code: 'NOT_AN_UNUSED_SECRET',
      field: 'removeUnusedSecrets',
      message: `Only secrets in .env that nothing reads any more can be removed: ${refused.join('; ')}. Nothing was changed.`,
      fix: 'Ask to remove only the keys the report lists as secrets no service reads; export keeps every other key (and updates it in place when it carries a setting).',
    });
  }
}
