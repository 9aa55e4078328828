/**
 * What n8n's own mailer did when `check` made it send: an invitation (n8n's verdict, read from its answer)
 * or a password reset (no verdict: n8n answers alike whatever happened). Crosses the CLI's --json and IPC.
 */
import type { VariableName } from '../n8n/n8n-variables.js';
import type { FailureKind, SmtpFailureClass } from '../smtp/smtp-diagnoses.js';

export interface InviteTestResult {
  kind: 'invite-test';
  to: string;
  /** n8n handed the invitation to the SMTP server (`emailSent`). */
  ok: boolean;
  /** The SMTP test's class for n8n's error; null when it was sent. */
  class: SmtpFailureClass | null;
  failureKind?: FailureKind;
  /** One plain sentence: what happened and, for a failure, what to change. */
  message: string;
  /** n8n's own words: the mailer's error text (`data[0].error`). */
  n8nError?: string;
  /** The SMTP server's reply within it, when there was one. */
  serverReply?: string;
  variables: VariableName[];
  /** The pending user the invitation created was deleted again. */
  removed: boolean;
  /** When it was not: what is left and how to remove it. */
  leftOver?: string;
}

export interface ResetRequestResult {
  kind: 'send-reset';
  to: string;
  /** n8n accepted the request (HTTP 200); it says nothing about the mail. */
  accepted: true;
  message: string;
}

export type N8nMailResult = InviteTestResult | ResetRequestResult;
