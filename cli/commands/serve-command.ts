import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultDataFolder } from '../../services/app/app-data-folder.js';
import { createAppServices } from '../../services/app/app-services.js';
import { createChannelHandlers } from '../../services/app/channel-handlers.js';
import { createHandlerTable } from '../../services/app/handler-table.js';
import { openBrowser } from '../../services/serve/open-browser.js';
import { startServeServer } from '../../services/serve/serve-server.js';
import { SetupError } from '../../shared/errors.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';

export const DEFAULT_SERVE_PORT = 5680;

export const SERVE_HELP = `Usage: n8n-setup serve [--port N] [--no-open]

Runs the setup wizard in your browser, for servers without a desktop: the same app, served on
127.0.0.1 only. It prints an address with a one-time secret (?token=…); opening it signs
that browser in. From another machine, tunnel the port over SSH first:

  ssh -L ${DEFAULT_SERVE_PORT}:127.0.0.1:${DEFAULT_SERVE_PORT} you@server    # then open the printed address locally

Profiles and the unsaved wizard state are kept on this machine, in the app's data folder.

Options:
  --port N     the port on 127.0.0.1 (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --no-open    do not open a browser here
  -h, --help   show this help

Stop it with Ctrl-C.
`;

/** Resolves on Ctrl-C (or a service manager's SIGTERM); a second Ctrl-C then ends the process the usual way. */
export function interrupted(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export interface ServeRun {
  /** When to stop; default Ctrl-C. */
  stop?: Promise<void>;
  /** Default: the built renderer beside the command. */
  rendererDir?: string;
}

export async function serveCommand(args: string[], io: CliIo, run: ServeRun = {}): Promise<number> {
  const { values } = parseCommandArgs('serve', args, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
  if (values.help) return io.stdout(SERVE_HELP), 0;
  const port = parsePort(values.port);
  const rendererDir = run.rendererDir ?? findRendererFolder(io.cwd);

  const services = createAppServices({ dataFolder: defaultDataFolder(), version: __APP_VERSION__, ...(io.cliBundle && { cliBundle: io.cliBundle }) });
  const server = await startServeServer({ port, rendererDir, table: createHandlerTable(createChannelHandlers(services)) });
  const stop = run.stop ?? interrupted();
  io.stdout(`n8n Setup is running. Open this address in a browser on this machine:\n\n  ${server.url}\n\n`);
  io.stdout(`From another machine: ssh -L ${server.port}:127.0.0.1:${server.port} <this server>, then open the address there.\nStop with Ctrl-C.\n`);
  if (!values['no-open'] && openBrowser(server.url)) io.stdout('Opening it in your browser…\n');

  await stop;
  services.smtpRuns.cancelAll();
  await server.close();
  io.stdout('Stopped.\n');
  return 0;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SERVE_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw invalidArgument(`serve: --port must be a number from 0 to 65535, not "${text}".`, `Use e.g. --port ${DEFAULT_SERVE_PORT}.`);
  return Number(text);
}

/** The built renderer beside the installed command (bin/ or dist/ → ../out/renderer), else in the working folder. */
function findRendererFolder(cwd: string): string {
  const script = process.argv[1];
  const candidates = [...(script ? [resolve(dirname(script), '..', 'out', 'renderer')] : []), resolve(cwd, 'out', 'renderer')];
  const found = candidates.find((folder) => existsSync(join(folder, 'index.html')));
  if (found) return found;
  throw new SetupError({ code: 'RENDERER_MISSING', message: `The built wizard is missing (looked in ${candidates.join(', ')}).`, fix: 'Build it with `npm run build:app`.' });
}

declare const __APP_VERSION__: string;
