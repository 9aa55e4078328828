import { resolve } from 'node:path';
import { listExportBackups, restoreExportBackup } from '../../services/export/export-backups.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';

export const RESTORE_HELP = `Usage: n8n-setup restore --out DIR (--list | --backup FILE) [--json]

Lists the backups export made in DIR, or puts one back. Restoring first backs up the
current file, so a restore can itself be undone.

Options:
  --out DIR        the folder export wrote to
  --list           list backups, newest first
  --backup FILE    restore this backup (a path as shown by --list)
  --json           print one JSON object instead of text
  -h, --help       show this help
`;

export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('restore', args, { out: { type: 'string' }, list: { type: 'boolean' }, backup: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.stdout(RESTORE_HELP), 0;
  if (!values.out) throw invalidArgument('restore: --out DIR is required.', 'Pass the folder export wrote to.');
  if (Boolean(values.list) === Boolean(values.backup)) throw invalidArgument('restore: give either --list or --backup FILE.', 'Run `n8n-setup restore --out DIR --list` first.');
  const outDir = resolve(io.cwd, values.out);

  if (values.list) {
    const rows = await listExportBackups(outDir);
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, backups: rows })}\n`);
    else io.stdout(rows.length ? `${rows.map((r) => `${r.takenAt}  ${r.backup}  (for ${r.target}, ${r.size} bytes)`).join('\n')}\n` : 'No backups in this folder.\n');
    return 0;
  }

  const report = { ok: true, ...(await restoreExportBackup(outDir, values.backup ?? '')) };
  if (values.json) io.stdout(`${JSON.stringify(report)}\n`);
  else io.stdout(`Restored ${report.restored} from ${values.backup}.${report.backup ? ` The file it replaced is saved as ${report.backup}.` : ''}\nApply it with: docker compose up -d\n`);
  return 0;
}
