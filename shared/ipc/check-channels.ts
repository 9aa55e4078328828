/** Checking a running n8n against the profile: the `check` command's report, for the wizard's last step. */
import * as z from 'zod/mini';
import { INSTANCE_DIAGNOSES, type FindingCode } from '../check/instance-diagnoses.js';
import { ProfileSchema } from '../profile/profile-schema.js';
import { SMTP_FAILURE_CLASSES } from '../smtp/smtp-diagnoses.js';
import { channel } from './channel-spec.js';
import { SecretValueSchema } from './common-schemas.js';

const FINDING_CODES = Object.keys(INSTANCE_DIAGNOSES) as [FindingCode, ...FindingCode[]];
const ComparedValueSchema = z.optional(z.union([z.string(), z.boolean()]));

const FindingSchema = z.object({
  topic: z.enum(['url', 'smtp', 'cookie', 'push', 'proxy']),
  status: z.enum(['ok', 'mismatch', 'unknown']),
  code: z.enum(FINDING_CODES),
  message: z.string(),
  expected: ComparedValueSchema,
  actual: ComparedValueSchema,
  /** Most likely first; set for a mismatch. */
  causes: z.optional(z.array(z.string())),
  fix: z.optional(z.string()),
});

const DomainFindingSchema = z.object({
  check: z.enum(['domain', 'mx', 'spf', 'dkim', 'dmarc', 'provider']),
  status: z.enum(['ok', 'warning', 'not-checked', 'info']),
  message: z.string(),
  fix: z.optional(z.string()),
});

const EmailSchema = z.string().check(z.minLength(3), z.maxLength(320), z.regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an email address, e.g. name@example.com'));

/** The owner's login, typed for this check only: sent to n8n once, never stored. */
const OwnerLoginSchema = z.strictObject({
  email: EmailSchema,
  password: SecretValueSchema,
  mfaCode: z.optional(z.string().check(z.regex(/^\d{6,8}$/, 'must be the 6-digit code of the authenticator app'))),
});

const InviteTestResultSchema = z.object({
  kind: z.literal('invite-test'),
  to: z.string(),
  ok: z.boolean(),
  class: z.nullable(z.enum(SMTP_FAILURE_CLASSES as [string, ...string[]])),
  failureKind: z.optional(z.enum(['connection', 'auth', 'rejected', 'cancelled'])),
  message: z.string(),
  n8nError: z.optional(z.string()),
  serverReply: z.optional(z.string()),
  variables: z.array(z.string()),
  removed: z.boolean(),
  leftOver: z.optional(z.string()),
});

const ResetRequestResultSchema = z.object({ kind: z.literal('send-reset'), to: z.string(), accepted: z.literal(true), message: z.string() });

export const CHECK_CHANNELS = {
  checkSenderDomain: channel({
    summary: "Looks up the sender domain's MX, SPF, the provider's DKIM selectors and DMARC; findings are advice, never a failure.",
    input: z.strictObject({ sender: z.string().check(z.minLength(3), z.maxLength(998)), smtpHost: z.optional(z.string().check(z.maxLength(253))) }),
    output: z.object({ domain: z.string(), provider: z.optional(z.string()), findings: z.array(DomainFindingSchema) }),
  }),
  checkInstance: channel({
    summary:
      "Reads a running n8n's /healthz and public /rest/settings and compares them with the profile (or, without one, with the URL); with the owner's login, also signs in and opens the editor's live connection through the URL.",
    input: z.strictObject({ url: z.string().check(z.minLength(1), z.maxLength(2048)), profile: z.optional(ProfileSchema), login: z.optional(OwnerLoginSchema) }),
    output: z.object({
      ok: z.boolean(),
      url: z.string(),
      healthMs: z.number(),
      instance: z.object({ smtpSetup: z.optional(z.boolean()), instanceUrl: z.optional(z.string()), secureCookie: z.optional(z.boolean()) }),
      expected: z.object({ publicUrl: z.string(), email: z.optional(z.enum(['smtp', 'none'])) }),
      findings: z.array(FindingSchema),
    }),
  }),
  sendThroughN8n: channel({
    summary: "Makes n8n's own mailer send one email through the URL: an invitation (signed in as the owner; n8n's verdict, the invitation deleted again) or a password reset (no login; n8n says nothing about delivery).",
    input: z.strictObject({
      url: z.string().check(z.minLength(1), z.maxLength(2048)),
      profile: z.optional(ProfileSchema),
      mail: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('invite-test'), to: EmailSchema, login: OwnerLoginSchema }),
        z.strictObject({ kind: z.literal('send-reset'), to: EmailSchema }),
      ]),
    }),
    output: z.discriminatedUnion('kind', [InviteTestResultSchema, ResetRequestResultSchema]),
  }),
};
