/**
 * The result of one SMTP test: a normal value whether the message went out or not. It crosses IPC and
 * the CLI's --json unchanged, and never holds a secret (the service scrubs every string before returning).
 */
import type { VariableName } from '../n8n/n8n-variables.js';
import type { Security } from '../profile/profile-schema.js';
import type { FailureKind, SmtpFailureClass } from './smtp-diagnoses.js';
import type { SmtpStage, StageEvent, TranscriptLine } from './smtp-session.js';

/** A change the UI can apply to the profile in one click, e.g. `{ email: { security: 'starttls' } }`. */
export interface ProfilePatch {
  email: { security?: Security; port?: number };
}

/** Lint findings before the send (`LINT_*`) and observations after it (`WARN_*`); never block anything. */
export interface SmtpWarning {
  code: string;
  message: string;
  variables: VariableName[];
  patch?: ProfilePatch;
}

/** What was tested, as n8n reads it; secrets only as whether they are set. */
export interface TestedSettings {
  host: string;
  port: number;
  secure: boolean;
  startTLS: boolean;
  user: string;
  sender: string;
  login: 'none' | 'password' | 'oauth2';
}

interface TestRecord {
  /** From the start of the test to the verdict. */
  ms: number;
  warnings: SmtpWarning[];
  transcript: TranscriptLine[];
  stages: StageEvent[];
  settings: TestedSettings;
}

export interface SmtpTestSuccess extends TestRecord {
  ok: true;
  class: null;
  /** The server's reply to the message, e.g. "250 2.0.0 Ok: queued as 4XyZ". */
  response: string;
  accepted: string[];
}

export interface SmtpTestFailure extends TestRecord {
  ok: false;
  class: SmtpFailureClass;
  kind: FailureKind;
  /** One plain sentence: what is wrong and what to change. */
  message: string;
  /** The server's own words, when it said something. */
  serverReply?: string;
  /** The n8n variables to change (may be empty when the fix is elsewhere, e.g. the mail server). */
  variables: VariableName[];
  patch?: ProfilePatch;
  /** The last stage reached. */
  stage?: SmtpStage;
}

export type SmtpTestResult = SmtpTestSuccess | SmtpTestFailure;
