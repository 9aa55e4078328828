/**
 * Applying an export: `docker compose up -d` in the folder, here or on the server over SSH, after the admin
 * said yes to the exact command. One fixed `sh` script checks first, in this order, what stops most servers,
 * so that each gets its own words and fix: no `docker` on the login's PATH; a daemon it cannot reach; a
 * socket it may not use; `docker` without the compose plugin (only the old docker-compose v1, or nothing).
 * Then the command runs and its output comes back line by line as it is printed.
 */
import { spawn } from 'node:child_process';
import { SetupError } from '../../shared/errors.js';
import { runRemoteScript, type SshOptions, type SshTarget } from './ssh-connection.js';

export const APPLY_COMMAND = 'docker compose up -d';

export interface ApplyRequest {
  /** The compose project folder: here, or on `server`. */
  folder: string;
  server?: { target: SshTarget; ssh: SshOptions };
  /** `user@host:/opt/n8n` or the local path, for messages. */
  shown: string;
  /** Where it runs, for messages: `root@vps` or `this computer`. */
  machine: string;
  signal?: AbortSignal;
  /** Here: the command that runs the script (`sh`; tests run Debian's, or as another user), and its environment. */
  shell?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface ApplyResult {
  ok: boolean;
  /** docker compose's exit code. */
  exitCode: number;
  /** Its last lines (stdout and stderr together, as a terminal shows them). */
  tail: string;
}

const SCRIPT_EXITS: Record<number, (detail: string, where: Pick<ApplyRequest, 'shown' | 'machine'>) => SetupError> = {
  70: (_d, { machine }) => new SetupError({ code: 'DOCKER_NOT_INSTALLED', message: `There is no docker on ${machine} (not on the login's PATH), so nothing was started.`, fix: 'Install Docker Engine with its compose plugin (docs.docker.com/engine/install), then apply again.' }),
  71: (_d, { machine }) => new SetupError({ code: 'DOCKER_NO_COMPOSE', message: `docker on ${machine} has no compose plugin ("docker compose"), so nothing was started.`, fix: 'Install the Docker Compose plugin (with Docker’s apt repository: apt install docker-compose-plugin), then apply again.' }),
  72: (detail, { machine }) => new SetupError({ code: 'DOCKER_DAEMON_UNREACHABLE', message: `docker on ${machine} cannot reach its daemon (${detail || 'no answer'}), so nothing was started.`, fix: 'Start Docker there (sudo systemctl start docker), or check DOCKER_HOST and the docker context of the login, then apply again.' }),
  73: (detail, { machine }) => new SetupError({ code: 'DOCKER_PERMISSION_DENIED', message: `The login on ${machine} may not use Docker's socket (${detail || 'permission denied'}), so nothing was started.`, fix: 'Log in as root, or add the login to the docker group (sudo usermod -aG docker USER, then log in again), then apply again.' }),
  74: (_d, { machine }) => new SetupError({ code: 'DOCKER_NO_COMPOSE', message: `On ${machine}, only the old docker-compose (v1) is installed, not the compose plugin ("docker compose"), so nothing was started.`, fix: 'Install the Docker Compose plugin (with Docker’s apt repository: apt install docker-compose-plugin), then apply again; v1 does not read every file Compose v2 writes.' }),
  80: (_d, { shown }) => new SetupError({ code: 'WRITE_FOLDER_MISSING', message: `The folder ${shown} does not exist (or cannot be entered), so nothing was started.`, fix: 'Export into it first, or choose the folder your n8n setup lives in.' }),
};

/** The script; the folder comes as data (base64), never parsed by the shell. */
export function applyScript(folder: string): string {
  return [
    'set -u',
    `folder=$(printf '%s' '${Buffer.from(folder, 'utf8').toString('base64')}' | base64 -d)`,
    'case $folder in "~/"*) folder="$HOME/${folder#"~/"}";; "~") folder=$HOME;; esac',
    'cd -P -- "$folder" 2>/dev/null || exit 80',
    'say() { printf \'E %s\\n\' "$(printf \'%s\' "$1" | tail -n 1 | base64 | tr -d \'\\n\')"; }',
    'command -v docker >/dev/null 2>&1 || exit 70',
    // The daemon first: `docker version` asks it; its answer tells apart unreachable and refused.
    'if ! out=$(docker version --format \'{{.Server.Version}}\' 2>&1 </dev/null); then',
    // Docker's words for a socket the login may not open; a config file it cannot read says "permission denied" too.
    '  case $out in *"ermission denied while trying to connect"*) say "$out"; exit 73;; esac',
    '  say "$out"; exit 72',
    'fi',
    'if ! docker compose version >/dev/null 2>&1 </dev/null; then',
    '  command -v docker-compose >/dev/null 2>&1 && exit 74',
    '  exit 71',
    'fi',
    "printf 'S up\\n'",
    `exec ${APPLY_COMMAND} 2>&1 </dev/null`,
    '',
  ].join('\n');
}

/** Runs the checks and the command; `onLine`: each line docker compose prints. Throws the class of a server that cannot. */
export async function applySetup(request: ApplyRequest, onLine: (line: string) => void): Promise<ApplyResult> {
  let pending = '';
  let started = false;
  let detail = '';
  const tail: string[] = [];
  const take = (line: string) => {
    if (!started && line === 'S up') return void (started = true);
    if (!started && line.startsWith('E ')) return void (detail = Buffer.from(line.slice(2), 'base64').toString('utf8').trim());
    if (!started) return;
    tail.push(line);
    if (tail.length > 40) tail.shift();
    onLine(line);
  };
  const onOutput = (stream: 'stdout' | 'stderr', text: string) => {
    if (stream === 'stderr') return;
    pending += text;
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop() ?? '';
    lines.forEach(take);
  };
  const script = applyScript(request.folder);
  let run: { code: number };
  try {
    if (request.server) run = await runRemoteScript(request.server.target, script, { ...request.server.ssh, ...(request.signal && { signal: request.signal }) }, onOutput);
    else if (process.platform === 'win32' && !request.shell) {
      throw new SetupError({ code: 'APPLY_FAILED', message: `Running ${APPLY_COMMAND} from here needs a POSIX shell, which Windows does not have.`, fix: `Run ${APPLY_COMMAND} in PowerShell in ${request.shown} (Docker Desktop), or choose "A server, over SSH" for n8n on a server.` });
    } else run = await runHere(script, request, onOutput);
  } catch (error) {
    // Lost or stopped once docker compose had started: it may have finished there, or stopped part-way.
    if (started && error instanceof SetupError) {
      throw new SetupError({ code: error.code === 'CANCELLED' ? 'CANCELLED' : 'APPLY_CONNECTION_LOST', message: `${error.code === 'CANCELLED' ? 'Stopped waiting' : 'The connection was lost'} while ${APPLY_COMMAND} ran on ${request.machine}: it may have finished there, or stopped part-way.`, fix: `Run docker compose ps in ${request.shown} to see the containers' state, and ${APPLY_COMMAND} again if needed.` }, { cause: error });
    }
    throw error;
  }
  if (pending) take(pending);
  const known = !started ? SCRIPT_EXITS[run.code] : undefined;
  if (known) throw known(detail, request);
  if (!started) throw new SetupError({ code: 'APPLY_FAILED', message: `The checks before ${APPLY_COMMAND} in ${request.shown} ended without a result (exit ${run.code}).`, fix: `Run ${APPLY_COMMAND} there in a terminal to see what happens.` });
  return { ok: run.code === 0, exitCode: run.code, tail: tail.join('\n') };
}

function runHere(script: string, request: ApplyRequest, onOutput: (stream: 'stdout' | 'stderr', text: string) => void): Promise<{ code: number }> {
  return new Promise((resolve, reject) => {
    const [shell = 'sh', ...args] = request.shell ?? [];
    // An app started from the macOS Finder has only the system's PATH: Docker Desktop's and Homebrew's docker are elsewhere.
    const env = request.env ?? (process.platform === 'darwin' ? { ...process.env, PATH: [process.env.PATH ?? '/usr/bin:/bin', '/usr/local/bin', '/opt/homebrew/bin', `${process.env.HOME ?? ''}/.docker/bin`].join(':') } : undefined);
    const child = spawn(shell, [...args, '-s'], { stdio: ['pipe', 'pipe', 'pipe'], ...(env && { env }), ...(request.signal && { signal: request.signal }) });
    child.stdout.setEncoding('utf8').on('data', (text: string) => onOutput('stdout', text));
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(new SetupError({ code: 'CANCELLED', message: `Cancelled: ${APPLY_COMMAND} was stopped.` }));
      else reject(new SetupError({ code: 'APPLY_FAILED', message: `Cannot run sh here (${error.code ?? error.message}).` }));
    });
    child.once('close', (code) => resolve({ code: code ?? 1 }));
  });
}
