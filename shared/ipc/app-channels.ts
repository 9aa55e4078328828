/** The app itself: opening documentation, and what the page needs to know about where it runs. */
import * as z from 'zod/mini';
import { channel, NoInput } from './channel-spec.js';
import { DOCS_PREFIXES } from './docs-links.js';

export const TRANSPORTS = ['electron', 'http'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export const APP_CHANNELS = {
  openDocs: channel({
    summary: `Opens an https documentation page (under ${DOCS_PREFIXES.length} allowed prefixes) in the system browser. Over HTTP the page opens it itself: opened is false.`,
    input: z.strictObject({ url: z.string().check(z.maxLength(2048)) }),
    output: z.object({ url: z.string(), opened: z.boolean() }),
  }),
  appInfo: channel({
    summary: 'Version, transport and folders: the page picks native dialogs or the folder browser from `transport`.',
    input: NoInput,
    output: z.object({
      version: z.string(),
      transport: z.enum(TRANSPORTS),
      platform: z.string(),
      homeFolder: z.string(),
      dataFolder: z.string(),
    }),
  }),
};
