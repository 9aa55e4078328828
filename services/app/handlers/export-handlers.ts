import { SetupError } from '../../../shared/errors.js';
import type { InputOf } from '../../../shared/ipc/contract.js';
import { exportSetup, type ExportReport } from '../../export/export-setup.js';
import { importSetup } from '../../import/import-setup.js';
import { loadProfile } from '../../profile/read-profile-file.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import type { HandlerContext } from '../handler-context.js';
import { backupRows, listExportBackups, listExports, restoreExport, restoreExportBackup } from '../../export/export-backups.js';
import type { RemoteFolderRef } from '../../remote/remote-folder.js';
import { sshOptions, sshTarget } from './smtp-handlers.js';
import { secretsForRun } from '../run-secrets.js';

type Channels = 'previewExport' | 'writeExport' | 'listBackups' | 'restoreBackup' | 'restoreExport' | 'importSetup';

export function exportHandlers(services: AppServices): HandlerGroup<Channels> {
  async function runExport(input: InputOf<'previewExport'>, dryRun: boolean, context: HandlerContext): Promise<ExportReport> {
    // Relative template and CA paths mean "in the project folder", as in a profile imported from it; for a
    // folder on a server, the files the profile names are on this computer (in the home folder).
    const loaded = loadProfile(input.profile, input.server ? services.homeFolder : input.outDir);
    const { secrets, keychainProblem, bindToServer } = await secretsForRun(await services.secretStore(), loaded.resolved, input.secrets, { secretForNewServer: input.secretForNewServer }, services.sessionSecrets);
    const request = { loaded, secrets, dryRun, ...(dryRun && { diffs: true }), ...(services.cliBundle && { cliBundle: services.cliBundle }), ...(input.removeUnusedSecrets && { removeUnusedSecrets: input.removeUnusedSecrets }) };
    const exported = input.server
      ? (async () => {
          const { exportToServer } = await import('../../export/export-to-server.js');
          const { runId } = input;
          // A write on a server reports its steps and can be stopped until the files are replaced.
          const signal = runId ? services.smtpRuns.start(runId) : undefined;
          try {
            return await exportToServer({
              ...request,
              folder: await serverFolder(input.server!, input.outDir),
              ssh: { ...sshOptions(services), ...(signal && { signal }) },
              ...(runId && { onStep: (step: 'locked' | 'staged' | 'done') => context.emit('exportStep', { runId, step }) }),
            });
          } finally {
            if (runId) services.smtpRuns.finish(runId);
          }
        })()
      : exportSetup({ ...request, outDir: input.outDir });
    const report = await exported.catch((error: unknown) => {
      // Nothing in the folder to keep either: the keychain's own error says what to do.
      throw keychainProblem && error instanceof SetupError && error.code === 'MISSING_SECRET' ? keychainProblem : error;
    });
    if (keychainProblem) report.warnings.push({ code: 'WARN_KEYCHAIN_UNAVAILABLE', message: `The secret already in the folder was kept: ${keychainProblem.message}` });
    const notBound = dryRun ? undefined : await bindToServer?.();
    if (notBound) report.warnings.push(notBound);
    return report;
  }

  return {
    previewExport: (input, context) => runExport(input, true, context),
    writeExport: (input, context) => runExport(input, false, context),
    listBackups: async ({ outDir, server }) => {
      if (server) {
        const exports = await (await import('../../export/restore-on-server.js')).listExportsOnServer(await serverFolder(server, outDir), sshOptions(services));
        return { backups: backupRows(exports), exports };
      }
      return { backups: await listExportBackups(outDir), exports: await listExports(outDir) };
    },
    restoreBackup: async ({ outDir, backup, server }) => {
      if (!server) return restoreExportBackup(outDir, backup);
      const report = await (await import('../../export/restore-on-server.js')).restoreOnServer(await serverFolder(server, outDir), sshOptions(services), { backup });
      const first = report.restored[0];
      return { restored: first?.path ?? '', ...(first?.backup && { backup: first.backup }), ...(report.restoreId && { restoreId: report.restoreId }) };
    },
    restoreExport: async ({ outDir, exportId, dryRun, expect, server }) => {
      if (!server) return restoreExport(outDir, exportId, { ...(dryRun && { dryRun }), ...(expect && { expect }) });
      return (await import('../../export/restore-on-server.js')).restoreOnServer(await serverFolder(server, outDir), sshOptions(services), { exportId }, { ...(dryRun && { dryRun }), ...(expect && { expect }) });
    },
    importSetup: async ({ envFile, composeFile, server }) => {
      if (!server) return importSetup({ envFile, ...(composeFile && { composeFile }) });
      const { importFromServer } = await import('../../import/import-from-server.js');
      return importFromServer({ target: await sshTarget(server), envFile, ...(composeFile && { composeFile }) }, sshOptions(services));
    },
  };
}

/** The folder `outDir` on `server`, shown as the admin would write it for scp. */
async function serverFolder(server: string, outDir: string): Promise<RemoteFolderRef> {
  const { formatLocation } = await import('../../../shared/remote/remote-location.js');
  const target = await sshTarget(server);
  return { target, path: outDir, shown: formatLocation({ kind: 'remote', ...target, path: outDir }) };
}
