/**
 * The app's API: every channel with its input and output schema. The preload (electron/preload), the
 * handler table (services/app) and the HTTP client (renderer/api) are all built from this object, and
 * contract-drift.test.ts fails if any of them has a channel more or less.
 *
 * Every call answers `{ ok: true, data } | { ok: false, error: { code, message, field?, fix? } }` (ipc-result.ts);
 * inputs are validated where they arrive (main process or `serve`), outputs on the way out.
 */
import type * as z from 'zod/mini';
import { APP_CHANNELS } from './app-channels.js';
import type { ChannelName } from './channel-names.js';
import type { ChannelSpec } from './channel-spec.js';
import { CHECK_CHANNELS } from './check-channels.js';
import { DRAFT_CHANNELS } from './draft-channels.js';
import { EXPORT_CHANNELS } from './export-channels.js';
import { FILE_CHANNELS } from './file-channels.js';
import { PROFILE_CHANNELS } from './profile-channels.js';
import { SECRET_CHANNELS } from './secret-channels.js';
import { SMTP_CHANNELS } from './smtp-channels.js';

export const CONTRACT = {
  ...PROFILE_CHANNELS,
  ...DRAFT_CHANNELS,
  ...SECRET_CHANNELS,
  ...SMTP_CHANNELS,
  ...EXPORT_CHANNELS,
  ...FILE_CHANNELS,
  ...CHECK_CHANNELS,
  ...APP_CHANNELS,
} satisfies Record<ChannelName, ChannelSpec>;

// A name in CHANNEL_NAMES without a spec fails `satisfies` above; a spec without a name fails here.
type Unnamed = Exclude<keyof typeof CONTRACT, ChannelName>;
const _everySpecIsNamed: [Unnamed] extends [never] ? true : Unnamed = true;

type Contract = typeof CONTRACT;

/** What a caller sends. */
export type RequestOf<C extends ChannelName> = z.input<Contract[C]['input']>;
/** What a handler receives, after validation. */
export type InputOf<C extends ChannelName> = z.output<Contract[C]['input']>;
/** What a handler returns, before the output schema drops unnamed keys. */
export type ReplyOf<C extends ChannelName> = z.input<Contract[C]['output']>;
/** What a caller gets in `data`. */
export type OutputOf<C extends ChannelName> = z.output<Contract[C]['output']>;
