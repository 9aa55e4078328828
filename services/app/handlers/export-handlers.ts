import { SetupError } from '../../../shared/errors.js';
import type { InputOf } from '../../../shared/ipc/contract.js';
import { exportSetup, type ExportReport } from '../../export/export-setup.js';
import { importSetup } from '../../import/import-setup.js';
import { loadProfile } from '../../profile/read-profile-file.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import { listExportBackups, listExports, restoreExport, restoreExportBackup } from '../../export/export-backups.js';
import { secretsForRun } from '../run-secrets.js';

type Channels = 'previewExport' | 'writeExport' | 'listBackups' | 'restoreBackup' | 'restoreExport' | 'importSetup';

export function exportHandlers(services: AppServices): HandlerGroup<Channels> {
  async function runExport(input: InputOf<'previewExport'>, dryRun: boolean): Promise<ExportReport> {
    // Relative template and CA paths mean "in the project folder", as in a profile imported from it.
    const loaded = loadProfile(input.profile, input.outDir);
    const { secrets, keychainProblem, bindToServer } = await secretsForRun(await services.secretStore(), loaded.resolved, input.secrets, { secretForNewServer: input.secretForNewServer }, services.sessionSecrets);
    const report = await exportSetup({ loaded, outDir: input.outDir, secrets, dryRun, ...(dryRun && { diffs: true }), ...(services.cliBundle && { cliBundle: services.cliBundle }), ...(input.removeUnusedSecrets && { removeUnusedSecrets: input.removeUnusedSecrets }) }).catch((error: unknown) => {
      // Nothing in the folder to keep either: the keychain's own error says what to do.
      throw keychainProblem && error instanceof SetupError && error.code === 'MISSING_SECRET' ? keychainProblem : error;
    });
    if (keychainProblem) report.warnings.push({ code: 'WARN_KEYCHAIN_UNAVAILABLE', message: `The secret already in the folder was kept: ${keychainProblem.message}` });
    const notBound = dryRun ? undefined : await bindToServer?.();
    if (notBound) report.warnings.push(notBound);
    return report;
  }

  return {
    previewExport: (input) => runExport(input, true),
    writeExport: (input) => runExport(input, false),
    listBackups: async ({ outDir }) => ({ backups: await listExportBackups(outDir), exports: await listExports(outDir) }),
    restoreBackup: ({ outDir, backup }) => restoreExportBackup(outDir, backup),
    restoreExport: ({ outDir, exportId, dryRun, expect }) => restoreExport(outDir, exportId, { ...(dryRun && { dryRun }), ...(expect && { expect }) }),
    importSetup: ({ envFile, composeFile }) => importSetup({ envFile, ...(composeFile && { composeFile }) }),
  };
}
