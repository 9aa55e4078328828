/**
 * Questions on the user's terminal itself (`/dev/tty`, as ssh and sudo ask), so that they work while stdin
 * carries a password (`--password-stdin`) and never read a script's piped input as an answer. Where there is
 * no terminal (cron, CI, a pipe on Windows), `openTerminal` gives undefined and the command asks for the flag
 * that answers instead (`--yes`, `--password-stdin`).
 *
 *   const terminal = openTerminal();
 *   if (terminal && (await terminal.confirm('Send one test email?'))) …
 *   terminal?.close();
 */
import { closeSync, openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';

export interface Terminal {
  /** A yes/no question; only "y" or "yes" is yes. */
  confirm(question: string): Promise<boolean>;
  /** A line typed without echo (a password); Ctrl-C or Ctrl-D cancels (rejects). */
  askHidden(question: string): Promise<string>;
  close(): void;
}

export function openTerminal(): Terminal | undefined {
  let fd: number;
  try {
    fd = openSync(process.platform === 'win32' ? '\\\\.\\CONIN$' : '/dev/tty', 'r+');
  } catch {
    return undefined;
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  return terminalOver(input, output, () => {
    input.destroy();
    try {
      closeSync(fd);
    } catch {
      // already closed with the stream
    }
  });
}

/** The questions over any terminal-like pair of streams (tests use a pseudo-terminal of their own). */
export function terminalOver(input: NodeJS.ReadStream & { setRawMode?: (raw: boolean) => unknown }, output: NodeJS.WritableStream, close: () => void): Terminal {
  const readLine = (question: string, hidden: boolean): Promise<string> =>
    new Promise((resolve, reject) => {
      let line = '';
      const raw = hidden && typeof input.setRawMode === 'function';
      // No echo (and Ctrl-C as a key) before the prompt shows: keys typed at once must not be echoed.
      if (raw) input.setRawMode?.(true);
      output.write(question);
      const done = (error?: Error) => {
        input.off('data', onData);
        if (raw) input.setRawMode?.(false);
        input.pause();
        if (hidden) output.write('\n');
        if (error) reject(error);
        else resolve(line);
      };
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n') return done();
          // Ctrl-C, Ctrl-D: the user wants out.
          if (char === '\u0003' || char === '\u0004') return done(new Error('cancelled at the terminal'));
          if (char === '\u007f' || char === '\b') line = [...line].slice(0, -1).join('');
          else line += char;
        }
      };
      input.on('data', onData);
      input.resume();
    });
  return {
    async confirm(question) {
      const answer = await readLine(`${question} [y/N] `, false).catch(() => '');
      return /^\s*y(es)?\s*$/i.test(answer);
    },
    askHidden(question) {
      return readLine(question, true);
    },
    close,
  };
}
