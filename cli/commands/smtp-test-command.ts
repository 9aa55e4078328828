import { resolve } from 'node:path';
import { readProfileFile } from '../../services/profile/read-profile-file.js';
import { readSmtpVariablesFromEnvironment, readSmtpVariablesFromFiles, type SmtpSource } from '../../services/smtp/read-smtp-variables.js';
import { sendTestEmail } from '../../services/smtp/send-test-email.js';
import { SECRET_KINDS } from '../../services/secrets/secret-accounts.js';
import { SetupError } from '../../shared/errors.js';
import { deriveN8nSettings } from '../../shared/n8n/derive-n8n-settings.js';
import { secretKindOfVariable } from '../../shared/n8n/n8n-variables.js';
import { smtpVariablesFromProfile } from '../../shared/smtp/n8n-mailer.js';
import { SMTP_EXIT } from '../../shared/smtp/smtp-diagnoses.js';
import type { StageEvent } from '../../shared/smtp/smtp-session.js';
import type { SmtpTestResult, SmtpWarning } from '../../shared/smtp/smtp-test-result.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { readSecretInput, type SecretInput, type SecretOptions } from '../read-secret-input.js';
import { readProfileCa } from '../../services/smtp/read-profile-ca.js';

export const SMTP_TEST_HELP = `Usage: n8n-setup smtp-test (--profile FILE | --env FILE [--compose FILE] | --from-env) --to ADDR [options]

Sends one real test message with exactly the mail settings n8n uses (its nodemailer transport:
host, port, SSL, STARTTLS, login), within seconds instead of n8n's minutes-long timeouts, and
says in one sentence what to change when it fails. The message names the settings, never the
password; the transcript hides the login.

Where the settings come from (one of):
  --profile FILE           a profile JSON; the password from --password-stdin or the keychain
  --env FILE               an existing n8n .env ...
  --compose FILE           ... and its compose file (env_file, environment, secrets, mounts)
  --from-env               this process's N8N_SMTP_* and *_FILE variables: run it where n8n runs,
                           since cloud hosts often block mail ports your laptop can reach. In an
                           export folder (every export writes this tool as tools/n8n-setup.cjs):
                             docker compose cp tools/n8n-setup.cjs n8n:/tmp/n8n-setup.cjs
                             docker compose exec n8n node /tmp/n8n-setup.cjs smtp-test --from-env --to you@example.com

From the server, over SSH (the settings from --profile or --env on this machine):
  --on SERVER              user@host (a Host of ~/.ssh/config works), or ssh://user@host:2222:
                           copies this tool to a temp folder there, runs the test with the server's
                           Node (20 or later), streams its output here and removes the folder
  --in-project DIR         n8n's compose folder on the server: where the server has no Node 20 or
                           later but Docker, the test runs inside n8n's running container
                           (docker compose exec) with the image's Node and these settings
  --service NAME           n8n's service in that project (default: n8n)
  --accept-host-key SHA256:…  a server not yet in known_hosts: the fingerprint you checked
  --ssh-config FILE        another ssh configuration than ~/.ssh/config

Options:
  --to ADDR                the test recipient
  --password-stdin         read the SMTP password from standard input (one trailing newline removed)
  --private-key-file FILE  the Google service account's private key (PEM, or its JSON key file)
  --secret-for-new-server  with --profile: use the stored secret although the profile's server
                           (host, port or user) is not the one it was stored for; once the
                           message is accepted, it is bound to this server
  --transcript             print the transcript also when the message was sent
  --json                   print one JSON object {ok, class, ms, warnings, transcript, …}
  --json-lines             print each stage as it is reached ({"event":"stage",…}), then
                           {"event":"result","report":{…}}: for a program that shows progress
  -h, --help               show this help

A stored secret belongs to the server it was stored for: a profile that points it at another
one stops with SECRET_ENDPOINT_CHANGED (exit 2) before connecting.

With STARTTLS expected, the test sends no login until the connection is encrypted: a server
that does not offer STARTTLS fails with STARTTLS_NOT_OFFERED (exit 3), since n8n would send
the password there in clear.

Exit codes: 0 sent, 2 invalid input, 3 connection/DNS/TLS/certificate, 4 authentication,
5 rejected by the server, 6 cancelled (Ctrl-C).
`;

export { SMTP_EXIT };

export async function smtpTestCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseCommandArgs('smtp-test', args, {
    profile: { type: 'string' },
    env: { type: 'string' },
    compose: { type: 'string' },
    'from-env': { type: 'boolean' },
    to: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'private-key-file': { type: 'string' },
    'secret-for-new-server': { type: 'boolean' },
    transcript: { type: 'boolean' },
    json: { type: 'boolean' },
    'json-lines': { type: 'boolean' },
    on: { type: 'string' },
    'accept-host-key': { type: 'string' },
    'ssh-config': { type: 'string' },
    'in-project': { type: 'string' },
    service: { type: 'string' },
  });
  if (values.help) return io.stdout(SMTP_TEST_HELP), 0;
  if ((values['accept-host-key'] || values['ssh-config'] || values['in-project']) && !values.on) throw invalidArgument('smtp-test: --accept-host-key, --ssh-config and --in-project go with --on SERVER.');
  if (values.service && !values['in-project']) throw invalidArgument('smtp-test: --service goes with --in-project DIR.');
  if (values.on && values['from-env']) throw invalidArgument('smtp-test: --on runs the test on a server with the settings from --profile or --env; --from-env is for running there yourself.');
  const sources = [values.profile && '--profile', values.env && '--env', values['from-env'] && '--from-env'].filter(Boolean);
  if (sources.length !== 1) throw invalidArgument(`smtp-test: give exactly one of --profile, --env or --from-env${sources.length ? ` (got ${sources.join(' and ')})` : ''}.`, 'Run `n8n-setup smtp-test --help`.');
  if (values.compose && !values.env) throw invalidArgument('smtp-test: --compose goes with --env.', 'Add --env with the .env of the same project.');
  if (!values.to) throw invalidArgument('smtp-test: --to ADDR is required.', 'Give the test recipient, e.g. --to you@example.com.');
  if (values['secret-for-new-server'] && !values.profile) throw invalidArgument('smtp-test: --secret-for-new-server goes with --profile (only a profile uses the keychain).');

  const source = await readSource(io, values);
  const to = values.to;
  if (values.on) return onServer(io, { ...values, on: values.on, to }, source);
  const lines = Boolean(values['json-lines']);
  const onStage = (event: StageEvent) => {
    if (lines) return io.stdout(`${JSON.stringify({ event: 'stage', ...event })}\n`);
    if (event.stage === 'resolve') io.stdout(`Sending a test message to ${to} …\n`);
    io.stdout(`  ${String(event.ms).padStart(5)} ms  ${event.stage}${event.detail ? `  ${event.detail}` : ''}\n`);
  };
  const result = await withInterrupt(signal, (s) =>
    sendTestEmail({ variables: source.variables, to, ...(source.extraCa && { extraCa: source.extraCa }) }, { signal: s, ...((!values.json || lines) && { onStage }) }),
  );
  const notBound = result.ok ? await source.bindToServer?.() : undefined;
  const report: SmtpTestResult = { ...result, warnings: [...source.warnings, ...result.warnings, ...(notBound ? [{ ...notBound, variables: [] }] : [])] };
  io.stdout(lines ? `${JSON.stringify({ event: 'result', report })}\n` : values.json ? `${JSON.stringify(report)}\n` : humanReport(report, Boolean(values.transcript)));
  return report.ok ? 0 : SMTP_EXIT[report.kind];
}

/** The same test, run on the server over SSH by a copy of this tool; its exit code is the remote test's. */
async function onServer(io: CliIo, values: { on: string; to: string; json?: boolean; 'json-lines'?: boolean; 'accept-host-key'?: string; 'ssh-config'?: string; 'in-project'?: string; service?: string }, source: TestSource): Promise<number> {
  const [{ parseSshTarget }, { remoteSmtpTest }, { readFile }, { withSsh }] = await Promise.all([
    import('../../shared/remote/remote-location.js'),
    import('../../services/remote/remote-smtp-test.js'),
    import('node:fs/promises'),
    import('../ssh-session.js'),
  ]);
  const target = parseSshTarget(values.on, '--on');
  if (!io.cliBundle) throw new SetupError({ code: 'NO_CLI_BUNDLE', field: 'on', message: 'This run of n8n-setup is not the single-file tool, so there is nothing to copy to the server.', fix: 'Run the installed n8n-setup (or node dist/n8n-setup.cjs after npm run build).' });
  const bundle = await readFile(io.cliBundle);
  return withSsh(io, values, target, undefined, (ssh) => {
    if (!values.json && !values['json-lines']) io.stdout(`On ${values.on}, with this tool copied there for this run:\n`);
    const container = values['in-project'] && { folder: values['in-project'], service: values.service ?? 'n8n' };
    return remoteSmtpTest({ target, bundle, variables: source.variables, ...(source.extraCa && { extraCa: source.extraCa }), to: values.to, output: values['json-lines'] ? 'events' : values.json ? 'json' : 'text', ...(container && { container }) }, ssh, io);
  });
}

/** Where the settings came from; with a profile, possibly a stored secret to bind to its server once the message is accepted. */
type TestSource = SmtpSource & Pick<SecretInput, 'bindToServer'>;

async function readSource(io: CliIo, values: SecretOptions & { profile?: string; env?: string; compose?: string }): Promise<TestSource> {
  if (values.env) return readSmtpVariablesFromFiles({ envFile: resolve(io.cwd, values.env), ...(values.compose && { composeFile: resolve(io.cwd, values.compose) }) });
  if (!values.profile) return readSmtpVariablesFromEnvironment();
  const loaded = await readProfileFile(resolve(io.cwd, values.profile));
  const email = loaded.resolved.email;
  if (email.mode !== 'smtp') throw new SetupError({ code: 'INVALID_PROFILE', field: 'email.mode', message: 'The profile sets no SMTP (email.mode is "none"): there is nothing to test.', fix: 'Set email.mode to "smtp" with a host.' });
  const { secrets, bindToServer } = await readSecretInput(io, values, loaded);
  const needed = deriveN8nSettings(loaded.resolved).secrets.find((variable) => !secrets[variable]);
  if (needed) {
    const { option, field } = SECRET_KINDS[secretKindOfVariable(needed)];
    throw new SetupError({ code: 'MISSING_SECRET', field, message: `The profile logs in with ${email.auth.type === 'password' ? 'a password' : 'a service-account key'}, but none was given or stored.`, fix: `Pass it with ${option}, or store it with \`n8n-setup secret set\`.` });
  }
  const variables = smtpVariablesFromProfile(loaded.resolved, secrets);
  const extraCa = await readProfileCa(loaded);
  return { variables, ...(extraCa && { extraCa }), warnings: [], ...(bindToServer && { bindToServer }) };
}

/** Runs with the caller's signal, or with one that Ctrl-C aborts (the test then ends as CANCELLED, exit 6). */
export async function withInterrupt<T>(signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (signal) return run(signal);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await run(controller.signal);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

function humanReport(result: SmtpTestResult, withTranscript: boolean): string {
  const s = result.settings;
  const security = s.secure ? 'TLS' : s.startTLS ? 'STARTTLS when offered' : 'no encryption';
  const lines = [`Tested ${s.host}:${s.port} (${security}), login: ${s.login === 'none' ? 'none' : `${s.login} as ${s.user}`}, from: ${s.sender || '(empty)'}`];
  if (result.ok) {
    lines.push(`SENT in ${result.ms} ms: ${result.response}`, 'Check the inbox (and the spam folder) of the recipient.');
  } else {
    lines.push(`FAILED (${result.class}) after ${result.ms} ms${result.stage ? `, at ${result.stage}` : ''}:`, `  ${result.message}`);
    if (result.serverReply) lines.push(`  The server said: ${result.serverReply.replace(/\n/g, '\n    ')}`);
    if (result.variables.length) lines.push(`  Change: ${result.variables.join(', ')}`);
    if (result.patch) lines.push(`  Profile fix: ${JSON.stringify(result.patch)}`);
  }
  lines.push(...warningLines(result.warnings));
  if (!result.ok || withTranscript) {
    lines.push('', 'Transcript:', ...result.transcript.map((l) => `  ${String(l.ms).padStart(5)} ms  ${l.dir}: ${l.text}`));
  }
  return `${lines.join('\n')}\n`;
}

function warningLines(warnings: SmtpWarning[]): string[] {
  if (!warnings.length) return [];
  return ['', 'Warnings:', ...warnings.map((w) => `  ! ${w.message}${w.patch ? `\n    profile fix: ${JSON.stringify(w.patch)}` : ''}`)];
}
