/**
 * A setup folder on a server, reached over SSH, with the guarantees of a local one (docs/write-policy.md):
 * reads never follow a link out of the folder, writes are temp file + sync + rename, every replaced file is
 * backed up under a name nobody can guess (created exclusively), one writer at a time through the same
 * `.n8n-setup.lock` a local run takes, and a write that fails or is cancelled part-way puts back what it did.
 *
 * The server needs POSIX sh and coreutils only. Each step is one fixed script sent on ssh's stdin
 * (`sh -s`); the data — file names, contents — follows it as base64, so nothing the admin wrote is ever
 * parsed by the shell, and no content appears on a command line (`ps` would show it).
 *
 * Reading reports what it finds; whether a link may be followed is decided here, by the local rule
 * (target-folder.ts): inside the folder, and with its target owned by the folder's owner. Writing checks
 * again, under the lock, that every file is still what was read (SHA-256), so nothing that changed in
 * between is overwritten.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { backupFileName } from '../files/backup-names.js';
import { DEAD_GUARD_PREFIX, DRAFT_MARKER, LOCK_FILE, TAKEOVER_GUARD } from '../files/folder-lock.js';
import { hash, type FileChange, type FileOutcome } from '../files/replace-files.js';
import type { Owner } from '../files/target-folder.js';
import { linkRefused } from '../files/target-folder.js';
import { runRemoteScript, type RemoteScript, type SshOptions, type SshTarget } from './ssh-connection.js';

export interface RemoteFolderRef {
  target: SshTarget;
  /** The folder on the server, as the admin gave it. */
  path: string;
  /** How it is shown: `user@host:/opt/n8n`. */
  shown: string;
}

export interface RemoteFile {
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
  /** Relative to the folder after allowed links were followed. */
  rel: string;
}

export interface RemoteFolderFacts {
  exists: boolean;
  /** The folder's owner (when it exists). */
  owner: Owner;
  /** The login's uid on the server: 0 may hand secret files to n8n's uid 1000. */
  loginUid: number;
  /** The names in the folder itself that are not folders. */
  names: string[];
  /** The login's home folder on the server. */
  home: string;
  /** The login may run commands as root without a password (`sudo -n`); asked only of a login that is not root, for a folder of root's it may not write. */
  sudo: boolean;
  /** Reads and writes run as root through `sudo -n`: the folder is root's and the login may not write it. */
  throughSudo?: boolean;
}

const MAX_LINKS = 8;
/** Each read or write gets this long once connected; a server that stalls longer is given up on. */
const SCRIPT_TIMEOUT_MS = 120_000;

/**
 * The folder's files, read in as few round trips as links allow. `read` answers from what was fetched
 * (`prefetch`), fetching anything else on first use.
 */
export class RemoteFolder {
  private readonly files = new Map<string, RemoteFile | null>();
  /** Where each path asked for leads after allowed links (also for a file that is not there yet). */
  private readonly walked = new Map<string, string>();
  /** A path that cannot be read (not a regular file, hard links, unreadable): refused when it is read, not before. */
  private readonly refused = new Map<string, SetupError>();
  facts: RemoteFolderFacts | undefined;
  /** Set once, on the first read: the login's own rights, or root's through `sudo -n`. */
  private sudo: { home: string } | undefined;
  private decided = false;

  constructor(
    readonly ref: RemoteFolderRef,
    readonly ssh: SshOptions,
  ) {}

  /**
   * The folder for the scripts: as given, or — through sudo, where HOME is root's — made absolute with the
   * login's home, as ssh and scp take a relative path.
   */
  get scriptPath(): string {
    if (!this.sudo) return this.ref.path;
    const path = this.ref.path;
    if (path.startsWith('/')) return path;
    if (path === '~') return this.sudo.home;
    return posix.join(this.sudo.home, path.startsWith('~/') ? path.slice(2) : path);
  }

  /** ssh's options for this folder's scripts: through `sudo -n sh -s` once that was chosen. */
  get scriptSsh(): SshOptions {
    return this.sudo ? { ...this.ssh, remoteCommand: 'sudo -n sh -s' } : this.ssh;
  }

  /** The folder's facts, and every path of `rels` read at once (undefined when the folder does not exist). */
  async open(rels: readonly string[]): Promise<RemoteFolderFacts> {
    await this.fetch(rels);
    return this.facts!;
  }

  async read(rel: string): Promise<RemoteFile | undefined> {
    const key = insideFolder(rel, this.ref);
    if (!this.files.has(key) && !this.refused.has(key)) await this.fetch([key]);
    const refused = this.refused.get(key);
    if (refused) throw refused;
    return this.files.get(key) ?? undefined;
  }

  /**
   * A file outside the folder that the compose files name (`../shared/base.yml`, `/etc/n8n/extra.env`), read as
   * Compose on the server reads it: links followed, regular files only. Never written.
   */
  async readOutside(path: string): Promise<RemoteFile | undefined> {
    const key = `${OUTSIDE}${path}`;
    if (!this.files.has(key) && !this.refused.has(key)) await this.fetch([key]);
    const refused = this.refused.get(key);
    if (refused) throw refused;
    return this.files.get(key) ?? undefined;
  }

  /**
   * The names of the regular files in the folder's subfolder `rel` (the export records), none when it does not
   * exist. A link on the way is refused, as for any path setup reads.
   */
  async list(rel: string): Promise<string[]> {
    if (!this.decided) await this.ensureRead([]);
    const answer = await runScript(this.ref, [READ_FUNCTIONS, `folder=${shellQuote(this.scriptPath)}`, 'start', `list ${b64(posix.normalize(rel))}`, ''].join('\n'), this.scriptSsh);
    const lines = answer.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('D '));
    if (at === -1) return [];
    const [, state, link] = lines[at]!.split(' ');
    if (state === 'link') throw linkRefused(`${this.ref.shown.replace(/\/$/, '')}/${unb64(link ?? '')}`, 'another place', 'is not a folder of its own');
    return lines.slice(at + 1).filter((line) => line.startsWith('f ')).map((line) => unb64(line.slice(2)));
  }

  /** Reads every path of `paths` outside the folder at once (readOutside then answers from what was read). */
  async openOutside(paths: readonly string[]): Promise<void> {
    const missing = paths.filter((path) => !this.files.has(`${OUTSIDE}${path}`));
    if (missing.length > 0) await this.fetch(missing.map((path) => `${OUTSIDE}${path}`));
  }

  /** A file outside the folder already read: undefined when it was not read, null when it is not there. */
  readOutsideState(path: string): RemoteFile | null | undefined {
    const key = `${OUTSIDE}${path}`;
    const refused = this.refused.get(key);
    if (refused) throw refused;
    return this.files.get(key);
  }

  /** What was read, by the path asked for: the expected state of each file when writing (a refused path throws). */
  readState(rel: string): RemoteFile | null | undefined {
    const key = insideFolder(rel, this.ref);
    const refused = this.refused.get(key);
    if (refused) throw refused;
    return this.files.get(key);
  }

  /** Where `rel` is after the allowed links on its way, as read (itself when it was not read). */
  realPath(rel: string): string {
    const key = insideFolder(rel, this.ref);
    return this.walked.get(key) ?? key;
  }

  /** Reads those of `rels` not read yet, all in one round trip. */
  async ensureRead(rels: readonly string[]): Promise<void> {
    const missing = [...new Set(rels.map((rel) => insideFolder(rel, this.ref)))].filter((key) => !this.files.has(key) && !this.refused.has(key));
    if (missing.length > 0 || !this.facts) await this.fetch(missing);
  }

  private async fetch(rels: readonly string[]): Promise<void> {
    let wanted = rels.map((rel) => (rel.startsWith(OUTSIDE) ? { asked: rel, walk: rel, hops: 0 } : { asked: insideFolder(rel, this.ref), walk: insideFolder(rel, this.ref), hops: 0 }));
    while (wanted.length > 0 || !this.facts) {
      const answer = await runScript(this.ref, readScript(this.scriptPath, wanted.map((w) => w.walk)), this.scriptSsh);
      const { facts, results } = parseReadOutput(answer.stdout, wanted.length, this.ref);
      if (!this.decided) {
        this.decided = true;
        // A folder of root's (/opt/n8n) and a login that may use sudo without a password: every read and the
        // write go through `sudo -n` from here on, read again as root. Never for a folder of another user, whose
        // owner could swap its parts while root works there.
        if (facts.loginUid !== 0 && facts.exists && facts.owner.uid === 0 && facts.sudo) {
          this.sudo = { home: facts.home };
          continue;
        }
      }
      // Through sudo, HOME is root's: the login's home stays what ~/ and relative paths mean.
      this.facts = this.sudo ? { ...facts, home: this.sudo.home, throughSudo: true } : facts;
      const again: typeof wanted = [];
      wanted.forEach((w, i) => {
        const result = results[i]!;
        if (result.kind === 'link') {
          const next = this.followLink(w, result);
          again.push(next);
          return;
        }
        this.walked.set(w.asked, w.walk);
        if (result.kind === 'refused') this.refused.set(w.asked, result.error);
        else this.files.set(w.asked, result.kind === 'file' ? { ...result.file, rel: w.walk } : null);
      });
      wanted = again;
    }
  }

  /** An allowed link is walked again from the top to where it points; any other is refused, as locally. */
  private followLink(w: { asked: string; walk: string; hops: number }, link: Extract<ReadResult, { kind: 'link' }>): { asked: string; walk: string; hops: number } {
    const shown = `${this.ref.shown.replace(/\/$/, '')}/${link.at}`;
    const owner = this.facts!.owner.uid;
    if (w.hops >= MAX_LINKS) throw linkRefused(shown, link.text, `leads through more than ${MAX_LINKS} links`);
    if (link.targetRel === undefined) throw linkRefused(shown, link.text, `points outside ${this.ref.shown}`);
    if (link.uid !== owner) throw linkRefused(shown, link.text, `belongs to uid ${link.uid}, not to the folder's owner (uid ${owner})`);
    if (link.targetUid !== undefined && link.targetUid !== owner) throw linkRefused(shown, link.text, `points at a file of uid ${link.targetUid}, not of the folder's owner (uid ${owner})`);
    const rest = w.walk.split('/').slice(link.at.split('/').length);
    return { asked: w.asked, walk: posix.join(link.targetRel, ...rest), hops: w.hops + 1 };
  }
}

type ReadResult =
  | { kind: 'absent' }
  | { kind: 'refused'; error: SetupError }
  | { kind: 'file'; file: Omit<RemoteFile, 'rel'> }
  | { kind: 'link'; at: string; text: string; uid: number; targetRel: string | undefined; targetUid: number | undefined };

/**
 * The read script. Line 1: `R <exists> <uid> <gid> <login uid>`, then `N <name>` for each non-folder name,
 * then one answer per wanted path: `A` (absent), `L <at> <link text> <uid> <target> <target uid>` (a link on
 * the way, `target` relative to the folder or `-` outside it), `X <why>` (not a regular file, a hard link,
 * too large), or `F <mode> <uid> <gid> <size>`, the content in base64 and `.`. Names are base64 (`-`: none).
 */
function readScript(folder: string, wanted: readonly string[]): string {
  return [
    READ_FUNCTIONS,
    `folder=${shellQuote(folder)}`,
    'start',
    ...wanted.map((rel) => (rel.startsWith(OUTSIDE) ? `want_outside ${b64(rel.slice(OUTSIDE.length))}` : `want ${b64(rel)}`)),
    '',
  ].join('\n');
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Keys of files outside the folder, which no name inside it can start with. */
const OUTSIDE = '\0outside:';

const READ_FUNCTIONS = `set -u
umask 077
LC_ALL=C; export LC_ALL
enc() { base64 | tr -d '\\n'; }
dec() { printf '%s' "$1" | base64 -d; }
start() {
  case $folder in "~/"*) folder="$HOME/\${folder#"~/"}";; "~") folder=$HOME;; /*) ;; *) folder="$HOME/$folder";; esac
  home=$(printf '%s' "$HOME" | enc); [ -n "$home" ] || home=-
  if ! cd -P -- "$folder" 2>/dev/null; then printf 'R 0 0 0 %s %s 0\\n' "$(id -u)" "$home"; outside_only=1; return 0; fi
  real=$(pwd -P)
  # A folder of root's the login may not write: whether it may use sudo without a password (asked with -n, never prompted).
  sudo=0
  if [ "$(id -u)" != 0 ] && [ "$(stat -c %u .)" = 0 ] && [ ! -w . ] && command -v sudo >/dev/null 2>&1 && sudo -n true </dev/null >/dev/null 2>&1; then sudo=1; fi
  printf 'R 1 %s %s %s %s %s\\n' "$(stat -c %u .)" "$(stat -c %g .)" "$(id -u)" "$home" "$sudo"
  for f in .[!.]* ..?* *; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    if [ -d "$f" ] && [ ! -L "$f" ]; then continue; fi
    printf 'N %s\\n' "$(printf '%s' "$f" | enc)"
  done
}
outside_only=""
want() {
  if [ -n "$outside_only" ]; then printf 'A\\n'; return 0; fi
  rel=$(dec "$1"); at=""; oldifs=$IFS; IFS=/; set -f
  for part in $rel; do
    IFS=$oldifs
    [ -n "$part" ] || continue
    if [ -z "$at" ]; then at=$part; else at="$at/$part"; fi
    if [ -L "$at" ]; then
      text=$(readlink -- "$at"); t=$(readlink -f -- "$at" 2>/dev/null || true)
      tu=-; [ -n "$t" ] && [ -e "$t" ] && tu=$(stat -L -c %u -- "$t")
      case $t in "$real"/*) tr=$(printf '%s' "\${t#"$real"/}" | enc);; *) tr=-;; esac
      printf 'L %s %s %s %s %s\\n' "$(printf '%s' "$at" | enc)" "$(printf '%s' "$text" | enc)" "$(stat -c %u -- "$at")" "$tr" "$tu"
      IFS=$oldifs; set +f; return 0
    fi
    if [ ! -e "$at" ]; then printf 'A\\n'; IFS=$oldifs; set +f; return 0; fi
  done
  IFS=$oldifs; set +f
  if [ ! -f "$at" ]; then printf 'X not-file\\n'; return 0; fi
  set -- $(stat -c '%a %u %g %s %h' -- "$at")
  if [ "$5" != 1 ]; then printf 'X hard-link %s\\n' "$5"; return 0; fi
  send "$at" "$@"
}
send() {
  if [ "$5" -gt ${MAX_FILE_BYTES} ]; then printf 'X too-large %s\\n' "$5"; return 0; fi
  if [ ! -r "$1" ]; then printf 'X unreadable %s\\n' "$(printf '%s' "$1" | enc)"; return 0; fi
  printf 'F %s %s %s %s\\n' "$2" "$3" "$4" "$5"
  base64 < "$1"
  printf '.\\n'
}
list() {
  if [ -n "$outside_only" ]; then printf 'D none\\n'; return 0; fi
  rel=$(dec "$1"); at=""; oldifs=$IFS; IFS=/; set -f
  for part in $rel; do
    IFS=$oldifs
    if [ -z "$at" ]; then at=$part; else at="$at/$part"; fi
    if [ -L "$at" ]; then IFS=$oldifs; set +f; printf 'D link %s\\n' "$(printf '%s' "$at" | enc)"; return 0; fi
  done
  IFS=$oldifs; set +f
  [ -d "$at" ] || { printf 'D none\\n'; return 0; }
  printf 'D here\\n'
  for f in "$at"/*; do
    [ -f "$f" ] && [ ! -L "$f" ] && printf 'f %s\\n' "$(printf '%s' "\${f##*/}" | enc)"
  done
  return 0
}
want_outside() {
  p=$(dec "$1")
  case $p in "~/"*) p="$HOME/\${p#"~/"}";; /*) ;; *) p="$folder/$p";; esac
  if [ ! -e "$p" ]; then printf 'A\\n'; return 0; fi
  if [ ! -f "$p" ]; then printf 'X not-file\\n'; return 0; fi
  send "$p" $(stat -L -c '%a %u %g %s' -- "$p")
}`;

function parseReadOutput(stdout: string, count: number, ref: RemoteFolderRef): { facts: RemoteFolderFacts; results: ReadResult[] } {
  const lines = stdout.split('\n');
  let i = lines.findIndex((line) => line.startsWith('R '));
  if (i === -1) throw unexpectedAnswer(ref, stdout);
  const [, exists, uid, gid, login, home, sudo] = lines[i]!.split(' ');
  const facts: RemoteFolderFacts = { exists: exists === '1', owner: { uid: Number(uid), gid: Number(gid) }, loginUid: Number(login), names: [], home: home && home !== '-' ? unb64(home) : '/', sudo: sudo === '1' };
  i++;
  for (; lines[i]?.startsWith('N '); i++) facts.names.push(unb64(lines[i]!.slice(2)));
  const results: ReadResult[] = [];
  while (results.length < count) {
    const line = lines[i++];
    if (line === undefined) throw unexpectedAnswer(ref, stdout);
    const [kind, ...rest] = line.split(' ');
    if (kind === 'A') results.push({ kind: 'absent' });
    else if (kind === 'L') {
      const [at, text, linkUid, target, targetUid] = rest;
      results.push({ kind: 'link', at: unb64(at ?? ''), text: unb64(text ?? ''), uid: Number(linkUid), targetRel: target === '-' ? undefined : unb64(target ?? ''), targetUid: targetUid === '-' ? undefined : Number(targetUid) });
    } else if (kind === 'X') results.push({ kind: 'refused', error: notReadable(rest, ref) });
    else if (kind === 'F') {
      const [mode, fileUid, fileGid, size] = rest.map(Number);
      const body: string[] = [];
      while (lines[i] !== undefined && lines[i] !== '.') body.push(lines[i++]!);
      i++;
      const bytes = Buffer.from(body.join(''), 'base64');
      if (bytes.length !== size) throw unexpectedAnswer(ref, `a file of ${size} bytes arrived as ${bytes.length}`);
      results.push({ kind: 'file', file: { bytes, mode: Number.parseInt(String(mode), 8), uid: fileUid!, gid: fileGid! } });
    } else throw unexpectedAnswer(ref, line);
  }
  return { facts, results };
}

function notReadable(rest: string[], ref: RemoteFolderRef): SetupError {
  const [why, detail] = rest;
  const where = ref.shown;
  if (why === 'unreadable') return new SetupError({ code: 'WRITE_PERMISSION_DENIED', message: `${unb64(detail ?? '')} in ${where} cannot be read by the login. No file was changed.`, fix: 'Log in as the folder’s owner or as root (user@host in the server field), then run setup again.' });
  if (why === 'hard-link') return new SetupError({ code: 'LINK_REFUSED', message: `A file in ${where} has ${detail} hard links: any of its other names may be outside the folder. No file was changed.`, fix: 'Replace it with a copy of its own (cp FILE FILE.new && mv FILE.new FILE), then run setup again.' });
  if (why === 'too-large') return new SetupError({ code: 'FILE_TOO_LARGE', message: `A file setup reads in ${where} is ${detail} bytes, more than any setup file.`, fix: 'Check that the folder is your n8n setup; move large files out of it.' });
  return new SetupError({ code: 'WRITE_FAILED', message: `A file setup reads in ${where} is not a regular file (a folder, a FIFO or a device under its name).`, fix: 'Move it aside, then run setup again.' });
}

export interface RemoteWriteOptions {
  /** Modes of folders to create, by relative path; others 0700 when they will hold a secret, else 0755. */
  dirModes?: Record<string, number>;
  now: Date;
  /** What holds the lock ("export", "restore"). */
  what: string;
  /** More files to write with the others, made from their outcomes (the export's record). */
  withOutcomes?: (outcomes: readonly FileOutcome[]) => FileChange[];
  /** Each step as the server reaches it: `locked`, `staged` (new contents are on the server), `done`. */
  onStep?: (step: RemoteStep) => void;
  /** Folders that must be closed to others (go-rwx) before the files are written (`secrets`). */
  tightenFolders?: readonly string[];
  /** Tests: wait this long after staging, before anything is replaced (a cancel lands there). */
  pauseAfterStagingMs?: number;
}

export interface RemoteWriteResult {
  outcomes: FileOutcome[];
  /** Folders of `tightenFolders` that others could enter, with the mode they had. */
  tightenedFolders: Array<{ path: string; from: number }>;
}

export type RemoteStep = 'locked' | 'staged' | 'done';

/** The write script's exits: each a reason nothing was changed. */
const WRITE_EXITS: Record<number, (detail: string, ref: RemoteFolderRef) => SetupError> = {
  80: (_d, ref) => new SetupError({ code: 'WRITE_FOLDER_MISSING', message: `The folder ${ref.shown} does not exist (or cannot be entered). No file was changed.`, fix: `Create it on the server (mkdir -p ${ref.path}) or choose the folder your n8n setup lives in.` }),
  81: (detail, ref) => busy(detail, ref),
  82: (detail, ref) => new SetupError({ code: 'FILES_CHANGED', message: `${detail} in ${ref.shown} changed on the server after setup read it. No file was changed.`, fix: 'Run it again: setup reads the files afresh and merges into what is there now.' }),
  83: (detail, ref) => linkRefused(`${ref.shown.replace(/\/$/, '')}/${detail}`, 'somewhere setup did not read', 'appeared after setup read the folder'),
  84: (detail, ref) => new SetupError({ code: 'WRITE_FAILED', message: `Could not write ${detail || 'a file'} in ${ref.shown} (the server's disk may be full, or the login may not write there). No file was changed.`, fix: 'Free space on the server (df -h) and check the owner and permissions of the folder and its files: log in as their owner or root (for a folder of root’s, a login that may use sudo without a password also works: setup then writes through sudo -n), then run setup again.' }),
  85: (detail, ref) => new SetupError({ code: 'WRITE_FAILED', message: `Replacing ${detail || 'the files'} in ${ref.shown} failed part-way; the files already replaced were put back from their backups.`, fix: 'Check the server’s disk and the folder’s permissions, then run setup again.' }),
  86: (detail, ref) => new SetupError({ code: 'WRITE_FAILED', message: `Replacing files in ${ref.shown} failed part-way, and ${detail} could not be put back: its backup is beside it.`, fix: 'Restore it from its backup (n8n-setup restore --list shows them), then run setup again.' }),
  87: (_d, ref) => new SetupError({ code: 'CANCELLED', message: `Cancelled before anything in ${ref.shown} was replaced. No file was changed.` }),
};

/**
 * Writes `changes` into the folder as one set, with the rules of a local write (replace-files.ts): a new
 * file gets its planned mode, an existing one keeps its mode (tightened when it holds a secret) and owner,
 * each ends up as it was or completely new, with a backup of what it replaced. Each path should have been
 * read through `folder` first: the write checks, under the lock, that it is still what was read (a path
 * never read must still be absent).
 */
export async function writeRemoteFiles(folder: RemoteFolder, changes: readonly FileChange[], options: RemoteWriteOptions): Promise<RemoteWriteResult> {
  const create = folder.facts?.exists === false ? 'create' : '-';
  const script: string[] = [WRITE_FUNCTIONS, `folder=${shellQuote(folder.scriptPath)}`, `begin ${b64(lockContent(options))} ${b64(`${LOCK_FILE}${DRAFT_MARKER}${randomBytes(4).toString('hex')}`)} ${create}`];
  const checks: string[] = [];
  const prepares: string[] = [];
  const dirs = new Set<string>();
  const steps: string[] = [];
  const outcomes: FileOutcome[] = [];
  const add = (change: FileChange) => {
    const before = folder.readState(change.path) ?? undefined;
    const rel = before?.rel ?? folder.realPath(change.path);
    // Checked under the lock: every file is still what the plan was made from.
    checks.push(`expect ${b64(rel)} ${before ? hash(before.bytes) : '-'}`);
    const { outcome, step } = planRemoteChange(change, before, rel, folder.facts?.loginUid === 0, options.now);
    outcomes.push(outcome);
    if (!step) return;
    const dir = posix.dirname(rel);
    for (const parent of parents(dir)) {
      if (dirs.has(parent)) continue;
      dirs.add(parent);
      prepares.push(`folder_for ${b64(parent)} ${(options.dirModes?.[parent] ?? (change.holdsSecret ? 0o700 : 0o755)).toString(8)}`);
    }
    if (step.stage) prepares.push(step.stage);
    steps.push(step.replace);
  };
  // Every file is read before it is written (one round trip for those the plan did not read): the write then
  // checks each against what was read, and a file behind an allowed link is written where the link leads.
  await folder.ensureRead(changes.map((change) => change.path));
  changes.forEach(add);
  const written = outcomes.slice();
  const more = options.withOutcomes?.(written) ?? [];
  await folder.ensureRead(more.map((change) => change.path));
  more.forEach(add);
  // Every check first, so that a refusal changes nothing; then the folders closed, the new contents staged.
  script.push(...checks, ...(options.tightenFolders ?? []).map((rel) => `tighten_folder ${b64(realFolder(folder, changes, rel))}`), ...prepares);
  // The replaces go to the server only once it reported the new contents staged: a run stopped before then never
  // gets them. `alive` speaks to the connection once more before the first replace: a connection lost by then is noticed there.
  script.push('staged', '');
  const rest = [...(options.pauseAfterStagingMs ? [`sleep ${Math.ceil(options.pauseAfterStagingMs / 1000)}`] : []), 'alive', ...steps, 'finish', ''].join('\n');
  const seen = new Set<RemoteStep>();
  const onLine = (line: string) => onStepLine(line, (step) => (seen.add(step), options.onStep?.(step)));
  const run = await runScript(folder.ref, { first: script.join('\n'), when: 'S staged', rest }, { ...folder.scriptSsh, onLine }).catch((error: unknown) => {
    // Stopped by the admin: what that leaves depends on how far the server got.
    if (!(error instanceof SetupError) || error.code !== 'CANCELLED' || !folder.ssh.signal?.aborted) throw error;
    // Before `S staged` arrived, the server never got the replaces: it removes what it staged when the connection ends.
    if (!seen.has('staged')) throw new SetupError({ code: 'CANCELLED', message: `Stopped before anything in ${folder.ref.shown} was replaced: the server removes what it had staged. No file was changed.` }, { cause: error });
    if (!seen.has('done')) throw new SetupError({ code: 'CANCELLED', message: `Stopped while the files in ${folder.ref.shown} were being replaced: the server puts back what it had replaced, from the backups beside them.`, fix: 'Check the folder (n8n-setup restore --list shows the backups), then write again.' }, { cause: error });
    throw error;
  });
  if (run.code !== 0) {
    const raw = run.stdout.split('\n').findLast((line) => line.startsWith('E '))?.slice(2) ?? '-';
    const known = WRITE_EXITS[run.code];
    if (known) throw known(raw === '-' ? '' : unb64(raw), folder.ref);
    throw unexpectedAnswer(folder.ref, run.stderr || run.stdout);
  }
  const tightenedFolders = run.stdout.split('\n').flatMap((line) => {
    const [tag, what, rel, mode] = line.split(' ');
    return tag === 'W' && what === 'tightened' && rel && mode ? [{ path: unb64(rel), from: Number.parseInt(mode, 8) }] : [];
  });
  return { outcomes: written, tightenedFolders };
}

/** Where the folder `rel` really is, after the allowed links a file below it was read through (itself otherwise). */
function realFolder(folder: RemoteFolder, changes: readonly FileChange[], rel: string): string {
  for (const change of changes) {
    if (!change.path.startsWith(`${rel}/`)) continue;
    const rest = change.path.slice(rel.length + 1);
    const real = folder.realPath(change.path);
    if (real.endsWith(`/${rest}`)) return real.slice(0, -(rest.length + 1));
  }
  return rel;
}

/** What one change does on the server (the script's lines) and what it will have done (its outcome). */
function planRemoteChange(change: FileChange, before: RemoteFile | undefined, rel: string, asRoot: boolean, now: Date): { outcome: FileOutcome; step?: { stage?: string; replace: string } } {
  const allowed = change.mode & 0o777;
  const oldMode = before ? before.mode & 0o777 : undefined;
  // Never loosen what the admin set; tighten only what now holds a secret (replace-files.ts).
  const mode = oldMode === undefined ? allowed : (change.tightenExisting ?? change.holdsSecret) ? oldMode & allowed : oldMode;
  const tightened = oldMode !== undefined && mode !== oldMode ? { tightenedFrom: oldMode } : {};
  const bytes = change.content === null ? null : typeof change.content === 'string' ? Buffer.from(change.content, 'utf8') : Buffer.from(change.content);
  const owner = change.owner ?? (asRoot && before ? { uid: before.uid, gid: before.gid } : undefined);
  const ownerArg = owner && asRoot ? `${owner.uid}:${owner.gid}` : '-';
  const backupMode = ((oldMode ?? 0o600) & (change.holdsSecret || change.previousHeldSecret ? 0o600 : 0o777)).toString(8);
  const dir = posix.dirname(rel);
  const backup = before && posix.join(dir, backupFileName(posix.basename(rel), now, randomBytes(4).toString('hex')));
  const backupFields = (b: RemoteFile) => ({ backup: backup!, backupSha256: hash(b.bytes), backupSize: b.bytes.length });

  if (bytes === null) {
    if (!before) return { outcome: { path: change.path, action: 'unchanged', mode: allowed } };
    return { outcome: { path: change.path, action: 'removed', mode: oldMode!, ...backupFields(before) }, step: { replace: `drop ${b64(rel)} ${b64(backup!)} ${backupMode}` } };
  }
  const sha256 = hash(bytes);
  if (before?.bytes.equals(bytes)) {
    const sameOwner = ownerArg === '-' || (owner!.uid === before.uid && owner!.gid === before.gid);
    const outcome: FileOutcome = { path: change.path, action: 'unchanged', mode, sha256, ...tightened };
    return mode === oldMode && sameOwner ? { outcome } : { outcome, step: { replace: `retouch ${b64(rel)} ${mode.toString(8)} ${ownerArg}` } };
  }
  // The local temp name's form (leftover-temp-files.ts knows it), with a suffix nobody can predict.
  const temp = posix.join(dir, `.${posix.basename(rel)}.tmp-${randomBytes(6).toString('hex')}`);
  return {
    outcome: { path: change.path, action: before ? 'updated' : 'created', mode, sha256, ...(before && backupFields(before)), ...tightened },
    step: {
      // The mode comes from the umask at creation; chmod (which follows a link) only where it cannot.
      stage: `stage ${b64(temp)} ${mode.toString(8)} ${ownerArg} ${(~mode & 0o777).toString(8).padStart(3, '0')} ${(mode & ~0o666) === 0 ? '-' : 'chmod'} <<'N8N_SETUP_EOF'\n${bytes.toString('base64').replace(/.{1,76}/g, '$&\n')}N8N_SETUP_EOF`,
      replace: `swap ${b64(rel)} ${b64(temp)} ${backup ? b64(backup) : '-'} ${backupMode}`,
    },
  };
}

function onStepLine(line: string, onStep: (step: RemoteStep) => void): void {
  if (line === 'S locked' || line === 'S staged' || line === 'S done') onStep(line.slice(2) as RemoteStep);
}

/** The lock's content, in the local lock's format (a local run on the server reads it the same way). */
function lockContent(options: RemoteWriteOptions): string {
  return JSON.stringify({ since: options.now.toISOString(), what: options.what });
}

/**
 * The write script. `begin` enters the folder and takes the lock (a lock whose process is gone on this boot
 * is stale); `expect` checks a file is unchanged; `folder_for` creates a missing folder; `stage` writes a
 * new content into a temp file created exclusively beside its target, with its mode and owner; `staged`
 * syncs them. Only then `swap` backs up each target (exclusively, `set -C`) and renames the temp file over
 * it; `drop` backs up and removes. Any failure — or a lost connection, seen when the next line cannot be
 * written — removes the temp files and puts back what was already replaced.
 */
export const WRITE_FUNCTIONS = `set -u
LC_ALL=C; export LC_ALL
dec() { printf '%s' "$1" | base64 -d; }
say() { printf '%s\\n' "$1" || fail 87 -; }
temps=""; swapped=""; dirs=""; locked=""; backups=""; guard=""; draft=""; me=$(id -u)
nl='
'
random_hex() { od -An -N6 -tx1 /dev/urandom | tr -d ' \\n'; }
# copy_as SRC DEST MODE OWNER: DEST is new (created exclusively) and gets MODE from the umask at creation;
# chmod, which follows a link, runs only for bits a umask cannot give, right after checking the name; the
# owner (uid:gid, or -) only when running as root.
copy_as() {
  { [ -e "$2" ] || [ -L "$2" ]; } && return 1
  u=$(printf '%03o' $(( 0777 & ~0$3 )))
  (umask "$u"; set -C; cat -- "$1" > "$2") || return 1
  [ -f "$2" ] && [ ! -L "$2" ] || return 1
  if [ "$me" = 0 ] && [ "$4" != - ]; then chown -h "$4" "$2" || return 1; fi
  case $3 in *[1357]* | ????*) [ -f "$2" ] && [ ! -L "$2" ] && chmod "$3" "$2" || return 1;; esac
  return 0
}
cleanup() {
  set +e
  for t in $temps; do rm -f -- "$(dec "$t")"; done
  bad=""
  for s in $swapped; do
    rel=$(dec "\${s%%:*}"); rest=\${s#*:}; bk=\${rest%%:*}; info=\${rest#*:}
    if [ "$bk" = - ]; then rm -f -- "$rel" || bad=$rel; continue; fi
    back=$(dec "$bk"); put="$rel.putback-$(random_hex)"
    if copy_as "$back" "$put" "\${info%%:*}" "\${info#*:}" && mv -f -T -- "$put" "$rel"; then :; else rm -f -- "$put"; bad=$rel; fi
  done
  # Everything put back: the copies this run made are not needed (a file not put back keeps its backup).
  if [ -z "$bad" ]; then for b in $backups; do rm -f -- "$(dec "$b")"; done; fi
  for d in $dirs; do rmdir -- "$(dec "$d")" 2>/dev/null; done
  drop_guard
  [ -z "$draft" ] || rm -f -- "$draft"
  release
  [ -z "$bad" ] || { printf 'E %s\\n' "$(printf '%s' "$bad" | base64 | tr -d '\\n')"; exit 86; }
}
release() { [ -z "$locked" ] || { [ "$(cat -- ${LOCK_FILE} 2>/dev/null)" = "$locked" ] && rm -f -- ${LOCK_FILE}; }; locked=""; }
fail() { trap '' PIPE; code=$1; printf 'E %s\\n' "$2" 2>/dev/null; trap - EXIT; if [ -n "$swapped" ] && [ "$code" -ne 87 ]; then code=85; fi; cleanup; exit "$code"; }
trap 'fail 87 -' HUP INT TERM PIPE
trap 'cleanup' EXIT
# A process another user runs answers "not permitted": it is alive (as the local lock judges it).
alive_pid() { err=$(kill -0 "$1" 2>&1) && return 0; case $err in *ermitted*) return 0;; esac; return 1; }
# gone CONTENT: a lock (or takeover guard) whose run is gone: same host, and another boot or its pid not running.
gone() {
  gp=$(printf '%s' "$1" | sed -n 's/.*"pid":\\([0-9][0-9]*\\).*/\\1/p')
  gh=$(printf '%s' "$1" | sed -n 's/.*"host":"\\([^"]*\\)".*/\\1/p')
  gb=$(printf '%s' "$1" | sed -n 's/.*"boot":"\\([^"]*\\)".*/\\1/p')
  [ -n "$gp" ] && [ "$gh" = "$host" ] && { [ "$gb" != "$boot" ] || ! alive_pid "$gp"; }
}
guard_ours() { [ -n "$guard" ] && [ "$(stat -c %i -- ${TAKEOVER_GUARD} 2>/dev/null)" = "$guard" ]; }
drop_guard() { if guard_ours; then rm -f -- ${TAKEOVER_GUARD}; fi; guard=""; }
# A takeover guard whose taker is gone, or older than 10 s (a takeover takes milliseconds; a taker still running
# finds its guard gone and steps back), is moved aside and removed only if it is still the one judged (same
# inode and bytes); a guard another run made in between goes back. True: try again.
dead_guard_cleared() {
  [ -L ${TAKEOVER_GUARD} ] && return 1
  [ -f ${TAKEOVER_GUARD} ] || return 0
  gi=$(stat -c %i -- ${TAKEOVER_GUARD} 2>/dev/null) || return 0
  g=$(head -c 4096 -- ${TAKEOVER_GUARD} 2>/dev/null || true)
  age=$(( $(date +%s) - $(stat -c %Y -- ${TAKEOVER_GUARD} 2>/dev/null || date +%s) ))
  [ "$age" -gt 10 ] || gone "$g" || return 1
  aside="${DEAD_GUARD_PREFIX}$(random_hex)"
  if ! mv -f -T -- ${TAKEOVER_GUARD} "$aside" 2>/dev/null; then { [ -e ${TAKEOVER_GUARD} ] || [ -L ${TAKEOVER_GUARD} ]; } && return 1; return 0; fi
  if [ "$(stat -c %i -- "$aside" 2>/dev/null)" = "$gi" ] && [ "$(head -c 4096 -- "$aside" 2>/dev/null)" = "$g" ]; then rm -f -- "$aside"; return 0; fi
  ln -T -- "$aside" ${TAKEOVER_GUARD} 2>/dev/null; rm -f -- "$aside"; return 1
}
begin() {
  case $folder in "~/"*) folder="$HOME/\${folder#"~/"}";; "~") folder=$HOME;; /*) ;; *) folder="$HOME/$folder";; esac
  if [ "$3" = create ] && [ ! -e "$folder" ] && [ ! -L "$folder" ]; then (umask 022; mkdir -- "$folder") 2>/dev/null; fi
  cd -P -- "$folder" 2>/dev/null || { trap - EXIT; exit 80; }
  host=$(uname -n); boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)
  extra=$(dec "$1"); draft=$(dec "$2")
  mine=$(printf '{"pid":%s,"host":"%s","boot":"%s",%s' "$$" "$host" "$boot" "\${extra#\\{}")
  # Drafts and dead guards moved aside that killed runs left (a live run's exist for a moment only).
  for f in ${LOCK_FILE}${DRAFT_MARKER}* ${DEAD_GUARD_PREFIX}*; do
    [ -f "$f" ] && [ ! -L "$f" ] || continue
    [ $(( $(date +%s) - $(stat -c %Y -- "$f" 2>/dev/null || date +%s) )) -gt 10 ] && rm -f -- "$f"
  done
  for attempt in 1 2 3; do
    [ -L ${LOCK_FILE} ] && fail 83 "$(printf '%s' ${LOCK_FILE} | base64)"
    (umask 022; set -C; printf '%s' "$mine" > "$draft") 2>/dev/null || fail 84 "$(printf '%s' ${LOCK_FILE} | base64)"
    if ln -T -- "$draft" ${LOCK_FILE} 2>/dev/null; then rm -f -- "$draft"; locked=$mine; say 'S locked'; return 0; fi
    rm -f -- "$draft"
    held=$(head -c 4096 -- ${LOCK_FILE} 2>/dev/null || true)
    # Released between the two looks: try again.
    { [ -e ${LOCK_FILE} ] || [ -L ${LOCK_FILE} ]; } || continue
    if gone "$held"; then
      # The stale lock is replaced by ours in one rename (its name is never free), one takeover at a time: the
      # guard names its taker as a lock does and appears complete (a draft linked to its name); under it, the
      # lock must still be what was judged stale.
      (umask 022; set -C; printf '%s' "$mine" > "$draft") 2>/dev/null || fail 84 "$(printf '%s' ${TAKEOVER_GUARD} | base64)"
      mi=$(stat -c %i -- "$draft" 2>/dev/null || echo -)
      if ln -T -- "$draft" ${TAKEOVER_GUARD} 2>/dev/null; then
        rm -f -- "$draft"; guard=$mi
        # The guard is ours while it is the very file linked: a run that judged it dead (this run stalled for
        # longer than 10 s) may have moved it away; then this run steps back and looks again.
        if (umask 022; set -C; printf '%s' "$mine" > "$draft") 2>/dev/null; then
          now=$(head -c 4096 -- ${LOCK_FILE} 2>/dev/null || true)
          if [ ! -L ${LOCK_FILE} ] && [ -f ${LOCK_FILE} ] && [ "$now" = "$held" ] && guard_ours && mv -f -T -- "$draft" ${LOCK_FILE} 2>/dev/null; then
            locked=$mine; drop_guard; say 'S locked'; return 0
          fi
          rm -f -- "$draft"
        fi
        drop_guard
        continue
      fi
      rm -f -- "$draft"
      # Another run is taking it over, unless that run is gone: its guard is cleared and the takeover tried again.
      if dead_guard_cleared; then continue; fi
    fi
    trap - EXIT; printf 'E %s\\n' "$(printf '%s' "$held" | base64 | tr -d '\\n')"; exit 81
  done
  trap - EXIT; printf 'E -\\n'; exit 81
}
no_link_on_way() {
  p=""; oldifs=$IFS; IFS=/; set -f
  for part in $1; do
    IFS=$oldifs
    if [ -z "$p" ]; then p=$part; else p="$p/$part"; fi
    if [ -L "$p" ]; then set +f; IFS=$oldifs; fail 83 "$(printf '%s' "$p" | base64 | tr -d '\\n')"; fi
  done
  IFS=$oldifs; set +f
}
expect() {
  rel=$(dec "$1"); no_link_on_way "$rel"
  if [ "$2" = - ]; then [ -e "$rel" ] && fail 82 "$1"; return 0; fi
  [ -f "$rel" ] && [ "$(stat -c %h -- "$rel")" = 1 ] || fail 82 "$1"
  [ "$(sha256sum -- "$rel" | cut -d ' ' -f 1)" = "$2" ] || fail 82 "$1"
}
folder_for() {
  rel=$(dec "$1")
  [ "$rel" = . ] && return 0
  no_link_on_way "$rel"
  [ -d "$rel" ] && return 0
  mkdir -m "$2" -- "$rel" || fail 84 "$1"
  dirs="$1$nl$dirs"
}
stage() {
  tmp=$(dec "$1")
  { [ -e "$tmp" ] || [ -L "$tmp" ]; } && fail 84 "$1"
  temps="$temps$nl$1"
  (umask "$4"; set -C; base64 -d > "$tmp") || fail 84 "$1"
  [ -f "$tmp" ] && [ ! -L "$tmp" ] || fail 84 "$1"
  [ "$3" = - ] || chown -h "$3" "$tmp" || fail 84 "$1"
  if [ "$5" = chmod ]; then [ -f "$tmp" ] && [ ! -L "$tmp" ] && chmod "$2" "$tmp" || fail 84 "$1"; fi
}
staged() { sync || fail 84 -; say 'S staged'; }
alive() { say 'S alive'; }
swap() {
  rel=$(dec "$1"); tmp=$(dec "$2")
  no_link_on_way "$rel"
  if [ "$3" != - ]; then
    back=$(dec "$3")
    old=$(stat -c '%a' -- "$rel"); owner=$(stat -c '%u:%g' -- "$rel")
    copy_as "$rel" "$back" "$4" "$owner" || fail 84 "$3"
    backups="$backups$nl$3"
    swapped="$1:$3:$old:$owner$nl$swapped"
  else
    swapped="$1:-$nl$swapped"
  fi
  mv -f -T -- "$tmp" "$rel" || fail 84 "$1"
  temps=$(printf '%s\\n' "$temps" | grep -vxF -- "$2" || true)
}
drop() {
  rel=$(dec "$1"); back=$(dec "$2")
  no_link_on_way "$rel"
  old=$(stat -c '%a' -- "$rel"); owner=$(stat -c '%u:%g' -- "$rel")
  copy_as "$rel" "$back" "$3" "$owner" || fail 84 "$2"
  backups="$backups$nl$2"
  swapped="$1:$2:$old:$owner$nl$swapped"
  rm -f -- "$rel" || fail 84 "$1"
}
tighten_folder() {
  rel=$(dec "$1"); no_link_on_way "$rel"
  [ -d "$rel" ] || return 0
  m=$(stat -c %a -- "$rel")
  case $m in *00) return 0;; esac
  chmod go-rwx -- "$rel" || fail 84 "$1"
  say "W tightened $1 $m"
}
retouch() {
  rel=$(dec "$1"); no_link_on_way "$rel"
  [ "$3" = - ] || chown -h "$3" "$rel" || fail 84 "$1"
  [ -f "$rel" ] && [ ! -L "$rel" ] && chmod "$2" "$rel" || fail 84 "$1"
}
finish() { sync; swapped=""; temps=""; dirs=""; backups=""; trap - EXIT; release; say 'S done'; exit 0; }`;

function busy(held: string, ref: RemoteFolderRef): SetupError {
  let who = 'n8n-setup';
  try {
    const lock = JSON.parse(held) as { pid?: number; host?: string; since?: string; what?: string };
    who = `n8n-setup (${lock.what ?? 'a run'}, pid ${lock.pid} on ${lock.host}, since ${lock.since})`;
  } catch {
    // A lock being taken this instant has no content yet.
  }
  return new SetupError({
    code: 'BUSY',
    message: `Another ${who} is writing to ${ref.shown} right now. Nothing was changed.`,
    fix: `Wait until it has finished, then run this again. If no n8n-setup is running there, delete ${ref.path.replace(/\/$/, '')}/${LOCK_FILE} on the server.`,
  });
}

async function runScript(ref: RemoteFolderRef, script: RemoteScript, ssh: SshOptions & { onLine?: (line: string) => void }): Promise<{ code: number; stdout: string; stderr: string }> {
  const timeout = AbortSignal.timeout(SCRIPT_TIMEOUT_MS);
  const signal = ssh.signal ? AbortSignal.any([ssh.signal, timeout]) : timeout;
  let stdout = '';
  let pending = '';
  try {
    const run = await runRemoteScript(ref.target, script, { ...ssh, signal }, (stream, text) => {
      if (stream !== 'stdout') return;
      stdout += text;
      if (!ssh.onLine) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(ssh.onLine);
    });
    return { code: run.code, stdout, stderr: run.stderr };
  } catch (error) {
    if (error instanceof SetupError && error.code === 'CANCELLED' && timeout.aborted && !ssh.signal?.aborted) {
      throw new SetupError({ code: 'SSH_TIMEOUT', field: 'ssh', message: `${ref.shown} did not finish within ${SCRIPT_TIMEOUT_MS / 1000} s; the connection was closed.`, fix: 'Check the connection to the server (ssh in a terminal), then run setup again.' });
    }
    throw error;
  }
}

function unexpectedAnswer(ref: RemoteFolderRef, text: string): SetupError {
  return new SetupError({ code: 'REMOTE_UNEXPECTED', field: 'ssh', message: `The server ${ref.shown} answered something setup does not understand (${text.trim().split('\n').at(-1)?.slice(0, 200) ?? 'nothing'}).`, fix: 'Check that the login runs a POSIX sh with coreutils (base64, sha256sum, stat, readlink) and prints nothing on its own (a banner from .bashrc goes to stderr, not stdout).' });
}

function parents(dir: string): string[] {
  if (dir === '.' || dir === '') return [];
  const parts = dir.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function unb64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}


function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A path inside the folder, normalised; an absolute path or one that climbs out with `..` is refused (as target-folder.ts does). */
function insideFolder(rel: string, ref: RemoteFolderRef): string {
  if (rel.startsWith(OUTSIDE)) return rel;
  const normal = posix.normalize(rel);
  if (normal.startsWith('/') || normal === '.' || normal === '..' || normal.startsWith('../') || rel.includes('\0') || rel.includes('\n')) {
    throw new SetupError({ code: 'WRITE_OUTSIDE_FOLDER', message: `Refusing to read or write ${JSON.stringify(rel)}: it is not a file inside ${ref.shown}.`, fix: 'Give file paths relative to the setup folder, without `..`.' });
  }
  return normal;
}
