/**
 * Turns nodemailer's debug log into the test's transcript and stage events. nodemailer (with `debug: true`)
 * logs every command and reply through a bunyan-style logger; this is that logger. It hides whole AUTH
 * exchanges as they pass — nodemailer masks the password but not the base64 user name, nor the
 * XOAUTH2 token's surroundings — so nothing secret is ever stored, not even briefly.
 */
import { performance } from 'node:perf_hooks';
import { format } from 'node:util';
import type { SmtpStage, StageEvent, TranscriptLine } from '../../shared/smtp/smtp-session.js';

type LogMethod = (data: { tnx?: string } | undefined, message?: unknown, ...args: unknown[]) => void;

export interface SessionRecorder {
  readonly transcript: TranscriptLine[];
  readonly stages: StageEvent[];
  /** Milliseconds since the test started. */
  elapsed(): number;
  /** Records a stage the first time it is reached. */
  stage(stage: SmtpStage, detail?: string): void;
  /** A "*" line: what happened on the connection. */
  note(text: string): void;
  /** Runs once, when the server's first line arrives. */
  onServerSpeaks(listener: () => void): void;
  readonly serverSpoke: boolean;
  /** Pass as nodemailer's `logger` together with `debug: true`. */
  readonly logger: Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', LogMethod>;
}

const COMMAND_STAGES: ReadonlyArray<[RegExp, SmtpStage]> = [
  [/^(EHLO|HELO|LHLO)\b/i, 'ehlo'],
  [/^STARTTLS\b/i, 'starttls'],
  [/^MAIL FROM\b/i, 'mail-from'],
  [/^RCPT TO\b/i, 'rcpt-to'],
  [/^DATA\b/i, 'data'],
];

export function createSessionRecorder(onStage?: (event: StageEvent) => void): SessionRecorder {
  const startedAt = performance.now();
  const transcript: TranscriptLine[] = [];
  const stages: StageEvent[] = [];
  const speakListeners: Array<() => void> = [];
  let serverSpoke = false;
  let inAuth = false;

  const elapsed = () => Math.round(performance.now() - startedAt);
  const push = (dir: TranscriptLine['dir'], text: string) => transcript.push({ ms: elapsed(), dir, text });
  const stage = (name: SmtpStage, detail?: string) => {
    if (stages.some((s) => s.stage === name)) return;
    const event: StageEvent = { stage: name, ms: elapsed(), ...(detail !== undefined && { detail }) };
    stages.push(event);
    onStage?.(event);
  };

  const client = (text: string) => {
    const auth = /^AUTH\s+(\S+)(\s.*)?$/i.exec(text);
    if (auth) {
      inAuth = true;
      stage('auth', auth[1]);
      push('C', `AUTH ${auth[1]}${auth[2] ? ' [redacted]' : ''}`);
      return;
    }
    if (inAuth) return push('C', '[redacted]');
    push('C', text);
    const found = COMMAND_STAGES.find(([pattern]) => pattern.test(text));
    if (found) stage(found[1]);
  };

  const server = (reply: string) => {
    for (const line of reply.split(/\r?\n/)) {
      if (!serverSpoke) {
        serverSpoke = true;
        stage('greeting');
        for (const listener of speakListeners.splice(0)) listener();
      }
      // 334 lines are the AUTH challenge/response channel (XOAUTH2 errors come back there too).
      if (inAuth && /^334[ -]/.test(line)) push('S', '334 [redacted]');
      else push('S', line);
    }
    if (inAuth && !/^334[ -]/.test(reply)) inAuth = false;
  };

  const log: LogMethod = (data, message, ...args) => {
    const text = format(message, ...args);
    switch (data?.tnx) {
      case 'client':
        return client(text);
      case 'server':
        return server(text);
      case 'network':
        if (/^Secure connection established/.test(text)) stage('tls');
        if (/^Connection closed$/.test(text)) push('*', 'connection closed');
        return;
      case 'smtp':
        if (/^Connection upgraded with STARTTLS/.test(text)) {
          stage('tls', 'STARTTLS');
          push('*', 'connection upgraded with STARTTLS');
        }
        return;
      default:
        return;
    }
  };
  // The message itself is logged at debug level under tnx "message"; only its size is worth keeping.
  const info: LogMethod = (data, message, ...args) => {
    if (data?.tnx === 'message') return push('C', format(message, ...args));
    log(data, message, ...args);
  };

  return {
    transcript,
    stages,
    elapsed,
    stage,
    note: (text) => push('*', text),
    onServerSpeaks: (listener) => (serverSpoke ? listener() : void speakListeners.push(listener)),
    get serverSpoke() {
      return serverSpoke;
    },
    logger: { trace: log, debug: (data, ...rest) => (data?.tnx === 'message' ? undefined : log(data, ...rest)), info, warn: log, error: log, fatal: log },
  };
}
