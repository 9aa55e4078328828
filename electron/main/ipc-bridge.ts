/**
 * The one IPC wrapper: every contract channel becomes an ipcMain.handle() that first checks who is
 * asking (the top frame of a page from the app's own origin), then calls the handler table, which
 * validates the request. It never throws: an exception would cross IPC as a bare message.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES, ipcChannel } from '../../shared/ipc/channel-names.js';
import { errorDataOf, fail, type IpcResult } from '../../shared/ipc/ipc-result.js';
import type { HandlerContext } from '../../services/app/handler-context.js';
import type { HandlerTable } from '../../services/app/handler-table.js';

export type IpcMainLike = Pick<IpcMain, 'handle'>;

export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

export interface IpcBridgeOptions {
  /** Origins whose top frame may call; `app://renderer` (and Vite's dev server in development). */
  trustedOrigins: readonly string[];
  contextFor: (sender: WebContents) => HandlerContext;
}

export const UNTRUSTED_SENDER = {
  code: 'UNTRUSTED_SENDER',
  message: 'This request did not come from the n8n Setup page and was refused.',
} as const;

export function registerIpcHandlers(ipcMain: IpcMainLike, table: HandlerTable, options: IpcBridgeOptions): void {
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event: SenderEvent, request: unknown): Promise<IpcResult<unknown>> => {
      try {
        if (!isTrustedSender(event, options.trustedOrigins)) return fail(UNTRUSTED_SENDER);
        return await table[name](request, options.contextFor(event.sender));
      } catch (error) {
        return fail(errorDataOf(error));
      }
    });
  }
}

export function isTrustedSender(event: Pick<SenderEvent, 'senderFrame'>, trustedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame;
  // null: the frame navigated away or was destroyed while the message was in flight.
  if (!frame || frame.parent !== null) return false;
  return trustedOrigins.includes(originOf(frame.url));
}

/** `app://renderer/x` → `app://renderer`. URL.origin is "null" for non-web schemes, so build it from the parts. */
function originOf(url: string): string {
  if (!URL.canParse(url)) return '';
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}
