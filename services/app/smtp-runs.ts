/**
 * SMTP tests and detections in flight, by the runId the page chose, so cancelSmtp can reach their AbortSignal
 * from another call (another IPC message, another HTTP request).
 */
import { SetupError } from '../../shared/errors.js';

export interface SmtpRuns {
  start(runId: string): AbortSignal;
  finish(runId: string): void;
  /** false when no test with that id is running. */
  cancel(runId: string): boolean;
  /** Stops every test: the app quits or `serve` stops. */
  cancelAll(): void;
}

export function createSmtpRuns(): SmtpRuns {
  const running = new Map<string, AbortController>();
  return {
    start(runId) {
      if (running.has(runId)) {
        throw new SetupError({ code: 'RUN_ID_IN_USE', field: 'runId', message: `A test or detection with runId "${runId}" is already running.`, fix: 'Use a new random runId for each test.' });
      }
      const controller = new AbortController();
      running.set(runId, controller);
      return controller.signal;
    },
    finish(runId) {
      running.delete(runId);
    },
    cancel(runId) {
      const controller = running.get(runId);
      controller?.abort();
      return controller !== undefined;
    },
    cancelAll() {
      for (const controller of running.values()) controller.abort();
    },
  };
}
