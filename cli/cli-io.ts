import type { SecretStore } from '../services/secrets/secret-store.js';
import type { Terminal } from './terminal-prompt.js';
import { SetupError, isInvalidInput, type SetupErrorData } from '../shared/errors.js';

/** What a command needs from the outside world; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** All of standard input, undecoded (the command decodes it strictly). */
  readStdin: () => Promise<Uint8Array>;
  cwd: string;
  /** The single-file CLI this command runs from (the bundle), written into every export as tools/n8n-setup.cjs. */
  cliBundle?: string;
  /** Where stored secrets live; undefined: the OS keychain. Tests pass a memory store. */
  secretStore?: SecretStore;
  /** The user's terminal for a question (a confirmation, a password typed); undefined: the real one, if any. */
  terminal?: () => Terminal | undefined;
  /** The OpenSSH programs; undefined: ssh, ssh-keyscan and ssh-keygen from PATH (tests pass Debian's). */
  sshPrograms?: { ssh: string; sshKeyscan: string; sshKeygen: string };
}

export const EXIT = { ok: 0, failure: 1, invalidInput: 2 } as const;

export function toErrorData(error: unknown): SetupErrorData {
  if (error instanceof SetupError) return error.toJSON();
  return { code: 'UNEXPECTED', message: error instanceof Error ? error.message : String(error) };
}

export function exitCodeFor(error: SetupErrorData): number {
  return isInvalidInput(error) ? EXIT.invalidInput : EXIT.failure;
}

export function formatError(error: SetupErrorData): string {
  const field = error.field && !error.message.startsWith(error.field) ? `${error.field}: ` : '';
  return `error: ${field}${error.message}${error.fix ? `\n  fix: ${error.fix}` : ''}\n`;
}

export function invalidArgument(message: string, fix?: string): SetupError {
  return new SetupError({ code: 'INVALID_ARGUMENT', message, ...(fix && { fix }) });
}
