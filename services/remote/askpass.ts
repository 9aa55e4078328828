/**
 * Key passphrases (and other questions ssh asks) answered by the app, never stored: ssh runs a small helper
 * (`SSH_ASKPASS`, forced with `SSH_ASKPASS_REQUIRE=force`, OpenSSH 8.4+), which hands ssh's prompt to this
 * process over a socket in a private temp folder and prints the answer back to ssh. The answer comes from
 * `ask` (the terminal, or the wizard), lives only in memory for the moment of the answer, and the folder is
 * removed when the run ends. The helper is this same Node (or the app's binary as Node).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Returns the answer, or undefined to refuse (ssh then treats the key as unusable). */
export type AskSsh = (prompt: string) => Promise<string | undefined>;

const MAX_PROMPT = 1024;

/** The helper: sends its first argument (ssh's prompt) and prints the reply; exit 1 when refused. */
const HELPER = `const s=require('net').connect(process.env.N8N_SETUP_ASKPASS_SOCKET);let r='';s.setEncoding('utf8');s.on('data',d=>r+=d);s.on('end',()=>{if(r.startsWith('+')){process.stdout.write(r.slice(1)+'\\n');process.exit(0)}process.exit(1)});s.on('error',()=>process.exit(1));s.end(String(process.argv[1]||'').slice(0,${MAX_PROMPT}));`;

export async function withAskpass<T>(ask: AskSsh, run: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'n8n-setup-askpass-'));
  await chmod(dir, 0o700);
  const socketPath = process.platform === 'win32' ? `\\\\.\\pipe\\n8n-setup-askpass-${process.pid}-${Date.now()}` : join(dir, 'socket');
  // The helper half-closes after its prompt; the answer goes back on the same socket.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    let prompt = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (prompt = (prompt + text).slice(0, MAX_PROMPT)));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      ask(prompt.trim()).then(
        (answer) => socket.end(answer === undefined ? '-' : `+${answer}`),
        () => socket.end('-'),
      );
    });
  });
  await new Promise<void>((resolve, reject) => server.listen(socketPath, resolve).once('error', reject));
  const helper = join(dir, process.platform === 'win32' ? 'askpass.cmd' : 'askpass');
  const node = process.execPath;
  await writeFile(
    helper,
    process.platform === 'win32' ? `@set ELECTRON_RUN_AS_NODE=1\r\n@"${node}" -e "${HELPER.replace(/"/g, '\\"')}" %*\r\n` : `#!/bin/sh\nELECTRON_RUN_AS_NODE=1 exec '${node.replace(/'/g, `'\\''`)}' -e '${HELPER.replace(/'/g, `'\\''`)}' "$1"\n`,
    { mode: 0o700 },
  );
  try {
    return await run({ SSH_ASKPASS: helper, SSH_ASKPASS_REQUIRE: 'force', N8N_SETUP_ASKPASS_SOCKET: socketPath, DISPLAY: process.env.DISPLAY ?? ':0' });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
}
