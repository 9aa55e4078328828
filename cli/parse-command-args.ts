import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalidArgument } from './cli-io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with our error shape: an unknown or malformed option is invalid input (exit 2). */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (error) {
    throw invalidArgument(`${command}: ${(error as Error).message}`, `Run \`n8n-setup ${command} --help\`.`);
  }
}
