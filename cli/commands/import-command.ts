import { resolve } from 'node:path';
import { writeFileAtomic } from '../../services/files/write-file-atomic.js';
import { importSetup, type ImportReport } from '../../services/import/import-setup.js';
import type { ComposeFileRead } from '../../shared/deployment/load-compose-project.js';
import { deploymentHeadline, serviceFacts, serviceLines } from '../../shared/deployment/deployment-summary.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { formatLocation, parseLocation } from '../../shared/remote/remote-location.js';
import { SSH_FLAG_OPTIONS, SSH_FLAGS_HELP, withSsh } from '../ssh-session.js';

export const IMPORT_HELP = `Usage: n8n-setup import (--compose FILE [--env FILE] | --env FILE) [--out FILE] [--json]

Reads an existing n8n .env (and compose file) into a profile, and reports every variable
n8n would ignore or alter, with n8n's reason (strict booleans, lowercase protocol, _FILE
shadowed by a defined variable, misspelled names, values n8n trims or unquotes). With a
compose file it also lists what the folder runs: the platform, what routes the public URL,
and every service with its role (main, worker, webhook processor, one-off task, runner).
Secrets are never copied into the profile.

Options:
  --env FILE       the .env file (default with --compose: the .env beside it)
  --compose FILE   the compose file (env_file, environment and mounts of the n8n service);
                   with the files Docker Compose loads with it in its folder: the override
                   (compose.override.yaml, docker-compose.override.yml), or COMPOSE_FILE's list
                   when .env or the environment sets it, and what they include: and extends:
  --out FILE       write the profile JSON to FILE instead of printing it
  --json           print one JSON object {ok, profile, findings, parseErrors, deployment}
  -h, --help       show this help

On a server over SSH, give --compose (or --env) as user@host:/opt/n8n/docker-compose.yml or
ssh://user@host:2222/opt/n8n/docker-compose.yml; the files are read there as Compose reads them.
${SSH_FLAGS_HELP}
`;

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('import', args, { env: { type: 'string' }, compose: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, ...SSH_FLAG_OPTIONS });
  if (values.help) return io.stdout(IMPORT_HELP), 0;
  if (!values.env && !values.compose) throw invalidArgument('import: give --compose FILE (with the .env beside it), or --env FILE, or both.', 'Pass your n8n files, e.g. --compose /opt/n8n/docker-compose.yml.');
  const env = values.env === undefined ? undefined : parseLocation(values.env, '--env');
  const compose = values.compose === undefined ? undefined : parseLocation(values.compose, '--compose');
  const server = [compose, env].find((location) => location?.kind === 'remote');
  let report: ImportReport;
  if (server?.kind === 'remote') {
    const other = [compose, env].find((location) => location && location !== server);
    if (other && (other.kind !== 'remote' || formatLocation({ ...other, path: '' }) !== formatLocation({ ...server, path: '' }))) {
      throw invalidArgument('import: --compose and --env must be on the same machine.', 'Give both as paths on the same server (user@host:/opt/n8n/…), or both on this computer.');
    }
    const { importFromServer } = await import('../../services/import/import-from-server.js');
    const path = (location: typeof env) => (location?.kind === 'remote' ? location.path : undefined);
    report = await withSsh(io, values, server, undefined, (ssh) =>
      importFromServer({ target: server, ...(path(env) && { envFile: path(env)! }), ...(path(compose) && { composeFile: path(compose)! }) }, ssh),
    );
  } else {
    if (values['accept-host-key'] || values['ssh-config']) throw invalidArgument('import: --accept-host-key and --ssh-config go with files on a server (user@host:/opt/n8n/…).');
    report = await importSetup({ ...(values.env && { envFile: resolve(io.cwd, values.env) }), ...(values.compose && { composeFile: resolve(io.cwd, values.compose) }) });
  }
  const profileJson = `${JSON.stringify(report.profile, null, 2)}\n`;
  if (values.out) await writeFileAtomic(resolve(io.cwd, values.out), profileJson, { mode: 0o644 });

  if (values.json) io.stdout(`${JSON.stringify({ ok: true, profile: report.profile, files: report.files, findings: report.findings, parseErrors: report.parseErrors, ...(report.deployment && { deployment: report.deployment }) })}\n`);
  else io.stdout(humanReport(report, profileJson, values.out));
  return 0;
}

const ROLE_WORDS: Record<ComposeFileRead['role'], (from?: string) => string> = {
  compose: () => '',
  override: () => ' (override)',
  listed: () => ' (COMPOSE_FILE)',
  include: (from) => ` (included by ${from})`,
  extends: (from) => ` (extended by ${from})`,
};

function humanReport(report: ImportReport, profileJson: string, out: string | undefined): string {
  const lines: string[] = [];
  if (out) lines.push(`Wrote the profile to ${out}.`);
  else lines.push(profileJson.trimEnd());
  if (report.deployment) {
    lines.push('', `What the folder runs: ${deploymentHeadline(report.deployment)}`);
    for (const line of serviceLines(report.deployment.services)) {
      const facts = line.services.length === 1 ? serviceFacts(line.services[0]!) : [];
      lines.push(`  ${line.names.join(', ')} — ${line.words}${facts.length > 0 ? ` · ${facts.join(' · ')}` : ''}`);
    }
  }
  if (report.files.length > 1) {
    lines.push('', 'Read as Docker Compose loads them:');
    for (const file of report.files) lines.push(`  ${file.path}${ROLE_WORDS[file.role](file.from)}`);
  }
  if (report.parseErrors.length) {
    lines.push('', 'Lines Docker Compose cannot read:');
    for (const e of report.parseErrors) lines.push(`  line ${e.line}: ${e.message}`);
  }
  if (report.findings.length) {
    lines.push('', 'What n8n would ignore or alter:');
    for (const f of report.findings) lines.push(`  ! ${f.variable}: ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`);
  } else lines.push('', 'n8n reads every variable as written.');
  return `${lines.join('\n')}\n`;
}
