import { resolve } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { commandInFolder, formatLocation, formatServer, parseLocation } from '../../shared/remote/remote-location.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { SSH_FLAG_OPTIONS, SSH_FLAGS_HELP, withSsh } from '../ssh-session.js';

export const APPLY_HELP = `Usage: n8n-setup apply --out DIR [--yes]

Starts n8n with the files export wrote: runs \`docker compose up -d\` in DIR (not "restart",
which keeps the old environment), after asking. DIR may be on a server over SSH
(user@host:/opt/n8n or ssh://user@host:2222/opt/n8n): the command runs there and its output
comes back as it is printed. Before it runs, the checks say which of these stops it: no docker,
a daemon that cannot be reached, a socket the login may not use, no compose plugin.

Options:
  --out DIR        the folder export wrote to (here, or on a server)
  --yes            run without asking (scripts)
${SSH_FLAGS_HELP}
  -h, --help       show this help

Exit codes: 0 started, 1 docker compose failed or the server cannot run it, 2 invalid input.
`;

export async function applyCommand(args: string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const { values } = parseCommandArgs('apply', args, { out: { type: 'string' }, yes: { type: 'boolean' }, ...SSH_FLAG_OPTIONS });
  if (values.help) return io.stdout(APPLY_HELP), 0;
  if (!values.out) throw invalidArgument('apply: --out DIR is required.', 'Pass the folder export wrote to, e.g. --out /opt/n8n or --out root@vps:/opt/n8n.');
  const location = parseLocation(values.out, '--out');
  if (location.kind === 'local' && (values['accept-host-key'] || values['ssh-config'])) throw invalidArgument('apply: --accept-host-key and --ssh-config go with a server in --out (user@host:/opt/n8n).');
  const { applySetup, APPLY_COMMAND } = await import('../../services/remote/apply-setup.js');
  const folder = location.kind === 'local' ? resolve(io.cwd, location.path) : location.path;
  const shown = location.kind === 'local' ? folder : formatLocation(location);
  const exact = location.kind === 'local' ? `cd ${folder} && ${APPLY_COMMAND}` : commandInFolder(location, APPLY_COMMAND);

  const ask = async () => {
    if (values.yes) return;
    const terminal = io.terminal ? io.terminal() : (await import('../terminal-prompt.js')).openTerminal();
    if (!terminal) throw invalidArgument('apply: no terminal to ask before running docker compose.', 'Add --yes to run without asking (scripts).');
    const yes = await terminal.confirm(`Run ${APPLY_COMMAND} in ${shown} now?`).finally(() => terminal.close());
    if (!yes) throw new SetupError({ code: 'CANCELLED', message: 'Nothing was started: the question was not answered with yes.' });
  };
  const run = async (server?: Parameters<typeof applySetup>[0]['server']) => {
    io.stdout(`The command: ${exact}\n`);
    await ask();
    return applySetup({ folder, shown, machine: location.kind === 'local' ? 'this computer' : formatServer(location), ...(server && { server }), ...(signal && { signal }) }, (line) => io.stdout(`${line}\n`));
  };
  const result = location.kind === 'local' ? await run() : await withSsh(io, values, location, signal, (ssh) => run({ target: location, ssh }));
  if (!result.ok) {
    throw new SetupError({ code: 'APPLY_FAILED', message: `${APPLY_COMMAND} ended with exit ${result.exitCode} in ${shown} (its output is above).`, fix: 'Fix what it says (an image name, a port in use, a file it cannot read), then apply again.' });
  }
  io.stdout(`Started: ${APPLY_COMMAND} finished in ${shown}.\n`);
  return 0;
}
