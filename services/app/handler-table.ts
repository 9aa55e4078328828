/**
 * The handler table: channel → (request, context) → typed result, the one entry point both transports
 * call. It validates the request against the contract, runs the handler, validates the reply, and never
 * throws: a bug becomes an UNEXPECTED result instead of an exception crossing IPC or HTTP.
 */
import { CHANNEL_NAMES, isChannelName, type ChannelName } from '../../shared/ipc/channel-names.js';
import { CONTRACT, type OutputOf } from '../../shared/ipc/contract.js';
import { inputError } from '../../shared/ipc/input-errors.js';
import { errorDataOf, fail, succeed, type IpcResult } from '../../shared/ipc/ipc-result.js';
import type { ChannelHandlers } from './channel-handlers.js';
import type { HandlerContext } from './handler-context.js';

export type HandlerTable = { readonly [C in ChannelName]: (request: unknown, context: HandlerContext) => Promise<IpcResult<OutputOf<C>>> };

type AnyHandler = (input: unknown, context: HandlerContext) => Promise<unknown>;

export function createHandlerTable(handlers: ChannelHandlers): HandlerTable {
  const table: Partial<Record<ChannelName, (request: unknown, context: HandlerContext) => Promise<IpcResult<unknown>>>> = {};
  for (const name of CHANNEL_NAMES) table[name] = (request, context) => runChannel(name, handlers[name] as AnyHandler, request, context);
  return Object.freeze(table) as HandlerTable;
}

/** For transports that receive the channel as text (an HTTP path): an unknown name is a typed error too. */
export function callChannel(table: HandlerTable, name: string, request: unknown, context: HandlerContext): Promise<IpcResult<unknown>> {
  if (!isChannelName(name)) {
    return Promise.resolve(fail({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${name.slice(0, 64)}".`, fix: 'Update the page: it was built for another version.' }));
  }
  return table[name](request, context);
}

async function runChannel(name: ChannelName, handler: AnyHandler, request: unknown, context: HandlerContext): Promise<IpcResult<unknown>> {
  try {
    const spec = CONTRACT[name];
    const input = spec.input.safeParse(request, { reportInput: true });
    if (!input.success) return fail(inputError(input.error.issues));
    const reply = spec.output.safeParse(await handler(input.data, context));
    // Never echo the reply: it may hold what the schema exists to keep in (a secret in an unnamed key).
    if (!reply.success) return fail({ code: 'INVALID_REPLY', message: `${name} produced a reply its contract does not allow.`, fix: 'This is a bug in n8n Setup; please report it.' });
    return succeed(reply.data);
  } catch (error) {
    return fail(errorDataOf(error));
  }
}
