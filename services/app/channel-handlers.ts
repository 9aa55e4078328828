/**
 * The handler of every contract channel, built from the services. Handlers get validated input and return
 * the reply or throw a SetupError; handler-table.ts turns that into the typed result. Nothing here imports
 * electron: the same handlers serve ipcMain in the app and HTTP in `serve`.
 */
import type { ChannelName } from '../../shared/ipc/channel-names.js';
import type { InputOf, ReplyOf } from '../../shared/ipc/contract.js';
import type { AppServices } from './app-services.js';
import type { HandlerContext } from './handler-context.js';
import { appHandlers } from './handlers/app-handlers.js';
import { checkHandlers } from './handlers/check-handlers.js';
import { draftHandlers } from './handlers/draft-handlers.js';
import { exportHandlers } from './handlers/export-handlers.js';
import { fileHandlers } from './handlers/file-handlers.js';
import { profileHandlers } from './handlers/profile-handlers.js';
import { secretHandlers } from './handlers/secret-handlers.js';
import { smtpHandlers } from './handlers/smtp-handlers.js';

export type ChannelHandler<C extends ChannelName> = (input: InputOf<C>, context: HandlerContext) => Promise<ReplyOf<C>>;

export type ChannelHandlers = { [C in ChannelName]: ChannelHandler<C> };

/** The handlers of some channels: each file under handlers/ returns its group. */
export type HandlerGroup<C extends ChannelName> = { [K in C]: ChannelHandler<K> };

export function createChannelHandlers(services: AppServices): ChannelHandlers {
  return {
    ...profileHandlers(services),
    ...draftHandlers(services),
    ...secretHandlers(services),
    ...smtpHandlers(services),
    ...exportHandlers(services),
    ...fileHandlers(services),
    ...checkHandlers(services),
    ...appHandlers(services),
  };
}
