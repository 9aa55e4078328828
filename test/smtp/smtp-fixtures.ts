/**
 * Real SMTP servers on loopback (nodemailer's own `smtp-server`), one per scenario: what they accept,
 * refuse or hide is set per fixture. Every received message is kept, so tests assert delivery on the server.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { TEST_HOST, type KeyAndCertificate } from './test-certificates.js';

export interface Refusal {
  code: number;
  message: string;
}

export interface FixtureOptions {
  /** Default 127.0.0.1; standard ports belong on 127.0.0.2 (never clashing with Postfix or each other). */
  address?: string;
  /** Default: any free port. */
  port?: number;
  /** TLS from the first byte (port-465 style). */
  secure?: boolean;
  /** Enables TLS: implicit with `secure`, otherwise STARTTLS. */
  certificate?: KeyAndCertificate;
  /** Logins accepted (user → password). Without it, no login is required. */
  users?: Record<string, string>;
  /** Leave STARTTLS out of the EHLO reply but still accept the command (as a stripping middlebox might). */
  hideStartTls?: boolean;
  /** Offer AUTH on a plain connection (smtp-server hides it until TLS otherwise). */
  allowInsecureAuth?: boolean;
  /** XOAUTH2 logins accepted: user → access token. */
  oauth2?: Record<string, string>;
  refuseGreeting?: Refusal;
  refuseAuth?: Refusal;
  refuseSender?: Refusal;
  refuseRecipient?: Refusal;
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  user?: string;
  secure: boolean;
  raw: string;
}

/** One AUTH command the server received, accepted or not: what a hostile server would have captured. */
export interface LoginAttempt {
  method: string;
  user: string;
  /** The password as sent (PLAIN and LOGIN); compare it, never print it. */
  password?: string;
  secure: boolean;
}

export interface SmtpFixture {
  address: string;
  port: number;
  messages: ReceivedMessage[];
  loginAttempts: LoginAttempt[];
  /** Sessions the server saw end (the client disconnected or was disconnected). */
  readonly closedSessions: number;
  readonly openedSessions: number;
  close(): Promise<void>;
}

function refusal(reason: Refusal): Error {
  return Object.assign(new Error(reason.message), { responseCode: reason.code });
}

export async function startSmtpFixture(options: FixtureOptions = {}): Promise<SmtpFixture> {
  const messages: ReceivedMessage[] = [];
  const loginAttempts: LoginAttempt[] = [];
  let openedSessions = 0;
  let closedSessions = 0;
  const logins = options.users ?? {};
  const tokens = options.oauth2 ?? {};
  const authMethods = [...(Object.keys(logins).length || options.refuseAuth ? ['PLAIN', 'LOGIN'] : []), ...(Object.keys(tokens).length ? ['XOAUTH2'] : [])];
  const serverOptions: SMTPServerOptions = {
    name: TEST_HOST,
    logger: false,
    // A reverse lookup of 127.0.0.1 would delay every greeting by the resolver's time.
    disableReverseLookup: true,
    secure: Boolean(options.secure),
    ...(options.certificate && { key: options.certificate.key, cert: options.certificate.cert }),
    disabledCommands: [...(options.certificate ? [] : ['STARTTLS']), ...(authMethods.length ? [] : ['AUTH'])],
    authMethods,
    authOptional: authMethods.length === 0,
    allowInsecureAuth: Boolean(options.allowInsecureAuth),
    hideSTARTTLS: Boolean(options.hideStartTls),
    onConnect(_session, callback) {
      openedSessions += 1;
      callback(options.refuseGreeting ? refusal(options.refuseGreeting) : undefined);
    },
    onClose() {
      closedSessions += 1;
    },
    onAuth(auth, session, callback) {
      loginAttempts.push({ method: auth.method, user: auth.username ?? '', ...(typeof auth.password === 'string' && { password: auth.password }), secure: session.secure });
      if (options.refuseAuth) return callback(refusal(options.refuseAuth));
      if (auth.method === 'XOAUTH2') {
        if (auth.username && tokens[auth.username] === auth.accessToken) return callback(null, { user: auth.username });
        return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
      }
      if (auth.username && logins[auth.username] === auth.password) return callback(null, { user: auth.username });
      return callback(refusal({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    onMailFrom(address, _session, callback) {
      callback(options.refuseSender ? refusal(options.refuseSender) : undefined);
    },
    onRcptTo(address, _session, callback) {
      callback(options.refuseRecipient ? refusal(options.refuseRecipient) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...(typeof session.user === 'string' && { user: session.user }),
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  // A client that drops the connection mid-handshake is an expected event in these tests, not a crash.
  server.on('error', () => undefined);
  const address = options.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    address,
    port,
    messages,
    loginAttempts,
    get closedSessions() {
      return closedSessions;
    },
    get openedSessions() {
      return openedSessions;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
