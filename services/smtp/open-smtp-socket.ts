/**
 * DNS and TCP under our own deadlines, for the test send (handed to nodemailer as its socket) and for
 * auto-detect. nodemailer 8 cannot bound its lookup (an unresponsive DNS server took ~128 s), so we resolve
 * with `dns.lookup` — getaddrinfo, which honours /etc/hosts and container names — and connect to the
 * address; TLS still checks the certificate against the host name. Failures are errors shaped like
 * nodemailer's (`code`, `originalCode`, `timeoutType`), so one classifier reads both.
 */
import { promises as dns } from 'node:dns';
import { isIP, connect, type Socket } from 'node:net';
import type { SmtpErrorFacts } from '../../shared/smtp/classify-smtp-error.js';

export type LookupHost = (host: string) => Promise<{ address: string; family: number }>;

/** getaddrinfo, first address in the system's order. */
export const systemLookup: LookupHost = (host) => dns.lookup(host);

export type SmtpSocketError = Error & SmtpErrorFacts;

export function smtpSocketError(message: string, facts: SmtpErrorFacts): SmtpSocketError {
  return Object.assign(new Error(message), { command: 'CONN', ...facts });
}

function abortError(): SmtpSocketError {
  return smtpSocketError('Cancelled', { code: 'EABORT' });
}

/**
 * The address to connect to. A lookup raced against the timer keeps one libuv pool thread busy until
 * getaddrinfo returns on its own: acceptable for one test, which is all this serves.
 */
export async function resolveHost(host: string, options: { lookup: LookupHost; timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(literal)) return literal;
  if (options.signal?.aborted) throw abortError();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(smtpSocketError(`No DNS answer for ${host} within ${options.timeoutMs / 1000} s`, { code: 'EDNS', originalCode: 'ETIMEOUT', timeoutType: 'DNS_TIMEOUT' })), options.timeoutMs);
      onAbort = () => reject(abortError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      options.lookup(host).then(
        (found) => resolve(found.address),
        (error: NodeJS.ErrnoException) => reject(smtpSocketError(`DNS lookup of ${host} failed: ${error.code ?? error.message}`, { code: 'EDNS', originalCode: error.code ?? 'ENOTFOUND' })),
      );
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** A connected TCP socket, or an error within `timeoutMs`; the half-open socket is destroyed on every failure. */
export function connectTcp(address: string, port: number, options: { timeoutMs: number; signal?: AbortSignal }): Promise<Socket> {
  if (options.signal?.aborted) return Promise.reject(abortError());
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host: address, port });
    const finish = (error?: SmtpSocketError) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      if (error) {
        socket.destroy();
        reject(error);
      } else resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException) => finish(smtpSocketError(`Connection to ${address}:${port} failed: ${error.code ?? error.message}`, { code: 'ECONNECTION', originalCode: error.code ?? 'ECONNECTION' }));
    const onAbort = () => finish(abortError());
    const timer = setTimeout(() => finish(smtpSocketError(`No connection to ${address}:${port} within ${options.timeoutMs / 1000} s`, { code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' })), options.timeoutMs);
    socket.once('connect', () => finish());
    socket.once('error', onError);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
