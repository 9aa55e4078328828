/** What the services push to the page while a call runs, each with its payload schema. */
import * as z from 'zod/mini';
import type { EventName } from './channel-names.js';
import { RunIdSchema, StageEventSchema } from './smtp-channels.js';

export const EVENTS = {
  smtpStage: z.extend(StageEventSchema, { runId: RunIdSchema }),
  /** A line docker compose printed while applySetup runs. */
  applyOutput: z.object({ runId: RunIdSchema, line: z.string().check(z.maxLength(16_384)) }),
  /** How far a write into a folder on a server got: the folder locked, the new contents there, the files replaced. */
  exportStep: z.object({ runId: RunIdSchema, step: z.enum(['locked', 'staged', 'done']) }),
} satisfies Record<EventName, z.ZodMiniType>;

export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

/** How a handler reaches the page that called it: IPC to that window, SSE to that browser session. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;
