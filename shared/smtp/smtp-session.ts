/**
 * What a test session leaves behind: the stages it reached and its transcript (every C:/S: line with
 * its time, AUTH exchanges already redacted), and the facts the diagnosis reads from them.
 */

/** In the order a session normally reaches them; `tls` comes after `connect` (port 465) or after `starttls`. */
export const SMTP_STAGES = ['resolve', 'connect', 'tls', 'greeting', 'ehlo', 'starttls', 'auth', 'mail-from', 'rcpt-to', 'data', 'done'] as const;

export type SmtpStage = (typeof SMTP_STAGES)[number];

export interface StageEvent {
  stage: SmtpStage;
  /** Milliseconds since the test started. */
  ms: number;
  /** e.g. the address connected to, or the TLS version. */
  detail?: string;
}

export interface TranscriptLine {
  ms: number;
  /** C: sent by us, S: from the server, *: what happened on the connection (connected, TLS, closed). */
  dir: 'C' | 'S' | '*';
  text: string;
}

export interface SessionFacts {
  /** The server's first line was a 220 greeting. */
  greeted: boolean;
  /** The EHLO reply listed STARTTLS. */
  startTlsOffered: boolean;
  /** The session ran over TLS (implicit TLS or after STARTTLS). */
  encrypted: boolean;
  /** Mechanisms from the last EHLO reply's AUTH line; empty when AUTH was not offered. */
  authMechanisms: string[];
  /** The server accepted a login (235). */
  authenticated: boolean;
}

/** Before anything was said: for classifying errors that happen before a session exists (DNS, connect). */
export const NO_SESSION: SessionFacts = { greeted: false, startTlsOffered: false, encrypted: false, authMechanisms: [], authenticated: false };

export function sessionFacts(transcript: readonly TranscriptLine[], stages: readonly StageEvent[]): SessionFacts {
  const server = transcript.filter((line) => line.dir === 'S').map((line) => line.text);
  let authMechanisms: string[] = [];
  for (const line of transcript) {
    // Each EHLO starts over: after STARTTLS only the second reply counts (servers hide AUTH until TLS).
    if (line.dir === 'C' && /^(EHLO|HELO|LHLO)\b/i.test(line.text)) authMechanisms = [];
    const auth = line.dir === 'S' ? /^250[ -]AUTH[ =](.*)$/i.exec(line.text) : null;
    if (auth) authMechanisms = (auth[1] ?? '').split(/[\s=]+/).filter(Boolean).map((m) => m.toUpperCase());
  }
  return {
    greeted: /^220[ -]/.test(server[0] ?? ''),
    startTlsOffered: server.some((line) => /^250[ -]STARTTLS\b/i.test(line)),
    encrypted: stages.some((event) => event.stage === 'tls'),
    authMechanisms,
    authenticated: server.some((line) => /^235[ -]/.test(line)),
  };
}

/** The furthest stage reached, for "failed at …". */
export function lastStage(stages: readonly StageEvent[]): SmtpStage | undefined {
  return stages.at(-1)?.stage;
}
