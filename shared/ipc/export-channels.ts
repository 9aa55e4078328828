/** Export (preview and write), its backups, and import of an existing setup. */
import * as z from 'zod/mini';
import { PLATFORM_KINDS, PROXY_KINDS, SERVICE_ROLES } from '../deployment/deployment.js';
import { ProfileSchema, type Profile } from '../profile/profile-schema.js';
import { channel } from './channel-spec.js';
import { RunIdSchema } from './smtp-channels.js';
import { AbsolutePathSchema, OnServerSchema, RunSecretsSchema, SecretForNewServerSchema, WarningSchema } from './common-schemas.js';

/**
 * The profile and the compose project folder. Relative file paths in the profile (templates, CA file)
 * resolve against `outDir`, as they do for a profile imported from that folder. Secrets not given here
 * come from the keychain; a password given neither way keeps the one already in the folder.
 */
const ExportRequestSchema = z.strictObject({
  profile: ProfileSchema,
  outDir: AbsolutePathSchema,
  server: OnServerSchema,
  /** With a server: its steps come as exportStep events tagged with this id, and cancelSmtp(runId) stops it before anything is replaced. */
  runId: z.optional(RunIdSchema),
  secrets: z.optional(RunSecretsSchema),
  secretForNewServer: SecretForNewServerSchema,
  /** Secrets left in .env that nothing reads, ticked for removal on the review: each must be one the report lists. */
  removeUnusedSecrets: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/))).check(z.maxLength(100))),
});

/** One line of the review's diff; a secret's values are always masked ("••••••••"). */
export const KeyChangeSchema = z.object({
  file: z.string(),
  key: z.string(),
  action: z.enum(['add', 'change', 'remove']),
  before: z.optional(z.string()),
  after: z.optional(z.string()),
  secret: z.boolean(),
});

/** A variable whose value in one service's container changes, and the file lines that change it. */
const VariableChangeSchema = z.extend(z.omit(KeyChangeSchema, { file: true }), {
  writtenIn: z.array(z.object({ file: z.string(), line: z.number(), key: z.string(), removed: z.boolean() })),
});

/** What one service of an existing deployment gets from the export (shared/export/service-changes.ts). */
const ServiceChangesSchema = z.object({
  name: z.string(),
  role: z.optional(z.enum(SERVICE_ROLES)),
  roleLabel: z.string(),
  variables: z.array(VariableChangeSchema),
  entries: z.array(z.object({ field: z.enum(['volumes', 'secrets']), action: z.enum(['add', 'remove']), entry: z.string() })),
});

/** What an imported compose file runs (shared/deployment/deployment-summary.ts). */
const DeploymentSummarySchema = z.object({
  composeFile: z.string(),
  platform: z.enum(PLATFORM_KINDS),
  platformLabel: z.string(),
  proxy: z.enum(PROXY_KINDS),
  proxyService: z.optional(z.string()),
  routing: z.string(),
  services: z.array(
    z.object({
      name: z.string(),
      role: z.optional(z.enum(SERVICE_ROLES)),
      roleLabel: z.string(),
      image: z.optional(z.string()),
      build: z.boolean(),
      publishesPorts: z.boolean(),
      envFiles: z.array(z.string()),
    }),
  ),
});

const ExportFileSchema = z.object({
  path: z.string(),
  action: z.enum(['created', 'updated', 'unchanged', 'removed', 'would-create', 'would-update']),
  backup: z.optional(z.string()),
  mode: z.optional(z.string()),
  tightenedFrom: z.optional(z.string()),
});

/** A secret in .env that nothing reads after the export: where it is, never its value. */
const UnusedSecretSchema = z.object({
  key: z.string(),
  file: z.string(),
  lines: z.array(z.number()),
  /** This export removes it (it was asked to). */
  remove: z.boolean(),
});

const ExportReportSchema = z.object({
  dryRun: z.boolean(),
  files: z.array(ExportFileSchema),
  changed: z.array(z.string()),
  changes: z.array(KeyChangeSchema),
  warnings: z.array(WarningSchema),
  secrets: z.array(z.object({ variable: z.string(), file: z.string() })),
  /** An existing deployment changed in place: the changes grouped by service, every service listed. */
  services: z.optional(z.array(ServiceChangesSchema)),
  unusedSecrets: z.array(UnusedSecretSchema),
  /** The record of a write that changed something, for restoring the whole export. */
  exportId: z.optional(z.string()),
  /** The compose file and the main n8n service, for the commands after the export. */
  project: z.object({ composeFile: z.string(), service: z.string() }),
  /** A preview's files line by line (unified diff hunks), secrets masked; secret files and the tool bundle only named. */
  diffs: z.optional(
    z.array(
      z.object({
        path: z.string(),
        status: z.enum(['new', 'changed', 'unchanged']),
        diff: z.optional(z.string()),
        note: z.optional(z.string()),
        added: z.number(),
        removed: z.number(),
      }),
    ),
  ),
});

export const BackupRowSchema = z.object({
  /** Relative to the export folder, as `restoreBackup` takes it. */
  backup: z.string(),
  target: z.string(),
  takenAt: z.string(),
  size: z.number(),
  /** The export that made it. */
  exportId: z.string(),
});

/** A recorded export (or restore): what it did to each file. */
export const ExportRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['export', 'restore']),
  at: z.string(),
  files: z.array(z.object({ path: z.string(), action: z.enum(['created', 'updated', 'unchanged', 'removed']), backup: z.optional(z.object({ path: z.string() })) })),
});

/** An imported profile is a draft: n8n's values as they are, validated only when saved or exported. */
const ImportedProfileSchema = z.custom<Profile>((value) => typeof value === 'object' && value !== null && !Array.isArray(value));

export const EXPORT_CHANNELS = {
  previewExport: channel({
    summary: 'What an export would change, key by key with secrets masked; writes nothing.',
    input: ExportRequestSchema,
    output: ExportReportSchema,
  }),
  writeExport: channel({
    summary: 'Writes .env, the compose file, secret files, templates and proxy files atomically, backing up what it replaces.',
    input: ExportRequestSchema,
    // A generated N8N_ENCRYPTION_KEY comes back once, for the admin to store; nothing else keeps it.
    output: z.extend(ExportReportSchema, { generatedEncryptionKey: z.optional(z.string()) }),
  }),
  listBackups: channel({
    summary: 'The backups export made in a folder (and its secrets, templates, certs and proxy folders), newest first.',
    input: z.strictObject({ outDir: AbsolutePathSchema, server: OnServerSchema }),
    output: z.object({ backups: z.array(BackupRowSchema), exports: z.array(ExportRecordSchema) }),
  }),
  restoreBackup: channel({
    summary: 'Puts a backup back in place, first backing up the current file so the restore can be undone.',
    input: z.strictObject({ outDir: AbsolutePathSchema, server: OnServerSchema, backup: z.string().check(z.minLength(1), z.maxLength(4096)) }),
    output: z.object({ restored: z.string(), backup: z.optional(z.string()), restoreId: z.optional(z.string()) }),
  }),
  restoreExport: channel({
    summary: 'Undoes a recorded export as a whole: every file it changed gets its backup back, every file it created is removed; itself recorded.',
    input: z.strictObject({
      outDir: AbsolutePathSchema,
      server: OnServerSchema,
      exportId: z.string().check(z.regex(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/)),
      dryRun: z.optional(z.boolean()),
      /** A dry run's fingerprint: the restore happens only if the folder is still as that dry run saw it. */
      expect: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
    }),
    output: z.object({
      restored: z.array(z.object({ path: z.string(), action: z.enum(['created', 'updated', 'unchanged', 'removed']), backup: z.optional(z.string()) })),
      changedSince: z.array(z.string()),
      restoreId: z.optional(z.string()),
      dryRun: z.optional(z.boolean()),
      fingerprint: z.optional(z.string()),
    }),
  }),
  importSetup: channel({
    summary: "Reads an existing .env (and compose file) into a profile, with every variable n8n would ignore or alter.",
    input: z.strictObject({ envFile: AbsolutePathSchema, composeFile: z.optional(AbsolutePathSchema), server: OnServerSchema }),
    output: z.object({
      profile: ImportedProfileSchema,
      files: z.optional(z.array(z.object({ path: z.string(), role: z.enum(['compose', 'override', 'listed', 'include', 'extends']), from: z.optional(z.string()) }))),
      findings: z.array(z.object({ code: z.string(), variable: z.string(), message: z.string(), fix: z.optional(z.string()) })),
      parseErrors: z.array(z.object({ line: z.number(), message: z.string() })),
      deployment: z.optional(DeploymentSummarySchema),
    }),
  }),
};
