/**
 * The page's API over IPC: one function per contract channel, each invoking exactly its channel, and a
 * subscription per event (SMTP progress, apply output). The page never sees ipcRenderer or an IPC event object (whose `sender`
 * is ipcRenderer itself). Imports channel names only, so the sandboxed preload stays one small file.
 */
import { CHANNEL_NAMES, ipcChannel, ipcEventChannel, type ChannelName } from '../../shared/ipc/channel-names.js';
import type { IpcResult } from '../../shared/ipc/ipc-result.js';
import { SUBSCRIPTIONS, type SetupApi } from '../../shared/ipc/setup-api.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createApi(ipc: IpcRendererLike): SetupApi {
  const api: Record<string, unknown> = {};
  for (const name of CHANNEL_NAMES) api[name] = (request: unknown) => invoke(ipc, name, request);
  for (const [name, event] of Object.entries(SUBSCRIPTIONS)) {
    api[name] = (listener: (payload: unknown) => void) => {
      const channel = ipcEventChannel(event);
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => void ipc.removeListener(channel, forward);
    };
  }
  return Object.freeze(api) as unknown as SetupApi;
}

async function invoke(ipc: IpcRendererLike, name: ChannelName, request: unknown): Promise<IpcResult<unknown>> {
  try {
    return (await ipc.invoke(ipcChannel(name), request)) as IpcResult<unknown>;
  } catch (error) {
    // The request could not be cloned, or the main process is gone: a typed failure, like every other.
    return { ok: false, error: { code: 'IPC_FAILED', message: `The call ${name} did not reach n8n Setup: ${error instanceof Error ? error.message : String(error)}`, fix: 'Try again; restart n8n Setup if it keeps failing.' } };
  }
}
