import * as z from 'zod/mini';

/** One channel of the contract: what the page sends, what it gets back, and a sentence on what it does. */
export interface ChannelSpec<I extends z.ZodMiniType = z.ZodMiniType, O extends z.ZodMiniType = z.ZodMiniType> {
  summary: string;
  input: I;
  /** Parsed on the way out too: object schemas drop any key they do not name, so nothing extra leaks. */
  output: O;
}

export function channel<I extends z.ZodMiniType, O extends z.ZodMiniType>(spec: ChannelSpec<I, O>): ChannelSpec<I, O> {
  return spec;
}

/** For channels that take nothing: callers send `{}`. */
export const NoInput = z.strictObject({});
