/**
 * The wizard's unsaved state, kept by the services (a file in the app's data folder), not in browser
 * storage: `serve` on another port, or the app after a crash, finds it again.
 */
import * as z from 'zod/mini';
import { channel, NoInput } from './channel-spec.js';
import { AbsolutePathSchema, ProfileNameSchema } from './common-schemas.js';

export const DRAFT_MAX_BYTES = 256 * 1024;

export const DraftSchema = z.strictObject({
  /** The form as typed so far: any JSON, checked only when it is saved or exported as a profile. */
  profile: z.record(z.string(), z.json()),
  /** The wizard step the admin was on. */
  step: z.optional(z.string().check(z.maxLength(64))),
  /** The compose project folder chosen for export; also a root of the `serve` file browser. */
  outDir: z.optional(AbsolutePathSchema),
  /** The saved profile this draft started from, if any. */
  profileName: z.optional(ProfileNameSchema),
});

export type Draft = z.infer<typeof DraftSchema>;

export const DRAFT_CHANNELS = {
  loadDraft: channel({
    summary: 'The unsaved wizard state, or null when there is none.',
    input: NoInput,
    output: z.object({ draft: z.nullable(DraftSchema), savedAt: z.nullable(z.string()) }),
  }),
  saveDraft: channel({
    summary: `Keeps the wizard state (at most ${DRAFT_MAX_BYTES / 1024} KiB of JSON), replacing the previous one.`,
    input: z.strictObject({ draft: DraftSchema }),
    output: z.object({ savedAt: z.string() }),
  }),
  clearDraft: channel({
    summary: 'Forgets the wizard state.',
    input: NoInput,
    output: z.object({ cleared: z.boolean() }),
  }),
};
