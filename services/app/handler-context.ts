import type { Transport } from '../../shared/ipc/app-channels.js';
import type { EmitEvent } from '../../shared/ipc/events.js';
import type { FILE_KINDS } from '../../shared/ipc/file-channels.js';

/** The system's open dialogs, which only the app has; `serve` lists folders with browseFolder instead. */
export interface NativeDialogs {
  chooseFolder(options: { title?: string; defaultPath?: string }): Promise<string | null>;
  chooseFile(options: { title?: string; defaultPath?: string; kind: (typeof FILE_KINDS)[number] }): Promise<string | null>;
}

/** Who is calling and how to reach them: built per call by the IPC wrapper or the HTTP server. */
export interface HandlerContext {
  transport: Transport;
  /** Events for the page that made this call (its window, or its browser session). */
  emit: EmitEvent;
  dialogs?: NativeDialogs;
  /** Opens an https page in the system browser (the app); absent over HTTP, where the page opens it. */
  openExternal?: (url: string) => Promise<void>;
}
