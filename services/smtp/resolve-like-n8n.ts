/**
 * The addresses n8n's mailer would connect to for a host name, found the way nodemailer 8.0.10 (n8n 2.41's)
 * finds them in `lib/shared/index.js` `resolveHostname`:
 *
 * 1. an IP literal is used as it is;
 * 2. otherwise DNS is asked directly — `Resolver.resolve4`, then `resolve6` — which does not read
 *    /etc/hosts or nsswitch; a family is not asked at all when this machine has no non-loopback
 *    interface of that family; "no such name / no data / refused / server failure" count as no addresses;
 * 3. only when DNS gave none, getaddrinfo (`dns.lookup`, which does read /etc/hosts), keeping the families
 *    the machine has an interface for; when none is left, the name itself (the socket resolves it again).
 *
 * n8n then picks one of the list (A records first, then AAAA) at random and, on a connection error, tries
 * the others in order. Unlike nodemailer, every step here has a deadline and can be cancelled.
 *
 *   const found = await resolveLikeN8n('smtp.example.com', { timeoutMs: 5_000 });
 *   found.addresses   // ['203.0.113.7', '2001:db8::7'];  found.via === 'dns'
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { smtpSocketError } from './open-smtp-socket.js';

export interface N8nResolution {
  /** nodemailer's list: A records, then AAAA (or getaddrinfo's, or the literal). */
  addresses: string[];
  /** literal: an IP address was given · dns: A/AAAA answers · system: getaddrinfo (hosts file, no DNS answer). */
  via: 'literal' | 'dns' | 'system';
  /** Families nodemailer does not ask for, since this machine has no non-loopback interface of that family. */
  skipped: Array<4 | 6>;
}

export interface ResolveLikeN8nOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** DNS servers to ask instead of the system's (N8N_SETUP_DNS_SERVERS; tests, split-horizon DNS). */
  servers?: readonly string[];
  /** This machine's interfaces (os.networkInterfaces). */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** getaddrinfo, every address. */
  lookupAll?: (host: string) => Promise<LookupAddress[]>;
}

/** getaddrinfo with every address: /etc/hosts, nsswitch, then DNS. */
export const systemLookupAll = (host: string): Promise<LookupAddress[]> => dns.lookup(host, { all: true });

/** `N8N_SETUP_DNS_SERVERS=10.0.0.2,10.0.0.3:5353`: the DNS servers this app asks instead of the system's. */
export function dnsServersFromEnvironment(): string[] {
  return (process.env.N8N_SETUP_DNS_SERVERS ?? '')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
}

export async function resolveLikeN8n(host: string, options: ResolveLikeN8nOptions): Promise<N8nResolution> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal)) return { addresses: [literal], via: 'literal', skipped: [] };
  const resolver = new dns.Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (options.servers?.length) resolver.setServers([...options.servers]);
  return withDeadline(host, options, () => resolver.cancel(), async () => {
    const interfaces = (options.interfaces ?? networkInterfaces)();
    const skipped = ([4, 6] as const).filter((family) => !hasInterface(interfaces, family));
    const ask = async (family: 4 | 6): Promise<string[]> => {
      if (skipped.includes(family)) return [];
      // ENODATA, ENOTFOUND, ESERVFAIL, EREFUSED… are "none of this family"; nodemailer keeps other errors (a timeout) only for its
      // cache and goes on to getaddrinfo all the same: either way, no addresses from DNS.
      return (family === 4 ? resolver.resolve4(host) : resolver.resolve6(host)).catch(() => []);
    };
    const fromDns = [...(await ask(4)), ...(await ask(6))];
    if (fromDns.length > 0) return { addresses: fromDns, via: 'dns', skipped };

    const found = await (options.lookupAll ?? systemLookupAll)(host).catch((error: NodeJS.ErrnoException) => {
      throw smtpSocketError(`DNS lookup of ${host} failed: ${error.code ?? error.message}`, { code: 'EDNS', originalCode: error.code ?? 'ENOTFOUND' });
    });
    const usable = found.filter((entry) => hasInterface(interfaces, entry.family === 6 ? 6 : 4)).map((entry) => entry.address);
    return { addresses: usable.length > 0 ? usable : [host], via: 'system', skipped };
  });
}

/** nodemailer's isFamilySupported without internal interfaces; no interface table at all: "hope for the best". */
function hasInterface(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, family: 4 | 6): boolean {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  if (all.length === 0) return true;
  return all.some((entry) => !entry.internal && (entry.family === `IPv${family}` || (entry.family as unknown) === family));
}

async function withDeadline<T>(host: string, options: ResolveLikeN8nOptions, cancel: () => void, work: () => Promise<T>): Promise<T> {
  if (options.signal?.aborted) throw smtpSocketError('Cancelled', { code: 'EABORT' });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(smtpSocketError(`No DNS answer for ${host} within ${options.timeoutMs / 1000} s`, { code: 'EDNS', originalCode: 'ETIMEOUT', timeoutType: 'DNS_TIMEOUT' })), options.timeoutMs);
        onAbort = () => reject(smtpSocketError('Cancelled', { code: 'EABORT' }));
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (error) {
    cancel();
    throw error;
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}
