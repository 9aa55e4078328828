/**
 * The SMTP test (a real message through the transport n8n builds) and auto-detect. The test streams its
 * progress as `smtpStage` events tagged with the caller's runId, and cancelSmtp(runId) stops it: the
 * test then settles with class CANCELLED. A failed test is a normal result (`ok: false` inside `data`).
 */
import * as z from 'zod/mini';
import { isVariableName, type VariableName } from '../n8n/n8n-variables.js';
import { ProfileSchema, SecuritySchema } from '../profile/profile-schema.js';
import { SMTP_FAILURE_CLASSES, type SmtpFailureClass } from '../smtp/smtp-diagnoses.js';
import { SMTP_STAGES } from '../smtp/smtp-session.js';
import { channel, NoInput } from './channel-spec.js';
import { AbsolutePathSchema, RunSecretsSchema, SecretForNewServerSchema, SshServerSchema } from './common-schemas.js';

/** Chosen by the page (a random UUID), so it can match events and cancel before the call returns. */
export const RunIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-".'));

const VariableSchema = z.custom<VariableName>((value) => typeof value === 'string' && isVariableName(value));
const FailureClassSchema = z.enum(SMTP_FAILURE_CLASSES as [SmtpFailureClass, ...SmtpFailureClass[]]);
const PatchSchema = z.object({ email: z.object({ security: z.optional(SecuritySchema), port: z.optional(z.number()) }) });

export const StageEventSchema = z.object({ stage: z.enum(SMTP_STAGES), ms: z.number(), detail: z.optional(z.string()) });

const TestRecordShape = {
  ms: z.number(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), variables: z.array(VariableSchema), patch: z.optional(PatchSchema) })),
  transcript: z.array(z.object({ ms: z.number(), dir: z.enum(['C', 'S', '*']), text: z.string() })),
  stages: z.array(StageEventSchema),
  settings: z.object({
    host: z.string(),
    port: z.number(),
    secure: z.boolean(),
    startTLS: z.boolean(),
    user: z.string(),
    sender: z.string(),
    login: z.enum(['none', 'password', 'oauth2']),
  }),
};

export const SmtpTestResultSchema = z.discriminatedUnion('ok', [
  z.object({ ...TestRecordShape, ok: z.literal(true), class: z.null(), response: z.string(), accepted: z.array(z.string()) }),
  z.object({
    ...TestRecordShape,
    ok: z.literal(false),
    class: FailureClassSchema,
    kind: z.enum(['connection', 'auth', 'rejected', 'cancelled']),
    message: z.string(),
    serverReply: z.optional(z.string()),
    variables: z.array(VariableSchema),
    patch: z.optional(PatchSchema),
    stage: z.optional(z.enum(SMTP_STAGES)),
  }),
]);

const PortProbeSchema = z.object({
  port: z.number(),
  mode: z.enum(['tls', 'starttls']),
  ms: z.number(),
  reachable: z.boolean(),
  greeting: z.optional(z.string()),
  startTlsOffered: z.optional(z.boolean()),
  tls: z.boolean(),
  certificate: z.optional(z.object({ valid: z.boolean(), problem: z.optional(FailureClassSchema), subject: z.optional(z.string()), validTo: z.optional(z.string()) })),
  authMechanisms: z.array(z.string()),
  failure: z.optional(FailureClassSchema),
});

const RecommendationSchema = z.object({
  port: z.number(),
  security: SecuritySchema,
  patch: PatchSchema,
  variables: z.object({ N8N_SMTP_PORT: z.string(), N8N_SMTP_SSL: z.string(), N8N_SMTP_STARTTLS: z.string() }),
  reason: z.string(),
});

const ServerCertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  sha256: z.string(),
  sha1: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  selfSigned: z.boolean(),
  ca: z.boolean(),
  pem: z.string(),
});


export const SMTP_CHANNELS = {
  testSmtp: channel({
    summary: "Sends a real test message with the profile's settings as n8n would; secrets not given come from the keychain.",
    input: z.strictObject({
      runId: RunIdSchema,
      profile: ProfileSchema,
      to: z.string().check(z.regex(/^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/, 'must be one email address.'), z.maxLength(320)),
      /** Base for a relative caFile path, as for export. */
      outDir: z.optional(AbsolutePathSchema),
      secrets: z.optional(RunSecretsSchema),
      secretForNewServer: SecretForNewServerSchema,
      /** Run the test on this server over SSH (user@host, ssh://user@host:port): its host key must be known (sshHostKey). */
      onServer: z.optional(SshServerSchema),
      /** With onServer: n8n's compose project there; a server without Node then runs the test inside its running container. */
      inProject: z.optional(z.strictObject({ folder: z.string().check(z.minLength(1), z.maxLength(4096)), composeFile: z.string().check(z.minLength(1), z.maxLength(255)), service: z.string().check(z.minLength(1), z.maxLength(255)) })),
    }),
    output: SmtpTestResultSchema,
  }),
  sshHostKey: channel({
    summary: "Whether the server's SSH host key is known (known_hosts, as ~/.ssh/config resolves the server); if not, the keys it presents now, with their fingerprints.",
    input: z.strictObject({ server: SshServerSchema }),
    output: z.object({ known: z.boolean(), name: z.string(), keys: z.array(z.object({ type: z.string(), fingerprint: z.string() })) }),
  }),
  trustSshHostKey: channel({
    summary: 'Adds the key the admin checked (by its fingerprint) to known_hosts; refused when the server does not present that key now.',
    input: z.strictObject({ server: SshServerSchema, fingerprint: z.string().check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256: fingerprint')) }),
    output: z.object({ trusted: z.literal(true) }),
  }),
  sshLogin: channel({
    summary: "Logs in to the server over SSH (its host key known) and says as whom: the keys of ssh-agent and ~/.ssh/config are used, and a key's passphrase typed in this session (sshKeyPassphrase). A key that needs one (or was given a wrong one) is named in passphraseFor; other operations fail with SSH_KEY_PASSPHRASE then.",
    input: z.strictObject({ server: SshServerSchema }),
    output: z.object({ user: z.optional(z.string()), passphraseFor: z.optional(z.object({ key: z.string(), wrong: z.boolean(), message: z.string() })) }),
  }),
  sshKeyPassphrase: channel({
    summary: 'Holds a key’s passphrase for this session (memory, gone with forgetSessionSecrets): ssh gets it when it asks for that key file.',
    input: z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(4096)), passphrase: z.string().check(z.minLength(1), z.maxLength(1024)) }),
    output: z.object({ held: z.literal(true) }),
  }),
  keepSshKeyPassphrase: channel({
    summary: 'Keeps the passphrase held for this key (one that just opened it: sshLogin) in the OS keychain, account :ssh-key/<key file>, removed by forgetAllSecrets; kept is false, with the reason, when the keychain cannot take it.',
    input: z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(4096)) }),
    output: z.object({ kept: z.boolean(), where: z.optional(z.string()), keychainProblem: z.optional(z.string()) }),
  }),
  recentServers: channel({
    summary: 'The servers this computer reached over SSH lately (known host keys), newest first: for picking one again.',
    input: NoInput,
    output: z.object({ servers: z.array(z.string()) }),
  }),
  applySetup: channel({
    summary: "Runs docker compose up -d in the export's folder (here, or on the server over SSH) after the checks that say what stops it; each line it prints comes as an applyOutput event. Stopped with cancelSmtp(runId).",
    input: z.strictObject({ runId: RunIdSchema, outDir: AbsolutePathSchema, server: z.optional(SshServerSchema) }),
    output: z.object({ ok: z.boolean(), exitCode: z.number(), tail: z.string() }),
  }),
  cancelSmtp: channel({
    summary: 'Stops a running test, detection or apply; cancelled is false when nothing with that runId is running.',
    input: z.strictObject({ runId: RunIdSchema }),
    output: z.object({ cancelled: z.boolean() }),
  }),
  detectSmtp: channel({
    summary: "Probes 465, 587, 2525 and 25 of a host in parallel (and the port the admin typed, in the security chosen for it) and recommends a setting; with a runId, cancelSmtp stops it.",
    input: z.strictObject({
      host: z.string().check(z.minLength(1), z.maxLength(253)),
      runId: z.optional(RunIdSchema),
      port: z.optional(z.int().check(z.minimum(1), z.maximum(65535))),
      security: z.optional(z.enum(['tls', 'starttls', 'none'])),
    }),
    output: z.object({
      host: z.string(),
      address: z.optional(z.string()),
      ms: z.number(),
      ports: z.array(PortProbeSchema),
      recommended: z.optional(RecommendationSchema),
      /** Set when the host could not be probed at all (DNS), or nothing usable answered. */
      failure: z.optional(z.object({ class: FailureClassSchema, message: z.string() })),
    }),
  }),
  smtpCertificates: channel({
    summary: 'Connects once (TLS or STARTTLS) and returns the certificates the server presents, valid or not; no login, no mail. With a runId, cancelSmtp stops it.',
    input: z.strictObject({
      host: z.string().check(z.minLength(1), z.maxLength(253)),
      port: z.int().check(z.minimum(1), z.maximum(65535)),
      security: z.enum(['tls', 'starttls']),
      runId: z.optional(RunIdSchema),
    }),
    output: z.object({ chain: z.array(ServerCertificateSchema), failure: z.optional(z.object({ class: FailureClassSchema, message: z.string() })) }),
  }),
  trustSmtpCertificate: channel({
    summary: "Saves one certificate the server presented (a CA, or the server's self-signed one) as this host's CA file in the app's data folder; returns its path for the CA file field.",
    input: z.strictObject({
      host: z.string().check(z.minLength(1), z.maxLength(253)),
      port: z.int().check(z.minimum(1), z.maximum(65535)),
      pem: z.string().check(z.minLength(1), z.maxLength(64 * 1024)),
    }),
    output: z.object({ caFile: z.string(), certificate: ServerCertificateSchema }),
  }),
};
