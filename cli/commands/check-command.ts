import { resolve } from 'node:path';
import { CHECK_TIMEOUT_MS, checkInstance, type CheckReport } from '../../services/check/check-instance.js';
import { readProfileFile } from '../../services/profile/read-profile-file.js';
import type { FindingStatus } from '../../shared/check/instance-diagnoses.js';
import type { DomainFindingStatus } from '../../shared/check/sender-domain-findings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import type { SenderDomainReport } from '../../services/check/check-sender-domain.js';
import type { MailThroughN8n } from '../../services/check/mail-through-n8n.js';
import type { N8nSession } from '../../services/check/n8n-session.js';
import type { N8nMailResult } from '../../shared/check/n8n-mail-verdict.js';
import { SetupError, type SetupErrorData } from '../../shared/errors.js';
import { SMTP_EXIT } from '../../shared/smtp/smtp-diagnoses.js';
import { formatError, invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';

export const CHECK_HELP = `Usage: n8n-setup check --url URL [--profile FILE] [--login OWNER_EMAIL [--password-stdin]] [--deliverability] [--json]
       n8n-setup check --url URL --login OWNER_EMAIL [--password-stdin] --invite-test ADDR [--yes]
       n8n-setup check --url URL --send-reset OWNER_EMAIL [--yes]
       n8n-setup check --deliverability (--profile FILE | --from ADDR [--smtp-host HOST]) [--json]

Asks a running n8n what it believes (GET /healthz and the public GET /rest/settings) and
compares it with the profile: that it answers, whether email is set up, the URL it builds
invite and reset links on, and whether its login cookie fits the URL's scheme. Each mismatch
comes with its likely causes and the fix. Nothing is changed, and no login is needed.
Redirects are followed only within the URL's origin; link-local and cloud metadata addresses
are refused unless the URL names them; an answer over 1 MiB is not read further.

Options:
  --url URL          where this machine reaches n8n: its public address, or http://localhost:5678
                     on the server (with the sub-path, if n8n lives under one)
  --profile FILE     the profile to compare with; without it, URL is taken as the public URL
  --timeout SECONDS  per request (default ${CHECK_TIMEOUT_MS / 1000})
  --deliverability   also look up the sender domain's DNS: MX, SPF (does it include the
                     provider), the provider's DKIM selectors, DMARC (policy, alignment).
                     Advice only: it never changes the exit code
  --from ADDR        the sender to check (default: the profile's email.sender)
  --smtp-host HOST   the SMTP server, to know the provider (default: the profile's email.host)
  --dns-server IP[:PORT]  ask this DNS server (repeatable; default: this machine's)

n8n's own mailer, for real (one email per run, asked before it is sent):
  --invite-test ADDR signed in as the owner, invite ADDR (an inbox you read, e.g. you+n8n-test@…)
                     through n8n and read n8n's verdict: sent, or its mailer's error, classified
                     with the same fixes as smtp-test. The invitation is deleted again afterwards
  --login EMAIL      the owner's email: signs in through the URL and opens the editor's live
                     connection (websocket /rest/push) as a browser there would, to find what the
                     proxy breaks (Upgrade not passed on, "Invalid origin", a sub-path, the cookie);
                     needed for --invite-test
  --password-stdin   read the owner's password from stdin (otherwise it is asked on the terminal);
                     it is sent to n8n once and kept nowhere
  --mfa-code CODE    the authenticator's current code, when the owner has two-factor login on
  --send-reset EMAIL no login: n8n sends a password reset mail to EMAIL. n8n answers alike whether
                     the mail went out or not, so only that inbox can tell
  --yes              do not ask before sending (for scripts)

  --json             print one JSON object {ok, url, instance, expected, findings, mail}
  -h, --help         show this help

Exit codes: 0 n8n runs as set up, 3 n8n answers but runs with other settings,
2 invalid input, 1 anything else (not reachable, not n8n, a redirect or address refused).
When n8n's mailer failed to send the invitation: smtp-test's codes (3 connection, 4 login,
5 rejected by the server).
`;

/** Reachable, but n8n runs with other settings than the profile says. */
export const CHECK_MISMATCH_EXIT = 3;

export async function checkCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('check', args, {
    url: { type: 'string' },
    profile: { type: 'string' },
    timeout: { type: 'string' },
    deliverability: { type: 'boolean' },
    from: { type: 'string' },
    'smtp-host': { type: 'string' },
    'dns-server': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    'invite-test': { type: 'string' },
    'send-reset': { type: 'string' },
    login: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'mfa-code': { type: 'string' },
    yes: { type: 'boolean' },
  });
  if (values.help) return io.stdout(CHECK_HELP), 0;
  const mail = mailRequest(values);
  if (!values.url && !values.deliverability) throw invalidArgument('check: --url URL is required (or --deliverability for the sender domain alone).', 'Give the address of n8n, e.g. --url https://n8n.example.com.');
  if ((values.from || values['smtp-host'] || values['dns-server']) && !values.deliverability) throw invalidArgument('check: --from, --smtp-host and --dns-server go with --deliverability.');
  const timeoutMs = values.timeout === undefined ? CHECK_TIMEOUT_MS : Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1000 || timeoutMs > 120_000) throw invalidArgument('check: --timeout must be 1 to 120 seconds.');

  const loaded = values.profile ? await readProfileFile(resolve(io.cwd, values.profile)) : undefined;
  const domain = values.deliverability ? await deliverability(values, loaded?.resolved) : undefined;
  if (!values.url) {
    io.stdout(values.json ? `${JSON.stringify({ ok: true, deliverability: domain })}\n` : domainReport(domain!).join('\n') + '\n');
    return 0;
  }
  const login = values.login === undefined ? undefined : emailAddress(values.login, '--login');
  const password = login ? await ownerPassword(io, values, login) : undefined;
  const ownerLogin = login && { email: login, password: password ?? '', ...(values['mfa-code'] && { mfaCode: values['mfa-code'] }) };
  let session: N8nSession | undefined;
  const report = await checkInstance({ url: values.url, ...(loaded && { profile: loaded.resolved }), ...(ownerLogin && { login: ownerLogin, keepSession: (s) => (session = s) }) }, { timeoutMs });
  let sent: N8nMailResult | undefined;
  let mailError: SetupErrorData | undefined;
  try {
    sent = mail && (await sendThroughN8n(io, mail, { base: report.url, smtpSetup: report.instance.smtpSetup, ...(loaded && { profile: loaded.resolved }) }, session, values));
  } catch (error) {
    // n8n answers but cannot send at all: a finding about the running n8n (exit 3), said after the report.
    if (!(error instanceof SetupError) || error.code !== 'N8N_EMAIL_NOT_SET_UP') throw error;
    mailError = error.toJSON();
  }
  if (values.json) io.stdout(`${JSON.stringify({ ...report, ...(mailError && { ok: false, error: mailError }), ...(domain && { deliverability: domain }), ...(sent && { mail: sent }) })}\n`);
  else io.stdout(`${humanReport(report, values.profile)}${sent ? `\n${mailReport(sent).join('\n')}\n` : ''}${domain ? `\n${domainReport(domain).join('\n')}\n` : ''}`);
  if (mailError) return io.stderr(formatError(mailError)), CHECK_MISMATCH_EXIT;
  if (sent?.kind === 'invite-test' && !sent.ok) return sent.failureKind ? SMTP_EXIT[sent.failureKind] : CHECK_MISMATCH_EXIT;
  return report.ok ? 0 : CHECK_MISMATCH_EXIT;
}

type MailRequest = { kind: 'invite-test'; to: string; login: string } | { kind: 'send-reset'; to: string };

/** The mail this run makes n8n send, if any: checked before anything goes over the network. */
function mailRequest(values: { url?: string; 'invite-test'?: string; 'send-reset'?: string; login?: string; 'password-stdin'?: boolean; 'mfa-code'?: string; yes?: boolean }): MailRequest | undefined {
  const invite = values['invite-test'];
  const reset = values['send-reset'];
  if (invite !== undefined && reset !== undefined) throw invalidArgument('check: --invite-test and --send-reset each send one email; give one of them per run.');
  if ((invite !== undefined || reset !== undefined) && !values.url) throw invalidArgument('check: --invite-test and --send-reset need --url, the address of n8n.');
  if (values.login === undefined && (values['password-stdin'] || values['mfa-code'] !== undefined)) {
    throw invalidArgument('check: --password-stdin and --mfa-code go with --login OWNER_EMAIL.', 'Add --login owner@example.com.');
  }
  if (values.login !== undefined && !values.url) throw invalidArgument('check: --login needs --url, the address of n8n.');
  if (reset === undefined && invite === undefined && values.yes) throw invalidArgument('check: --yes goes with --invite-test or --send-reset.');
  if (invite !== undefined) {
    if (!values.login) throw invalidArgument('check --invite-test: --login OWNER_EMAIL is required: inviting needs the owner’s login.', 'Add --login owner@example.com (the password is read from stdin with --password-stdin, or asked).');
    return { kind: 'invite-test', to: emailAddress(invite, '--invite-test'), login: emailAddress(values.login, '--login') };
  }
  return reset === undefined ? undefined : { kind: 'send-reset', to: emailAddress(reset, '--send-reset') };
}

function emailAddress(value: string, flag: string): string {
  const address = value.trim();
  if (address !== value || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) throw invalidArgument(`check: ${flag} "${value}" is not an email address.`, `Give it as name@example.com, without spaces or angle brackets.`);
  return address;
}

/** From stdin with --password-stdin, else typed at the terminal without echo; never stored. */
async function ownerPassword(io: CliIo, values: { 'password-stdin'?: boolean }, login: string): Promise<string> {
  if (values['password-stdin']) {
    const { decodeTextInput } = await import('../../services/input/read-text-input.js');
    const text = decodeTextInput(await io.readStdin(), { name: '--password-stdin', field: 'password', holds: "the owner's password", refuseNul: true, fix: "Pipe the password as UTF-8 text, e.g. printf '%s' \"$N8N_OWNER_PASS\" | n8n-setup check … --password-stdin" });
    const password = text.replace(/\r?\n$/, '');
    if (password) return password;
    throw new SetupError({ code: 'MISSING_SECRET', field: 'password', message: "--password-stdin read an empty password.", fix: `Pipe the password of ${login} in, e.g. printf '%s' "$N8N_OWNER_PASS" | n8n-setup check … --password-stdin` });
  }
  const terminal = await openUserTerminal(io);
  if (!terminal) throw invalidArgument(`check --invite-test: no terminal to ask for the password of ${login}.`, 'Pipe it in with --password-stdin.');
  try {
    const password = await terminal.askHidden(`Password of ${login} in n8n (not shown, not stored): `);
    if (!password) throw invalidArgument('check --invite-test: no password typed.', 'Type the owner’s password, or pipe it in with --password-stdin.');
    return password;
  } finally {
    terminal.close();
  }
}

async function openUserTerminal(io: CliIo) {
  return io.terminal ? io.terminal() : (await import('../terminal-prompt.js')).openTerminal();
}

async function sendThroughN8n(io: CliIo, mail: MailRequest, target: MailThroughN8n, session: N8nSession | undefined, values: { yes?: boolean }): Promise<N8nMailResult> {
  const { inviteTest, requestPasswordReset, refuseWithoutEmail, MAILER_WAIT_MS } = await import('../../services/check/mail-through-n8n.js');
  refuseWithoutEmail(target, `--${mail.kind}`);
  if (!values.yes) {
    const question = mail.kind === 'invite-test' ? `Have n8n at ${target.base} send one invitation to ${mail.to} (deleted again right after)?` : `Have n8n at ${target.base} send one password reset email to ${mail.to}?`;
    const terminal = await openUserTerminal(io);
    if (!terminal) throw invalidArgument(`check --${mail.kind}: no terminal to ask before sending.`, 'Add --yes to send without asking (scripts).');
    const yes = await terminal.confirm(question).finally(() => terminal.close());
    if (!yes) throw new SetupError({ code: 'CANCELLED', message: 'Nothing was sent: the question was not answered with yes.' });
  }
  const options = { timeoutMs: MAILER_WAIT_MS };
  if (mail.kind === 'send-reset') return requestPasswordReset({ ...target, email: mail.to }, options);
  // --invite-test needs --login, so check signed in already.
  if (!session) throw new Error('unreachable: --invite-test without a session');
  return inviteTest({ ...target, to: mail.to, session }, options);
}

function mailReport(result: N8nMailResult): string[] {
  if (result.kind === 'send-reset') return ['Password reset through n8n:', `  ${LABEL.unknown} ${result.message}`];
  const lines = [`Invitation through n8n's own mailer, to ${result.to}:`];
  lines.push(`  ${result.ok ? 'sent    ' : 'FAILED  '} ${result.message}`);
  if (result.n8nError) lines.push(`           n8n said: ${result.n8nError}`);
  if (result.variables.length) lines.push(`           change:   ${result.variables.join(', ')}`);
  lines.push(result.removed ? `  ${LABEL.ok} the test invitation was deleted again.` : `  WARNING  ${result.leftOver ?? 'the test invitation was not deleted.'}`);
  return lines;
}

async function deliverability(values: { from?: string; 'smtp-host'?: string; 'dns-server'?: string[] }, profile: ResolvedProfile | undefined): Promise<SenderDomainReport> {
  const email = profile?.email.mode === 'smtp' ? profile.email : undefined;
  const sender = values.from ?? email?.sender;
  if (!sender) throw invalidArgument('check --deliverability: no sender to check.', 'Give --from n8n@example.com, or a --profile whose email.sender is set.');
  const smtpHost = values['smtp-host'] ?? email?.host;
  const { checkSenderDomain } = await import('../../services/check/check-sender-domain.js');
  return checkSenderDomain({ sender, ...(smtpHost && { smtpHost }), ...(values['dns-server'] && { dnsServers: values['dns-server'] }) });
}

const DOMAIN_LABEL: Record<DomainFindingStatus, string> = { ok: 'ok      ', warning: 'WARNING ', 'not-checked': 'unknown ', info: 'note    ' };

function domainReport(report: SenderDomainReport): string[] {
  const lines = [`Sender domain ${report.domain}${report.provider ? `, sending through ${report.provider}` : ''} (accepted by the server is not yet in the inbox):`];
  for (const finding of report.findings) {
    lines.push(`  ${DOMAIN_LABEL[finding.status]} ${finding.message}`);
    if (finding.fix) lines.push(`           fix:    ${finding.fix}`);
  }
  const warnings = report.findings.filter((f) => f.status === 'warning').length;
  lines.push(warnings ? `${warnings} warning${warnings === 1 ? '' : 's'} about delivery (advice: the exit code does not change).` : 'Nothing in the sender domain stands in the way of delivery.');
  return lines;
}

const LABEL: Record<FindingStatus, string> = { ok: 'ok      ', mismatch: 'MISMATCH', unknown: 'unknown ' };

function humanReport(report: CheckReport, profile: string | undefined): string {
  const lines = [`n8n at ${report.url}, compared with ${profile ? `the profile ${profile}` : 'the URL given'}:`, `  ${LABEL.ok} answers (/healthz in ${report.healthMs} ms)`];
  for (const finding of report.findings) {
    lines.push(`  ${LABEL[finding.status]} ${finding.message}`);
    if (finding.status !== 'mismatch') continue;
    for (const [i, cause] of (finding.causes ?? []).entries()) lines.push(`           ${i === 0 ? 'likely:' : 'or:    '} ${cause}`);
    if (finding.fix) lines.push(`           fix:    ${finding.fix}`);
  }
  const mismatches = report.findings.filter((f) => f.status === 'mismatch').length;
  lines.push('', mismatches ? `${mismatches} mismatch${mismatches === 1 ? '' : 'es'}.` : 'n8n runs as set up.');
  return `${lines.join('\n')}\n`;
}
