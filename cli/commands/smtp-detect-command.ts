import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { detectSmtp, type SmtpDetectResult } from '../../services/smtp/detect-smtp.js';
import type { PortProbeResult } from '../../shared/smtp/recommend-smtp-setting.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { SMTP_EXIT, withInterrupt } from './smtp-test-command.js';

export const SMTP_DETECT_HELP = `Usage: n8n-setup smtp-detect --host HOST [--ca-file FILE] [--json]

Probes the mail submission ports of HOST in parallel — 465 (TLS from the first byte), 587, 2525
and 25 (STARTTLS when offered) — and shows per port: reachable, TLS or STARTTLS, whether n8n
would accept the certificate, and the login mechanisms offered. Then it recommends the setting.
No login is attempted and no mail is sent. Run it where n8n runs: mail ports blocked there are
the usual reason a laptop test passes while n8n cannot send.

Options:
  --host HOST      the SMTP server's host name
  --ca-file FILE   a private CA (PEM) to accept, as n8n would with NODE_EXTRA_CA_CERTS
  --json           print one JSON object {host, address, ms, ports, recommended, failure}
  -h, --help       show this help

Exit codes: 0 a usable port was found, 2 invalid input, 3 none answered usefully, 6 cancelled.
`;

export async function smtpDetectCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseCommandArgs('smtp-detect', args, { host: { type: 'string' }, 'ca-file': { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.stdout(SMTP_DETECT_HELP), 0;
  if (!values.host) throw invalidArgument('smtp-detect: --host HOST is required.', 'Give the SMTP server, e.g. --host smtp.example.com.');
  const host = values.host;
  let extraCa: string | undefined;
  if (values['ca-file']) {
    try {
      extraCa = await readFile(resolve(io.cwd, values['ca-file']), 'utf8');
    } catch (error) {
      throw invalidArgument(`smtp-detect: cannot read --ca-file ${values['ca-file']}: ${(error as Error).message}`, 'Check the path.');
    }
  }
  if (!values.json) io.stdout(`Probing ${host} on ports 465, 587, 2525 and 25 …\n`);
  const found = await withInterrupt(signal, (s) => detectSmtp(host, { signal: s, ...(extraCa && { extraCa }) }));
  io.stdout(values.json ? `${JSON.stringify(found)}\n` : humanReport(found));
  if (found.recommended) return 0;
  return found.failure?.class === 'CANCELLED' ? SMTP_EXIT.cancelled : SMTP_EXIT.connection;
}

function describePort(p: PortProbeResult): string {
  if (!p.reachable || p.greeting === undefined) return `not usable: ${p.failure ?? 'no greeting'}`;
  const encryption = p.tls ? (p.mode === 'tls' ? 'TLS' : 'STARTTLS') : p.mode === 'tls' ? 'no TLS' : p.startTlsOffered ? 'STARTTLS offered' : 'no STARTTLS';
  const certificate = p.certificate ? (p.certificate.valid ? 'certificate ok' : `certificate: ${p.certificate.problem ?? 'invalid'}`) : '';
  const login = p.authMechanisms.length ? `AUTH ${p.authMechanisms.join(' ')}` : 'no AUTH';
  return [encryption, certificate, login, p.failure && `then ${p.failure}`].filter(Boolean).join(', ');
}

function humanReport(found: SmtpDetectResult): string {
  const lines = [`${found.host}${found.address ? ` (${found.address})` : ''}, ${found.ms} ms:`];
  for (const p of found.ports) lines.push(`  ${String(p.port).padEnd(5)} ${String(p.ms).padStart(5)} ms  ${describePort(p)}`);
  if (found.recommended) {
    const v = found.recommended.variables;
    lines.push('', `Recommended: N8N_SMTP_PORT=${v.N8N_SMTP_PORT} N8N_SMTP_SSL=${v.N8N_SMTP_SSL} N8N_SMTP_STARTTLS=${v.N8N_SMTP_STARTTLS}`, `  ${found.recommended.reason}`, `  Profile fix: ${JSON.stringify(found.recommended.patch)}`);
  }
  if (found.failure) lines.push('', `${found.failure.class}: ${found.failure.message}`);
  return `${lines.join('\n')}\n`;
}
