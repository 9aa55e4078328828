/**
 * Tells "this port speaks TLS from the first byte" from "this server is silent". A plain SMTP client on
 * an implicit-TLS port (465 with N8N_SMTP_SSL=false) waits for a greeting while the server waits for a
 * ClientHello; nodemailer reports that only as a greeting timeout after 30 s. A handshake on a second
 * connection settles it within moments.
 */
import { connect, type TLSSocket } from 'node:tls';

export interface ImplicitTlsProbe {
  /** True when a TLS handshake completed; false on any failure, timeout or cancel. Never rejects. */
  readonly result: Promise<boolean>;
  cancel(): void;
}

export function probeImplicitTls(target: { address: string; port: number; servername?: string; timeoutMs: number }): ImplicitTlsProbe {
  let socket: TLSSocket | undefined;
  let settle: (answer: boolean) => void = () => undefined;
  const result = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => settle(false), target.timeoutMs);
    settle = (answer) => {
      clearTimeout(timer);
      socket?.destroy();
      settle = () => undefined;
      resolve(answer);
    };
    // Only whether TLS is spoken matters here; the real session checks the certificate.
    socket = connect({ host: target.address, port: target.port, rejectUnauthorized: false, ...(target.servername && { servername: target.servername }) });
    socket.once('secureConnect', () => settle(true));
    socket.on('error', () => settle(false));
    socket.once('close', () => settle(false));
  });
  return { result, cancel: () => settle(false) };
}
