import { resolve } from 'node:path';
import { exportSetup, type ExportReport } from '../../services/export/export-setup.js';
import { readProfileFile } from '../../services/profile/read-profile-file.js';
import { describeUnusedSecret } from '../../shared/deployment/unused-secrets.js';
import { SetupError } from '../../shared/errors.js';
import type { KeyChange } from '../../shared/export/key-changes.js';
import { changesNoServiceShows, describeEntryChange, describeWrittenLine, hasChanges, shownValue } from '../../shared/export/service-change-words.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { formatLocation, parseLocation } from '../../shared/remote/remote-location.js';
import { applyCommand, SSH_FLAG_OPTIONS, SSH_FLAGS_HELP, withSsh } from '../ssh-session.js';
import { collectSecretInput } from '../read-secret-input.js';

export const EXPORT_HELP = `Usage: n8n-setup export --profile FILE --out DIR [options]

Writes (or updates) .env, the compose file, Docker secret files, copied templates and proxy
snippets in DIR, so that n8n reads exactly what the profile says. Existing files are merged:
only the keys this tool manages change; everything else stays byte for byte. Every replaced
file is backed up beside itself as <name>.<UTC time>-<random>.bak.

Options:
  --profile FILE           the profile JSON (see docs/profile.schema.json)
  --out DIR                the folder with (or for) your compose project; on a server over SSH:
                           user@host:/opt/n8n (a Host of ~/.ssh/config works) or
                           ssh://user@host:2222/opt/n8n — the same merge, backups, modes and
                           lock, done there (the server needs only sh and coreutils)
${SSH_FLAGS_HELP}
  --password-stdin         read the SMTP password from standard input (one trailing newline removed)
  --private-key-file FILE  the Google service account's private key (PEM, or its JSON key file)
  --secret-for-new-server  use the stored secret although the profile's server (host, port
                           or user) is not the one it was stored for; once written, it is
                           bound to this server
  --remove-unused-secret NAME
                           remove NAME from .env: a secret the report lists because no
                           service reads it any more (repeat for more; .env is backed up)
  --dry-run                show the changes (secrets masked) and write nothing: for an
                           existing compose project, service by service, with the file
                           and line each change lands in
  --json                   print one JSON object instead of text
  -h, --help               show this help

With no password given, the one stored with \`n8n-setup secret set\` (in the OS keychain) is
used; if none is stored, or the keychain cannot be used, a password already in DIR is kept.
A stored password belongs to the server it was stored for: a profile that points it at
another one stops with SECRET_ENDPOINT_CHANGED (exit 2) unless --secret-for-new-server is given.
A key in .env whose name says it holds a secret (SMTP_PASS, POSTGRES_PASSWORD, …), that has
a value, and that nothing in the compose files reads any more is listed, never removed on its
own: name it with --remove-unused-secret to remove its line. Keys still read are kept (and
updated in place when they carry a setting); naming one of them is an error.
Exit codes: 0 success, 2 invalid input, 1 anything else.
`;

const REMOVE_FLAG = '--remove-unused-secret';

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('export', args, {
    profile: { type: 'string' },
    out: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'private-key-file': { type: 'string' },
    'secret-for-new-server': { type: 'boolean' },
    'remove-unused-secret': { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    ...SSH_FLAG_OPTIONS,
  });
  if (values.help) return io.stdout(EXPORT_HELP), 0;
  if (!values.profile) throw invalidArgument('export: --profile FILE is required.', 'Pass the profile JSON, e.g. --profile production.json.');
  if (!values.out) throw invalidArgument('export: --out DIR is required.', 'Pass the folder of your compose project, e.g. --out /opt/n8n.');

  const location = parseLocation(values.out, '--out');
  if (location.kind === 'local' && (values['accept-host-key'] || values['ssh-config'])) throw invalidArgument('export: --accept-host-key and --ssh-config go with a server in --out (user@host:/opt/n8n).');
  const loaded = await readProfileFile(resolve(io.cwd, values.profile));
  const { secrets, keychainProblem, bindToServer } = await collectSecretInput(io, values, loaded);
  const dryRun = Boolean(values['dry-run']);
  const outDir = location.kind === 'local' ? resolve(io.cwd, location.path) : formatLocation(location);
  const removeUnusedSecrets = values['remove-unused-secret'] ?? [];
  const request = { loaded, secrets, dryRun, removeUnusedSecrets, ...(io.cliBundle && { cliBundle: io.cliBundle }) };
  const exported =
    location.kind === 'local'
      ? exportSetup({ ...request, outDir })
      : withSsh(io, values, location, undefined, async (ssh) => (await import('../../services/export/export-to-server.js')).exportToServer({ ...request, folder: { target: location, path: location.path, shown: outDir }, ssh }));
  const report = await exported.catch((error: unknown) => {
    // Nothing in the target to keep either: the keychain's own error says what to do.
    if (keychainProblem && error instanceof SetupError && error.code === 'MISSING_SECRET') throw keychainProblem;
    if (error instanceof SetupError && error.code === 'NOT_AN_UNUSED_SECRET') throw new SetupError({ ...error.toJSON(), field: REMOVE_FLAG });
    throw error;
  });
  if (keychainProblem) report.warnings.push({ code: 'WARN_KEYCHAIN_UNAVAILABLE', message: `The secret already in the target was kept: ${keychainProblem.message}` });
  const notBound = dryRun ? undefined : await bindToServer?.();
  if (notBound) report.warnings.push(notBound);
  if (values.json) io.stdout(`${JSON.stringify(jsonReport(report))}\n`);
  else io.stdout(humanReport(report, outDir));
  return 0;
}

/** The --json shape: never a secret (the generated encryption key is left out on purpose). */
function jsonReport(report: ExportReport) {
  return {
    ok: report.ok,
    dryRun: report.dryRun,
    // The spec's actions for both runs; a dry run says so in `dryRun`.
    files: report.files.map((f) => ({ ...f, action: f.action === 'would-create' ? 'created' : f.action === 'would-update' ? 'updated' : f.action })),
    changed: report.changed,
    changes: report.changes,
    warnings: report.warnings.map((w) => ({ code: w.code, message: w.message })),
    secrets: report.secrets,
    ...(report.services && { services: report.services }),
    unusedSecrets: report.unusedSecrets,
    ...(report.exportId && { exportId: report.exportId }),
    ...(report.generatedEncryptionKey && { encryptionKeyGenerated: true }),
  };
}

function humanReport(report: ExportReport, outDir: string): string {
  const lines: string[] = [];
  lines.push(report.dryRun ? 'Dry run: nothing was written.' : 'Export finished.');
  if (report.services) {
    lines.push(...serviceChangeLines(report.services));
    // Removed unread secrets have their own lines below.
    const removed = new Set(report.unusedSecrets.filter((secret) => secret.remove).map((secret) => `${secret.file}\0${secret.key}`));
    const others = changesNoServiceShows(report.changes, report.services).filter((c) => !removed.has(`${c.file}\0${c.key}`));
    if (others.length > 0) lines.push('', 'Also changed (no service reads these):', ...others.map((c) => `  ${changeLine(c, `${c.file}: ${c.key}`)}`));
  } else if (report.changes.length) {
    lines.push('', 'Changes:');
    for (const c of report.changes) lines.push(`  ${changeLine(c, `${c.file}: ${c.key}`)}`);
  } else lines.push('', 'No setting changes.');
  lines.push('', 'Files:');
  for (const f of report.files) lines.push(`  ${f.action.padEnd(12)} ${f.path}${f.mode ? ` (${f.mode})` : ''}${f.backup ? `  backup: ${f.backup}` : ''}`);
  for (const s of report.secrets) lines.push(`  ${s.variable} is stored in ${s.file}`);
  if (report.unusedSecrets.length) {
    lines.push('', 'Secrets no service reads any more:');
    for (const secret of report.unusedSecrets) {
      if (secret.remove) lines.push(`  - ${secret.key} ${report.dryRun ? 'would be' : 'was'} removed from ${secret.file}; the backup of ${secret.file} keeps it.`);
      else lines.push(`  ! ${describeUnusedSecret(secret)}`, `    To remove it (${secret.file} is backed up first): ${REMOVE_FLAG} ${secret.key}`);
    }
  }
  if (report.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of report.warnings) lines.push(`  ! ${w.message}`);
  }
  if (report.generatedEncryptionKey) {
    lines.push('', `New N8N_ENCRYPTION_KEY: ${report.generatedEncryptionKey}`, 'Keep this key safe (a password manager): n8n cannot decrypt its saved credentials without it. It is shown only this once.');
  }
  if (report.exportId) lines.push('', `To undo this export: n8n-setup restore --out ${outDir} --export ${report.exportId}`);
  if (!report.dryRun) lines.push('', `Apply it with: ${applyCommand(outDir)}   (not "restart": that keeps the old environment)`);
  return `${lines.join('\n')}\n`;
}

/** `+ KEY = value`, `~ KEY before → after`, `- KEY removed` (secrets come masked). */
function changeLine(change: Pick<KeyChange, 'action' | 'before' | 'after'>, what: string): string {
  const detail = change.action === 'remove' ? 'removed' : change.after === undefined ? 'updated' : change.action === 'add' ? `= ${shownValue(change.after)}` : `${shownValue(change.before ?? '')} → ${shownValue(change.after)}`;
  return `${change.action === 'add' ? '+' : change.action === 'remove' ? '-' : '~'} ${what} ${detail}`;
}

/** An existing deployment: each service that gets something, with the lines that change it; the others in one line. */
function serviceChangeLines(services: NonNullable<ExportReport['services']>): string[] {
  const changed = services.filter(hasChanges);
  const unchanged = services.filter((service) => !hasChanges(service));
  const lines = ['', changed.length > 0 ? 'Changes by service:' : 'No setting changes.'];
  for (const service of changed) {
    lines.push(`  ${service.name} — ${service.roleLabel}`);
    for (const v of service.variables) lines.push(`    ${changeLine(v, v.key)}   (${v.writtenIn.map((line) => describeWrittenLine(line, v.key)).join('; ')})`);
    for (const entry of service.entries) lines.push(`    ${describeEntryChange(entry)}`);
  }
  if (unchanged.length > 0) lines.push(`  ${unchanged.map((service) => service.name).join(', ')} — unchanged`);
  return lines;
}
