/**
 * The test's connection, made as n8n's mailer makes it: to the addresses nodemailer 8 would find
 * (resolve-like-n8n.ts), in its order, falling back to the next on a connection error as nodemailer does.
 * n8n picks its first address at random for each email, so one address that fails means some emails wait
 * or fail while the test (and most others) pass: every address the test did not connect to is tried on its
 * own, and each one that fails becomes a warning with the fix. When getaddrinfo — what `ping`, `curl` or
 * `nc` on this machine use, with /etc/hosts — points elsewhere than DNS, that is said too, since n8n asks
 * DNS.
 */
import type { LookupAddress } from 'node:dns';
import type { NetworkInterfaceInfo } from 'node:os';
import type { Socket } from 'node:net';
import type { SmtpTestResult, SmtpWarning } from '../../shared/smtp/smtp-test-result.js';
import type { SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { connectTcp, resolveHost, type LookupHost, type SmtpSocketError } from './open-smtp-socket.js';
import { dnsServersFromEnvironment, resolveLikeN8n, type N8nResolution } from './resolve-like-n8n.js';
import type { SessionRecorder } from './session-recorder.js';

/** nodemailer 8's CONNECTION_TIMEOUT: how long n8n waits on a silent address before the next one. */
const N8N_CONNECTION_TIMEOUT_S = 120;
/** Enough for any real A+AAAA set; a name with hundreds of addresses is not probed one by one. */
const MAX_PROBED = 8;

export interface AddressSources {
  lookup?: LookupHost;
  dnsServers?: readonly string[];
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

interface Connected {
  socket: Socket;
  address: string;
  /** The addresses tried before it, each with why it failed. */
  failed: Array<{ address: string; error: SmtpSocketError }>;
}

/** nodemailer's addresses for the host; a test's `lookup` replaces the whole resolution with its one answer. */
export async function addressesOf(host: string, sources: AddressSources, limits: SmtpLimits, signal: AbortSignal): Promise<N8nResolution> {
  if (sources.lookup) return { addresses: [await resolveHost(host, { lookup: sources.lookup, timeoutMs: limits.dnsMs, signal })], via: 'system', skipped: [] };
  return resolveLikeN8n(host, { timeoutMs: limits.dnsMs, signal, servers: sources.dnsServers ?? dnsServersFromEnvironment(), ...(sources.interfaces && { interfaces: sources.interfaces }) });
}

export function describeResolution(host: string, found: N8nResolution): string {
  if (found.via === 'literal') return `${host} is an address: no DNS lookup`;
  const skipped = found.skipped.length ? `; IPv${found.skipped.join(', IPv')} not asked (no such interface here, as n8n's mailer skips it)` : '';
  const how = found.via === 'dns' ? 'DNS A/AAAA, as n8n’s mailer asks (not /etc/hosts)' : 'getaddrinfo (DNS had no A/AAAA; /etc/hosts counts)';
  return `${host} → ${found.addresses.join(', ')} (${how}${skipped})`;
}

/** The first address that accepts the connection, in nodemailer's order; the last error when none does. */
export async function connectLikeN8n(addresses: readonly string[], port: number, options: { timeoutMs: number; signal: AbortSignal }, recorder: SessionRecorder): Promise<Connected> {
  const failed: Connected['failed'] = [];
  for (const [index, address] of addresses.entries()) {
    try {
      return { socket: await connectTcp(address, port, options), address, failed };
    } catch (error) {
      const socketError = error as SmtpSocketError;
      if (socketError.code === 'EABORT' || index === addresses.length - 1) throw error;
      failed.push({ address, error: socketError });
      recorder.note(`connection to ${hostPort(address, port)} failed (${reason(socketError)}): n8n tries the next address`);
    }
  }
  throw new Error('no address to connect to');
}

/** Warnings about the addresses the test did not end up on, and about /etc/hosts pointing elsewhere. */
export async function addressWarnings(
  host: string,
  port: number,
  found: N8nResolution,
  connected: Connected,
  options: { timeoutMs: number; signal: AbortSignal; lookupAll?: (host: string) => Promise<LookupAddress[]> },
): Promise<SmtpWarning[]> {
  const after = found.addresses.slice(found.addresses.indexOf(connected.address) + 1, MAX_PROBED);
  const probed = await Promise.all(
    after.map((address) =>
      connectTcp(address, port, options).then(
        (socket) => (socket.destroy(), undefined),
        (error: SmtpSocketError) => (error.code === 'EABORT' ? undefined : { address, error }),
      ),
    ),
  );
  const failures = [...connected.failed, ...probed.filter((p) => p !== undefined)];
  const warnings = failures.map(({ address, error }) => unreachableAddress(host, port, found.addresses.length, address, error));
  if (found.via === 'dns' && options.lookupAll) {
    const system = await options.lookupAll(host).catch(() => []);
    const first = system[0]?.address;
    if (first && !found.addresses.includes(first)) {
      warnings.push({
        code: 'WARN_RESOLVES_DIFFERENTLY',
        variables: ['N8N_SMTP_HOST'],
        message: `This machine's resolver (with /etc/hosts) gives ${first} for ${host}, but n8n's mailer asks DNS directly and gets ${found.addresses.join(', ')}: the test connected as n8n will. Tools such as ping, curl or nc here reach ${first} instead; if that is the server you meant, make DNS say so or set N8N_SMTP_HOST to it.`,
      });
    }
  }
  return warnings;
}

export function withWarnings(result: SmtpTestResult, extra: SmtpWarning[]): SmtpTestResult {
  return extra.length ? { ...result, warnings: [...result.warnings, ...extra] } : result;
}

function unreachableAddress(host: string, port: number, count: number, address: string, error: SmtpSocketError): SmtpWarning {
  const family = address.includes(':') ? 6 : 4;
  const silent = error.timeoutType === 'CONNECT_TIMEOUT';
  const then = silent
    ? `wait up to ${N8N_CONNECTION_TIMEOUT_S / 60} minutes (the connection timeout of n8n's mailer) before n8n tries the next address`
    : 'fail over to the next address at once';
  return {
    code: 'WARN_ADDRESS_UNREACHABLE',
    variables: ['N8N_SMTP_HOST'],
    message:
      `${host} has ${count} addresses and n8n picks one at random for each email: ${hostPort(address, port)} ${silent ? 'did not answer' : `refused or failed (${reason(error)})`}. ` +
      `Emails that pick it ${then}. Fix the ${family === 6 ? 'AAAA' : 'A'} record of ${host}${family === 6 ? ", or this server's IPv6 route" : ''}, or set N8N_SMTP_HOST to an address that works.`,
  };
}

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function reason(error: SmtpSocketError): string {
  return error.originalCode ?? error.code ?? error.message;
}
