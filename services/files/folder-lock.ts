/**
 * One writer per folder: `.n8n-setup.lock`, created exclusively (O_CREAT | O_EXCL | O_NOFOLLOW), holding the
 * pid, host and boot id of the run that holds it. A second run gets BUSY at once; a lock whose process is gone
 * (same host, same boot, pid not running) or that survived a reboot is stale and taken over. Two tabs, a CLI run
 * during a wizard export, or a double click therefore never interleave their writes and rollbacks.
 */
import { randomBytes } from 'node:crypto';
import { constants, existsSync, readFileSync } from 'node:fs';
import { link, lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { isErrnoError, throwFileError } from './file-errors.js';
import { readFileAt } from './read-file-at.js';
import type { TargetFolder } from './target-folder.js';

export const LOCK_FILE = '.n8n-setup.lock';

interface LockContent {
  pid: number;
  /** This run's own mark: runs in one process share the pid (and may share the millisecond). */
  run?: string;
  host: string;
  boot: string;
  since: string;
  what: string;
}

export interface FolderLock {
  release(): Promise<void>;
}

const THROUGH_PROC = process.platform === 'linux' && existsSync('/proc/self/fd');
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** A lock file still empty (or a draft still there) after this long was left by a run that died. */
const EMPTY_LOCK_GRACE_MS = 10_000;
export const DRAFT_MARKER = '.new-';
/** Held by the one run replacing a stale lock. */
export const TAKEOVER_GUARD = `${LOCK_FILE}.takeover`;
/** A dead takeover guard is moved aside under this prefix before it is removed. */
export const DEAD_GUARD_PREFIX = `${TAKEOVER_GUARD}.dead-`;

/**
 * Takes the folder's lock for `what` ("export", "restore"), or throws BUSY naming who holds it. The lock keeps
 * a handle of its own on the folder, so it can be released after the folder was closed.
 */
export async function lockFolder(folder: TargetFolder, what: string): Promise<FolderLock> {
  const mine: LockContent = { pid: process.pid, run: randomBytes(6).toString('hex'), host: hostname(), boot: bootId(), since: new Date().toISOString(), what };
  const handle = await open((await folder.existingFolder(''))!.path, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  const root = THROUGH_PROC ? `/proc/self/fd/${handle.fd}` : folder.root;
  try {
    const holding = { release: () => release(folder, root, mine).finally(() => handle.close()) };
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryCreate(folder, root, mine)) return holding;
      const held = await readLock(folder, root);
      if (!held) continue; // released between the two looks
      if (!isStale(held)) throw busy(folder, held.content);
      const took = await takeOverStale(folder, root, held, mine);
      if (took === 'taken') return holding;
      if (took === 'busy') throw busy(folder, held.content);
    }
    throw busy(folder, undefined);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The lock appears complete or not at all: its content goes into a file of its own first, which link()
 * then gives the lock's name (failing when the name exists, a dangling link included). A run killed in
 * between leaves only that file, which a later run removes.
 */
async function tryCreate(folder: TargetFolder, root: string, mine: LockContent): Promise<boolean> {
  const draft = draftPath(root);
  try {
    await removeOldDrafts(root);
    await writeDraft(draft, mine);
    await link(draft, join(root, LOCK_FILE));
    return true;
  } catch (error) {
    if (isErrnoError(error) && error.code === 'EEXIST') return false;
    throwFileError(error, { path: join(folder.root, LOCK_FILE), action: 'write', outcome: 'No file was changed.' });
  } finally {
    await unlink(draft).catch(() => undefined);
  }
}

/** A lock's content goes into a draft of its own first (an unguessable name), then becomes the lock in one step. */
function draftPath(root: string): string {
  return join(root, `${LOCK_FILE}${DRAFT_MARKER}${randomBytes(4).toString('hex')}`);
}

async function writeDraft(draft: string, mine: LockContent): Promise<void> {
  const handle = await open(draft, CREATE, 0o644);
  try {
    await handle.writeFile(JSON.stringify(mine));
  } finally {
    await handle.close();
  }
}

/**
 * Drafts of runs killed before they could take the lock, and dead takeover guards a run killed before it
 * removed them left aside (a live run's draft or aside exists for a few ms only).
 */
async function removeOldDrafts(root: string): Promise<void> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(`${LOCK_FILE}${DRAFT_MARKER}`) || n.startsWith(DEAD_GUARD_PREFIX))) {
    const stats = await lstat(join(root, name)).catch(() => undefined);
    if (stats?.isFile() && Date.now() - stats.mtimeMs > EMPTY_LOCK_GRACE_MS) await unlink(join(root, name)).catch(() => undefined);
  }
}

/**
 * The lock as another run left it. Between its link() and the removal of its draft, a lock being taken has a
 * second name for a moment: then it reads as a lock with no content yet, taken just now (BUSY). A lock with
 * other names for longer than the grace time is not ours to read: it is refused like any hard link.
 */
async function readLock(folder: TargetFolder, root: string): Promise<HeldLock | undefined> {
  const at = { dir: root, name: LOCK_FILE, shown: join(folder.root, LOCK_FILE), rel: LOCK_FILE };
  const stats = await lstat(join(root, LOCK_FILE)).catch(() => undefined);
  if (stats?.isFile() && stats.nlink === 2) {
    // Its second name is a draft of ours: the lock is being taken, or its taker was killed before removing the draft.
    const draft = await draftNamed(root, stats.ino);
    if (draft) {
      const content = parseLock(await readSmallFile(join(root, LOCK_FILE), stats.ino));
      // A dead taker's draft goes, and its lock is then judged like any other; a live one holds the lock.
      if (content && isStale({ content, ageMs: 0 })) await unlink(join(root, draft)).catch(() => undefined);
      else return { bytes: Buffer.alloc(0), content, ageMs: 0, ino: stats.ino };
    } else if (Date.now() - stats.mtimeMs <= EMPTY_LOCK_GRACE_MS) return { bytes: Buffer.alloc(0), content: undefined, ageMs: 0, ino: stats.ino };
  }
  const found = await readFileAt(at);
  if (!found) return undefined;
  return { bytes: found.bytes, content: parseLock(found.bytes), ageMs: Date.now() - found.stats.mtimeMs, ino: found.stats.ino };
}

interface HeldLock {
  bytes: Buffer;
  content: LockContent | undefined;
  ageMs: number;
  /** The lock file judged: a takeover replaces only this very file. */
  ino: number;
}

function parseLock(bytes: Buffer | undefined): LockContent | undefined {
  try {
    const parsed = JSON.parse(bytes?.toString('utf8') ?? '') as LockContent;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The lock draft that is another name of the file with inode `ino`, if any. */
async function draftNamed(root: string, ino: number): Promise<string | undefined> {
  const names = await readdir(root).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(`${LOCK_FILE}${DRAFT_MARKER}`))) {
    const stats = await lstat(join(root, name)).catch(() => undefined);
    if (stats?.isFile() && stats.ino === ino) return name;
  }
  return undefined;
}

/** A lock's few bytes, read without following a link, and only from the file judged (same inode). */
async function readSmallFile(path: string, ino: number): Promise<Buffer | undefined> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  try {
    if ((await handle.stat()).ino !== ino) return undefined;
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isStale(held: { content: LockContent | undefined; ageMs: number }): boolean {
  const { content } = held;
  if (!content) return held.ageMs > EMPTY_LOCK_GRACE_MS;
  if (content.host !== hostname()) return false; // a shared folder: the other machine's processes are not visible here
  if (content.boot !== bootId()) return true;
  return !isRunning(content.pid);
}

/**
 * Replaces a stale lock with this run's lock in one rename, so the lock's name is never free for a moment (a
 * run taking a free lock meanwhile would otherwise hold it beside this one). Takeovers go one at a time, each
 * holding `.n8n-setup.lock.takeover` (created exclusively); under it, the lock must still be the very file judged
 * stale — its owner is gone, so only a takeover could change it. Another takeover under way: BUSY; the guard
 * of a taker that died is removed (removeDeadGuard) and the takeover tried again.
 */
async function takeOverStale(folder: TargetFolder, root: string, stale: HeldLock, mine: LockContent): Promise<'taken' | 'busy' | 'again'> {
  const guard = join(root, TAKEOVER_GUARD);
  // The guard names its taker, as a lock does, and appears complete (a draft linked to its name): a taker that
  // died is seen at once, never as an empty guard.
  const guardDraft = draftPath(root);
  let guardIno: number;
  try {
    await writeDraft(guardDraft, mine);
    guardIno = (await lstat(guardDraft)).ino;
    await link(guardDraft, guard);
  } catch (error) {
    if (!isErrnoError(error) || error.code !== 'EEXIST') throwFileError(error, { path: join(folder.root, TAKEOVER_GUARD), action: 'write', outcome: 'No file was changed.' });
    return (await removeDeadGuard(root, guard)) ? 'again' : 'busy';
  } finally {
    await unlink(guardDraft).catch(() => undefined);
  }
  // The guard is ours while it is the very file linked: another run that judged it dead (a taker stalled for
  // longer than the grace time) may have moved it away; then this run steps back and looks again.
  const ours = async () => (await lstat(guard).catch(() => undefined))?.ino === guardIno;
  const draft = draftPath(root);
  try {
    await writeDraft(draft, mine);
    const now = await lstat(join(root, LOCK_FILE)).catch(() => undefined);
    if (!now?.isFile() || now.ino !== stale.ino || !(await readSmallFile(join(root, LOCK_FILE), stale.ino))?.equals(stale.bytes)) return 'again';
    if (!(await ours())) return 'again';
    await rename(draft, join(root, LOCK_FILE));
    return 'taken';
  } finally {
    await unlink(draft).catch(() => undefined);
    if (await ours()) await unlink(guard).catch(() => undefined);
  }
}

/**
 * A guard whose taker is gone (pid not running on this boot, or older than the grace time) is moved
 * aside under a name of its own and removed only if it is still the one judged: a guard another run made in
 * between goes back. True when the dead one is gone and the caller may try again.
 */
async function removeDeadGuard(root: string, guard: string): Promise<boolean> {
  const stats = await lstat(guard).catch(() => undefined);
  if (!stats) return true;
  if (!stats.isFile()) return false;
  const bytes = (await readSmallFile(guard, stats.ino)) ?? Buffer.alloc(0);
  const ageMs = Date.now() - stats.mtimeMs;
  // A takeover takes milliseconds: a guard older than the grace time is dead whoever it names (a pid reused,
  // or a live process whose guard was left by a race); its taker, if still running, finds it gone and steps back.
  if (ageMs <= EMPTY_LOCK_GRACE_MS && !isStale({ content: parseLock(bytes), ageMs })) return false;
  const aside = join(root, `${DEAD_GUARD_PREFIX}${randomBytes(4).toString('hex')}`);
  try {
    await rename(guard, aside);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return true;
    return false; // not ours to move (a folder shared by several users): BUSY, as the guard's taker may be alive
  }
  const moved = await lstat(aside).catch(() => undefined);
  if (moved?.ino === stats.ino && ((await readSmallFile(aside, stats.ino)) ?? Buffer.alloc(0)).equals(bytes)) {
    await unlink(aside).catch(() => undefined);
    return true;
  }
  await link(aside, guard).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
  return false;
}

async function release(folder: TargetFolder, root: string, mine: LockContent): Promise<void> {
  const held = await readLock(folder, root).catch(() => undefined);
  if (held?.content?.pid !== mine.pid || held.content.run !== mine.run) return;
  await unlink(join(root, LOCK_FILE)).catch(() => undefined);
}

function busy(folder: TargetFolder, held: LockContent | undefined): SetupError {
  const lock = join(folder.root, LOCK_FILE);
  const who = held ? `n8n-setup (${held.what}, pid ${held.pid} on ${held.host}, since ${held.since})` : 'n8n-setup';
  return new SetupError({
    code: 'BUSY',
    message: `Another ${who} is writing to ${folder.root} right now. Nothing was changed.`,
    fix: `Wait until it has finished, then run this again. If no n8n-setup is running${held && held.host !== hostname() ? ` on ${held.host}` : ''}, delete ${lock}.`,
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrnoError(error) && error.code === 'EPERM';
  }
}

let boot: string | undefined;

/** Linux's boot id; elsewhere the boot time to the minute, which a reboot changes too. */
function bootId(): string {
  if (boot !== undefined) return boot;
  try {
    boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    boot = String(Math.round((Date.now() / 1000 - uptime()) / 60));
  }
  return boot;
}
