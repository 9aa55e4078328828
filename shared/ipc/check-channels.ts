/** Checking a running n8n against the profile: the `check` command's report, for the wizard's last step. */
import * as z from 'zod/mini';
import { INSTANCE_DIAGNOSES, type FindingCode } from '../check/instance-diagnoses.js';
import { ProfileSchema } from '../profile/profile-schema.js';
import { channel } from './channel-spec.js';

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

export const CHECK_CHANNELS = {
  checkSenderDomain: channel({
    summary: "Looks up the sender domain's MX, SPF, the provider's DKIM selectors and DMARC; findings are advice, never a failure.",
    input: z.strictObject({ sender: z.string().check(z.minLength(3), z.maxLength(998)), smtpHost: z.optional(z.string().check(z.maxLength(253))) }),
    output: z.object({ domain: z.string(), provider: z.optional(z.string()), findings: z.array(DomainFindingSchema) }),
  }),
  checkInstance: channel({
    summary: "Reads a running n8n's /healthz and public /rest/settings and compares them with the profile (or, without one, with the URL).",
    input: z.strictObject({ url: z.string().check(z.minLength(1), z.maxLength(2048)), profile: z.optional(ProfileSchema) }),
    output: z.object({
      ok: z.boolean(),
      url: z.string(),
      healthMs: z.number(),
      instance: z.object({ smtpSetup: z.optional(z.boolean()), instanceUrl: z.optional(z.string()), secureCookie: z.optional(z.boolean()) }),
      expected: z.object({ publicUrl: z.string(), email: z.optional(z.enum(['smtp', 'none'])) }),
      findings: z.array(FindingSchema),
    }),
  }),
};
