import { resolve } from 'node:path';
import { CHECK_TIMEOUT_MS, checkInstance, type CheckReport } from '../../services/check/check-instance.js';
import { readProfileFile } from '../../services/profile/read-profile-file.js';
import type { FindingStatus } from '../../shared/check/instance-diagnoses.js';
import type { DomainFindingStatus } from '../../shared/check/sender-domain-findings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import type { SenderDomainReport } from '../../services/check/check-sender-domain.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';

export const CHECK_HELP = `Usage: n8n-setup check --url URL [--profile FILE] [--deliverability] [--json]
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
  --json             print one JSON object {ok, url, instance, expected, findings}
  -h, --help         show this help

Exit codes: 0 n8n runs as set up, 3 n8n answers but runs with other settings,
2 invalid input, 1 anything else (not reachable, not n8n, a redirect or address refused).
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
  });
  if (values.help) return io.stdout(CHECK_HELP), 0;
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
  const report = await checkInstance({ url: values.url, ...(loaded && { profile: loaded.resolved }) }, { timeoutMs });
  io.stdout(values.json ? `${JSON.stringify({ ...report, ...(domain && { deliverability: domain }) })}\n` : `${humanReport(report, values.profile)}${domain ? `\n${domainReport(domain).join('\n')}\n` : ''}`);
  return report.ok ? 0 : CHECK_MISMATCH_EXIT;
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
