import { readFileSync, writeSync } from 'node:fs';
import { runCli } from './main.js';

/**
 * All of standard input, as bytes: the command decodes them strictly. A synchronous read spares setting up
 * a stream (a few ms of every run that pipes a password in); a non-blocking stdin (EAGAIN) falls back to
 * the stream.
 */
async function readStdin(): Promise<Uint8Array> {
  try {
    return readFileSync(0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

/**
 * Writes to fd 1 or 2 directly: `process.stdout` would first load Node's stream and net modules (several ms
 * of a short command). A non-blocking descriptor (EAGAIN) switches to the stream for good, which keeps the
 * order; a reader that went away (EPIPE, `| head`) ends the output, not the command.
 */
function directWriter(fd: 1 | 2, stream: () => NodeJS.WriteStream): (text: string) => void {
  let useStream = false;
  let closed = false;
  return (text) => {
    if (closed) return;
    if (useStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') closed = true;
      else if (code === 'EAGAIN') {
        useStream = true;
        stream().write(bytes.subarray(written));
      } else throw error;
    }
  };
}

void runCli(process.argv.slice(2), {
  stdout: directWriter(1, () => process.stdout),
  stderr: directWriter(2, () => process.stderr),
  readStdin,
  cwd: process.cwd(),
  // In the bundle (dist/n8n-setup.cjs) this module's file is the bundle itself.
  ...(typeof __filename === 'string' && __filename.endsWith('.cjs') && { cliBundle: __filename }),
}).then((code) => {
  process.exitCode = code;
});
