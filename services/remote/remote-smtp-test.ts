/**
 * The SMTP test from the server: cloud hosts block mail ports that the admin's laptop reaches, so the send
 * that counts is the one from where n8n runs. This app's own single-file CLI is copied to a fresh temp
 * folder on the server each time (checked by its SHA-256 there, never an older copy), run with the server's
 * Node as `smtp-test --from-env` with exactly the n8n variables the profile gives, its output streamed back
 * as it comes, and the folder removed afterwards — also when the connection drops.
 *
 * Everything travels on ssh's stdin as one fixed `sh` script (POSIX sh, base64, sha256sum, mktemp): the
 * password and the CA go into 0600 files in a 0700 folder, never onto a command line (`ps` on the server
 * would show it) nor into the server's logs.
 */
import { createHash } from 'node:crypto';
import { SetupError } from '../../shared/errors.js';
import { isSecretVariable, SECRET_FILES } from '../../shared/n8n/n8n-variables.js';
import { SMTP_VARIABLES, type SmtpVariables } from '../../shared/smtp/n8n-mailer.js';
import type { StageEvent } from '../../shared/smtp/smtp-session.js';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { runRemoteScript, type SshOptions, type SshTarget } from './ssh-connection.js';

export interface RemoteSmtpTest {
  target: SshTarget;
  /** The bytes of this app's CLI bundle. */
  bundle: Uint8Array;
  /** n8n's SMTP variables, secrets included (they go into files on the server). */
  variables: SmtpVariables;
  /** PEM of the private CA the profile names, if any. */
  extraCa?: string;
  to: string;
  /** text: smtp-test's own words · json: its report · events: each stage, then the report (json-lines). */
  output: 'text' | 'json' | 'events';
  /**
   * The compose project on the server: where the server has no Node (or too old a one) but Docker, the test
   * runs inside its running n8n container (`docker compose exec`), with the image's Node.
   */
  container?: { folder: string; composeFile?: string; service: string };
}

/** The script's own exit codes, before the CLI runs: each says what the server lacks. */
const SCRIPT_EXITS: Record<number, { code: string; message: string; fix: string }> = {
  90: { code: 'REMOTE_COPY_CORRUPT', message: 'The CLI copied to the server does not match its checksum.', fix: 'Run again; if it persists, something on the way changes the data (a login banner printed to stdout, a wrapper around sh).' },
  91: { code: 'REMOTE_NO_NODE', message: 'The server has no Node (node is not on the login’s PATH), so the test cannot run there.', fix: 'Install Node 20 or later on the server (Debian/Ubuntu: apt install nodejs), or run the test inside the n8n container, as the Done step shows (docker compose cp … && docker compose exec n8n node …).' },
  92: { code: 'REMOTE_NODE_TOO_OLD', message: 'The server’s Node is older than 20, which the CLI needs.', fix: 'Install Node 20 or later on the server, or run the test inside the n8n container, as the Done step shows.' },
  93: { code: 'REMOTE_NO_TEMP', message: 'The server has no writable temp folder (mktemp -d failed).', fix: 'Set TMPDIR for the login to a writable folder, or free space in /tmp.' },
  94: { code: 'REMOTE_CONTAINER_UNREACHABLE', message: 'The server has no Node, and n8n’s container could not be reached with docker compose exec (is it running?).', fix: 'Start it (docker compose up -d in the folder), or install Node 20 or later on the server.' },
  95: { code: 'REMOTE_NO_NODE_NO_DOCKER', message: 'The server has neither Node 20 or later nor Docker with the compose plugin, so the test cannot run there.', fix: 'Install Node 20 or later on the server (Debian/Ubuntu: apt install nodejs), or run n8n there with Docker Compose first.' },
  96: { code: 'WRITE_FOLDER_MISSING', message: 'The server has no Node, and the folder of n8n’s compose project is not there (or cannot be entered).', fix: 'Choose the folder your n8n setup lives in on the server, or install Node 20 or later there.' },
};

/** Runs the test on the server; its exit code is smtp-test's (0 sent, 3/4/5 failures). */
export async function remoteSmtpTest(request: RemoteSmtpTest, options: SshOptions, output: { stdout: (text: string) => void; stderr: (text: string) => void }): Promise<number> {
  const run = await runRemoteScript(request.target, remoteScript(request), options, (stream, text) => output[stream](text));
  const known = SCRIPT_EXITS[run.code];
  if (known) throw new SetupError({ ...known, field: 'on' });
  return run.code;
}

/**
 * The same, for a program that shows progress (the wizard): each stage as the server reaches it, and the
 * report the test on the server gave. A run that gives no report (cancelled, the connection lost) is an error.
 */
export async function remoteSmtpTestEvents(request: Omit<RemoteSmtpTest, 'output'>, options: SshOptions, onStage: (event: StageEvent) => void): Promise<SmtpTestResult> {
  let pending = '';
  let report: SmtpTestResult | undefined;
  let stderr = '';
  const take = (line: string) => {
    const parsed = parseLine(line);
    if (parsed?.event === 'stage' && typeof parsed.stage === 'string' && typeof parsed.ms === 'number') {
      onStage({ stage: parsed.stage as StageEvent['stage'], ms: parsed.ms, ...(typeof parsed.detail === 'string' && { detail: parsed.detail }) });
    } else if (parsed?.event === 'result' && parsed.report && typeof parsed.report === 'object') report = parsed.report as SmtpTestResult;
  };
  const run = await runRemoteScript(request.target, remoteScript({ ...request, output: 'events' }), options, (stream, text) => {
    if (stream === 'stderr') return void (stderr = (stderr + text).slice(-4096));
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    // A line longer than any report means something else is talking: it is not kept.
    if (pending.length > 4 << 20) pending = '';
    lines.forEach(take);
  });
  if (pending) take(pending);
  const known = SCRIPT_EXITS[run.code];
  if (known) throw new SetupError({ ...known, field: 'on' });
  if (!report) {
    throw new SetupError({ code: 'REMOTE_NO_RESULT', field: 'on', message: `The test on the server ended without a result (exit ${run.code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}).`, fix: 'Run the same test there in a terminal (the Done step shows the command) to see what happens.' });
  }
  return report;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function remoteScript(request: RemoteSmtpTest): string {
  const hash = createHash('sha256').update(request.bundle).digest('hex');
  const assignments: string[] = [];
  const files: string[] = [];
  for (const name of SMTP_VARIABLES) {
    const value = request.variables[name];
    if (value === undefined) continue;
    // A secret goes into a file named as its compose secret, and n8n's *_FILE variable points at it.
    const file = isSecretVariable(name) ? SECRET_FILES[name] : undefined;
    if (file) {
      files.push(hereDoc(`"$d/${file}"`, Buffer.from(value, 'utf8')));
      assignments.push(`${name}_FILE="$d/${file}"`);
    } else assignments.push(`${name}=${shellQuote(value)}`);
  }
  if (request.extraCa) {
    files.push(hereDoc('"$d/ca.pem"', Buffer.from(request.extraCa, 'utf8')));
    assignments.push('NODE_EXTRA_CA_CERTS="$d/ca.pem"');
  }
  // Variables of the login's own environment (or the container's) must not mix in: n8n gets only what the files give it.
  const unset = SMTP_VARIABLES.flatMap((name) => ['-u', name, '-u', `${name}_FILE`]).join(' ');
  const run = `env ${unset} ${assignments.join(' ')} node "$d/n8n-setup.cjs" smtp-test --from-env --to ${shellQuote(request.to)}${{ text: '', json: ' --json', events: ' --json-lines' }[request.output]}`;
  return [
    'set -u',
    'umask 077',
    'd=$(mktemp -d "${TMPDIR:-/tmp}/n8n-setup.XXXXXX") || exit 93',
    `trap 'rm -rf "$d"' EXIT`,
    `trap 'exit 130' HUP INT TERM`,
    hereDoc('"$d/n8n-setup.cjs"', request.bundle),
    `[ "$(sha256sum "$d/n8n-setup.cjs" | cut -d ' ' -f 1)" = ${hash} ] || exit 90`,
    ...files,
    'why=""',
    'command -v node >/dev/null 2>&1 || why=91',
    `[ -n "$why" ] || node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || why=92`,
    'if [ -z "$why" ]; then',
    '  cd "$d"',
    `  ${run}`,
    '  exit $?',
    'fi',
    ...(request.container ? inContainer(request.container, run, hash) : ['exit "$why"']),
    '',
  ].join('\n');
}

/**
 * No usable Node on the server, but n8n's container: the same files go into a fresh temp folder there (through
 * `docker compose exec -T`'s stdin, so they belong to the container's user and no secret is on a command line),
 * the same command runs with the image's Node, and the folder is removed afterwards.
 */
function inContainer(container: NonNullable<RemoteSmtpTest['container']>, run: string, hash: string): string[] {
  // Without a file named, Compose finds the project's own (compose.yaml, docker-compose.yml) in the folder.
  const compose = `docker compose${container.composeFile ? ` -f ${shellQuote(container.composeFile)}` : ''}`;
  const exec = `${compose} exec -T ${shellQuote(container.service)}`;
  const copy = `umask 077; cat > "$1/$2"`;
  return [
    `folder=${shellQuote(container.folder)}`,
    // A folder as the admin typed it: ~/… and relative paths are the login's home, as ssh and scp take them.
    'case $folder in "~/"*) folder="$HOME/${folder#"~/"}";; "~") folder=$HOME;; /*) ;; *) folder="$HOME/$folder";; esac',
    'cd -- "$folder" 2>/dev/null || exit 96',
    'command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1 || exit 95',
    `printf '%s\\n' ${shellQuote(`n8n-setup: the server has no Node 20 or later; the test runs inside n8n's container (docker compose exec ${container.service}).`)} >&2`,
    `c=$(${exec} sh -c ${shellQuote('umask 077; mktemp -d "${TMPDIR:-/tmp}/n8n-setup.XXXXXX"')} </dev/null) && [ -n "$c" ] || exit 94`,
    `trap ${shellQuote(`${exec} rm -rf -- "$c" >/dev/null 2>&1 </dev/null; rm -rf "$d"`)} EXIT`,
    `for f in "$d"/*; do ${exec} sh -c ${shellQuote(copy)} sh "$c" "\${f##*/}" < "$f" || exit 94; done`,
    `${exec} sh -c ${shellQuote(`d=$1; [ "$(sha256sum "$d/n8n-setup.cjs" | cut -d ' ' -f 1)" = ${hash} ] || exit 90; cd "$d" && ${run}`)} sh "$c" </dev/null`,
    'exit $?',
  ];
}

function hereDoc(target: string, bytes: Uint8Array): string {
  const body = Buffer.from(bytes).toString('base64').replace(/.{1,76}/g, '$&\n');
  return `base64 -d > ${target} <<'N8N_SETUP_EOF'\n${body}N8N_SETUP_EOF`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
