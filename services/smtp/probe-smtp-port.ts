/**
 * One auto-detect probe: connect to a port, speak just enough SMTP to learn what it offers (TLS or
 * STARTTLS, the certificate's validity for the host name, AUTH mechanisms), then QUIT. No login, no mail.
 * The whole probe is bounded by connect + greeting time, whatever the server does.
 */
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { classifySmtpError, type ClassifyContext, type SmtpErrorFacts } from '../../shared/smtp/classify-smtp-error.js';
import type { SmtpFailureClass } from '../../shared/smtp/smtp-diagnoses.js';
import type { SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import type { PortProbeResult } from '../../shared/smtp/recommend-smtp-setting.js';
import { connectTcp } from './open-smtp-socket.js';
import { SmtpReplyReader } from './smtp-reply-reader.js';
import { trustedCertificates } from './trusted-certificates.js';

export interface PortProbeRequest {
  host: string;
  address: string;
  port: number;
  mode: 'tls' | 'starttls';
  limits: SmtpLimits;
  extraCa?: string;
  signal?: AbortSignal;
  /** Called once the TLS handshake is done, whatever the certificate (to read the chain the server sent). */
  onTls?: (socket: TLSSocket) => void;
}

class ProbeFailure extends Error {
  constructor(readonly failure: SmtpFailureClass) {
    super(failure);
  }
}

export async function probeSmtpPort(request: PortProbeRequest): Promise<PortProbeResult> {
  const started = performance.now();
  const result: PortProbeResult = { port: request.port, mode: request.mode, ms: 0, reachable: false, tls: false, authMechanisms: [] };
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.limits.connectMs + request.limits.greetingMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal;
  const sockets: Socket[] = [];
  try {
    const plain = await connectTcp(request.address, request.port, { timeoutMs: request.limits.connectMs, signal });
    sockets.push(plain);
    result.reachable = true;
    // Settles the probe however the connection ends: a reset, a TLS alert, a close, the deadline or a cancel.
    let end!: (error?: unknown) => void;
    const closed = new Promise<never>((_, reject) => {
      end = (error) => reject(request.signal?.aborted ? new ProbeFailure('CANCELLED') : deadline.signal.aborted ? new ProbeFailure(timedOut(request, result)) : (error ?? new ProbeFailure('CONNECTION_CLOSED')));
    });
    closed.catch(() => undefined);
    plain.on('error', end);
    plain.once('close', () => end());
    signal.addEventListener('abort', () => {
      plain.destroy();
      end();
    });
    const reader = new SmtpReplyReader();
    let socket: Socket = plain;
    if (request.mode === 'tls') {
      socket = await startTls(plain, request, result, closed, end);
      sockets.push(socket);
    }
    reader.attach(socket);
    const greeting = await reader.reply(closed);
    result.greeting = greeting.join('\n');
    if (!greeting[0]?.startsWith('220')) throw new ProbeFailure('SERVER_REFUSED');
    let ehlo = await command(socket, reader, 'EHLO [127.0.0.1]', closed);
    if (request.mode === 'starttls') {
      result.startTlsOffered = ehlo.some((line) => /^250[ -]STARTTLS\b/i.test(line));
      if (result.startTlsOffered && (await command(socket, reader, 'STARTTLS', closed))[0]?.startsWith('220')) {
        reader.detach();
        socket = await startTls(plain, request, result, closed, end);
        sockets.push(socket);
        reader.attach(socket);
        ehlo = await command(socket, reader, 'EHLO [127.0.0.1]', closed);
      }
    }
    result.authMechanisms = ehlo.flatMap((line) => /^250[ -]AUTH[ =](.*)$/i.exec(line)?.[1]?.split(/[\s=]+/).filter(Boolean).map((m) => m.toUpperCase()) ?? []);
    socket.write('QUIT\r\n');
  } catch (error) {
    result.failure = error instanceof ProbeFailure ? error.failure : classifySmtpError(error as SmtpErrorFacts, probeContext(request, result));
  } finally {
    clearTimeout(timer);
    for (const socket of sockets) socket.destroy();
    result.ms = Math.round(performance.now() - started);
  }
  return result;
}

/** What the probe was waiting for when its time ran out. */
function timedOut(request: PortProbeRequest, result: PortProbeResult): SmtpFailureClass {
  if (!result.tls && (request.mode === 'tls' || result.startTlsOffered)) return 'TLS_HANDSHAKE_TIMEOUT';
  return result.greeting === undefined ? 'NO_GREETING' : 'CONNECTION_CLOSED';
}

async function command(socket: Socket, reader: SmtpReplyReader, line: string, closed: Promise<never>): Promise<string[]> {
  socket.write(`${line}\r\n`);
  return reader.reply(closed);
}

/** A TLS handshake over the plain socket that records the certificate's validity instead of failing on it. */
async function startTls(plain: Socket, request: PortProbeRequest, result: PortProbeResult, closed: Promise<never>, end: (error: unknown) => void): Promise<TLSSocket> {
  const secure = tlsConnect({
    socket: plain,
    // SNI carries names only; the certificate is still checked against an IP address below.
    ...(!isIP(request.host) && { servername: request.host }),
    rejectUnauthorized: false,
    ...(request.extraCa && { ca: trustedCertificates(request.extraCa) }),
  });
  secure.on('error', end);
  await Promise.race([new Promise<void>((resolve) => secure.once('secureConnect', resolve)), closed]);
  result.tls = true;
  request.onTls?.(secure);
  const peer = secure.getPeerCertificate();
  const identity = checkServerIdentity(request.host, peer);
  const problemCode = secure.authorizationError ? String(secure.authorizationError) : identity ? 'ERR_TLS_CERT_ALTNAME_INVALID' : undefined;
  result.certificate = {
    valid: problemCode === undefined,
    ...(problemCode && { problem: classifySmtpError({ code: problemCode }, probeContext(request, result)) }),
    ...(peer.subject?.CN && { subject: String(peer.subject.CN) }),
    ...(peer.valid_to && { validTo: peer.valid_to }),
  };
  return secure;
}

function probeContext(request: PortProbeRequest, result: PortProbeResult): ClassifyContext {
  return {
    secure: request.mode === 'tls',
    ignoreTLS: false,
    port: request.port,
    login: 'none',
    userWithoutSecret: false,
    to: '',
    session: { greeted: result.greeting?.startsWith('220') ?? false, startTlsOffered: Boolean(result.startTlsOffered), encrypted: result.tls, authMechanisms: [], authenticated: false },
  };
}
