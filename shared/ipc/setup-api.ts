/**
 * The one API the page uses, whichever transport carries it: the Electron preload or the HTTP client
 * of `serve`. One function per contract channel, plus the subscription for SMTP progress. No function
 * ever throws: transport failures are typed results too.
 */
import type { ChannelName, EventName } from './channel-names.js';
import type { OutputOf, RequestOf } from './contract.js';
import type { EventPayload } from './events.js';
import type { IpcResult } from './ipc-result.js';

export type ChannelFunctions = { [C in ChannelName]: (request: RequestOf<C>) => Promise<IpcResult<OutputOf<C>>> };

export type SmtpStageListener = (event: EventPayload<'smtpStage'>) => void;
export type ApplyOutputListener = (event: EventPayload<'applyOutput'>) => void;
export type ExportStepListener = (event: EventPayload<'exportStep'>) => void;

export interface SetupApi extends ChannelFunctions {
  /** Calls `listener` for every SMTP test stage; returns the function that stops it. */
  onSmtpStage(listener: SmtpStageListener): () => void;
  /** Calls `listener` for every line docker compose prints during applySetup; returns the function that stops it. */
  onApplyOutput(listener: ApplyOutputListener): () => void;
  /** Calls `listener` for every step of a write into a folder on a server; returns the function that stops it. */
  onExportStep(listener: ExportStepListener): () => void;
}

/** Each subscription and the event it listens to. */
export const SUBSCRIPTIONS = { onSmtpStage: 'smtpStage', onApplyOutput: 'applyOutput', onExportStep: 'exportStep' } as const satisfies Record<string, EventName>;

/** The name the preload exposes the API under (`window.n8nSetup`). */
export const API_GLOBAL = 'n8nSetup';

export const SUBSCRIPTION_NAMES = ['onSmtpStage', 'onApplyOutput', 'onExportStep'] as const;
