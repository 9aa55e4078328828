import { resolve } from 'node:path';
import { listExports, restoreExport, restoreExportBackup } from '../../services/export/export-backups.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import type * as RestoreOnServer from '../../services/export/restore-on-server.js';
import type { RemoteFolderRef } from '../../services/remote/remote-folder.js';
import type { SshOptions } from '../../services/remote/ssh-connection.js';
import { formatLocation, parseLocation } from '../../shared/remote/remote-location.js';
import { applyCommand, SSH_FLAG_OPTIONS, SSH_FLAGS_HELP, withSsh } from '../ssh-session.js';

export const RESTORE_HELP = `Usage: n8n-setup restore --out DIR (--list | --export ID [--dry-run] | --backup FILE) [--json]

Lists the exports recorded in DIR with the backups they made, or undoes one: a whole export
(every file it changed gets its backup back, every file it created is removed), or one file.
A restore first backs up what it replaces and is recorded itself, so it can be undone too.

Options:
  --out DIR        the folder export wrote to; on a server: user@host:/opt/n8n or
                   ssh://user@host:2222/opt/n8n (over SSH, with the same checks)
  --list           list recorded exports and their backups, newest first
  --export ID      undo this export (an ID as shown by --list)
  --dry-run        with --export: check every backup and say what would change; write nothing
  --backup FILE    restore this one backup (a path as shown by --list)
  --json           print one JSON object instead of text
${SSH_FLAGS_HELP}
  -h, --help       show this help
`;

export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('restore', args, { out: { type: 'string' }, list: { type: 'boolean' }, export: { type: 'string' }, backup: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, ...SSH_FLAG_OPTIONS });
  if (values.help) return io.stdout(RESTORE_HELP), 0;
  if (!values.out) throw invalidArgument('restore: --out DIR is required.', 'Pass the folder export wrote to.');
  if ([values.list, values.export, values.backup].filter(Boolean).length !== 1) {
    throw invalidArgument('restore: give one of --list, --export ID or --backup FILE.', 'Run `n8n-setup restore --out DIR --list` first.');
  }
  if (values['dry-run'] && !values.export) throw invalidArgument('restore: --dry-run goes with --export ID.', 'Run `n8n-setup restore --out DIR --export ID --dry-run`.');
  const location = parseLocation(values.out, '--out');
  if (location.kind === 'local' && (values['accept-host-key'] || values['ssh-config'])) throw invalidArgument('restore: --accept-host-key and --ssh-config go with a server in --out (user@host:/opt/n8n).');
  const outDir = location.kind === 'local' ? resolve(io.cwd, location.path) : formatLocation(location);
  // Here, or on the server over SSH: the same records, checks and writes.
  const onServer = async <T>(run: (ref: RemoteFolderRef, ssh: SshOptions, server: typeof RestoreOnServer) => Promise<T>): Promise<T> => {
    if (location.kind === 'local') throw new Error('internal: not a server');
    const server = await import('../../services/export/restore-on-server.js');
    return withSsh(io, values, location, undefined, (ssh) => run({ target: location, path: location.path, shown: outDir }, ssh, server));
  };
  const apply = applyCommand(outDir);

  if (values.list) {
    const records = location.kind === 'local' ? await listExports(outDir) : await onServer((ref, ssh, server) => server.listExportsOnServer(ref, ssh));
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, exports: records })}\n`);
    else io.stdout(records.length ? `${records.map(describeRecord).join('\n')}\n` : 'No recorded exports in this folder.\n');
    return 0;
  }

  if (values.export) {
    const dryRun = Boolean(values['dry-run']);
    const id = values.export;
    const report = { ok: true, ...(location.kind === 'local' ? await restoreExport(outDir, id, { dryRun }) : await onServer((ref, ssh, server) => server.restoreOnServer(ref, ssh, { exportId: id }, { dryRun }))) };
    if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
    else if (dryRun) {
      const lines = report.restored.map((r) => `  ${{ updated: 'would restore', created: 'would restore', removed: 'would remove', unchanged: 'as before   ' }[r.action]} ${r.path}`);
      const changed = report.changedSince.length ? `\nChanged after that export (what they hold now would be backed up first): ${report.changedSince.join(', ')}.` : '';
      io.stdout(`Undoing export ${values.export} would change:\n${lines.join('\n') || '  nothing'}${changed}\nNothing was written.\n`);
    } else {
      const lines = report.restored.filter((r) => r.action !== 'unchanged').map((r) => `  ${r.action === 'removed' ? 'removed ' : 'restored'} ${r.path}${r.backup ? ` (what it held is saved as ${r.backup})` : ''}`);
      const changed = report.changedSince.length ? `\nChanged after that export (their newer content is in the backups above): ${report.changedSince.join(', ')}.` : '';
      io.stdout(`Undid export ${values.export}:\n${lines.join('\n') || '  nothing to change'}${changed}\n${report.restoreId ? `To undo this restore: n8n-setup restore --out ${values.out} --export ${report.restoreId}\n` : ''}Apply it with: ${apply}\n`);
    }
    return 0;
  }

  const backup = values.backup ?? '';
  const one =
    location.kind === 'local'
      ? await restoreExportBackup(outDir, backup)
      : await onServer(async (ref, ssh, server) => {
          const restored = await server.restoreOnServer(ref, ssh, { backup });
          const first = restored.restored[0];
          return { restored: first?.path ?? '', ...(first?.backup && { backup: first.backup }), ...(restored.restoreId && { restoreId: restored.restoreId }) };
        });
  const report = { ok: true, ...one };
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else io.stdout(`Restored ${report.restored} from ${values.backup}.${report.backup ? ` The file it replaced is saved as ${report.backup}.` : ''}\nApply it with: ${apply}\n`);
  return 0;
}

function describeRecord(record: Awaited<ReturnType<typeof listExports>>[number]): string {
  const files = record.files
    .filter((file) => file.action !== 'unchanged')
    .map((file) => `    ${file.action.padEnd(8)} ${file.path}${file.backup ? `   backup: ${file.backup.path}` : ''}`);
  return `${record.at}  ${record.kind} ${record.id}\n${files.join('\n')}`;
}
