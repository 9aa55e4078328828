/**
 * Reading and changing an existing file in the target folder without following a link: the file is opened
 * with O_NOFOLLOW (and O_NONBLOCK, so a FIFO planted under its name cannot stall the run), and its type,
 * mode, owner and link count come from that same open file.
 */
import { constants, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { isErrnoError, throwFileError } from './file-errors.js';
import { linkRefused, type FileAt, type Owner } from './target-folder.js';

export interface ExistingFile {
  bytes: Buffer;
  stats: Stats;
}

/** Refuse a file larger than `maxBytes` before reading it, with the caller's error. */
export interface SizeLimit {
  maxBytes: number;
  tooLarge: (size: number) => Error;
}

const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * The file's bytes and stats, or undefined when there is none. A file with other hard links is refused: any
 * of them may be a file outside the folder (one that only root could read, say).
 */
export async function readFileAt(at: FileAt, limit?: SizeLimit): Promise<ExistingFile | undefined> {
  const outcome = 'No file was changed.';
  const handle = await openAt(at, outcome);
  if (!handle) return undefined;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notAFile(at, outcome);
    if (stats.nlink > 1) throw hardLinkRefused(at);
    if (limit && stats.size > limit.maxBytes) throw limit.tooLarge(stats.size);
    const bytes = await handle.readFile();
    // It grew since the size was read.
    if (limit && bytes.length > limit.maxBytes) throw limit.tooLarge(bytes.length);
    return { stats, bytes };
  } finally {
    await handle.close();
  }
}

/**
 * Sets mode and owner of an existing file through its own handle. A file with other hard links is refused:
 * changing it would change the other names too, which may lie outside the folder.
 */
export async function setModeAndOwnerAt(at: FileAt, mode: number, owner?: Owner): Promise<void> {
  const handle = await openAt(at, 'No file was changed.');
  if (!handle) return;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notAFile(at, '');
    if (stats.nlink > 1) throw hardLinkRefused(at);
    if ((stats.mode & 0o777) !== mode) await handle.chmod(mode);
    if (owner && (stats.uid !== owner.uid || stats.gid !== owner.gid)) await handle.chown(owner.uid, owner.gid);
  } catch (error) {
    throwFileError(error, { path: at.shown, action: 'write' });
  } finally {
    await handle.close();
  }
}

async function openAt(at: FileAt, outcome: string): Promise<FileHandle | undefined> {
  try {
    return await open(join(at.dir, at.name), READ_FLAGS);
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    // A link here: one the folder walk did not allow, or one that appeared after it looked.
    if (isErrnoError(error) && error.code === 'ELOOP') {
      const target = await readlink(join(at.dir, at.name)).catch(() => '(unreadable)');
      throw linkRefused(at.shown, target, 'setup does not follow at this place: it must be a real file');
    }
    throwFileError(error, { path: at.shown, action: 'read', outcome });
  }
}

function notAFile(at: FileAt, outcome: string): SetupError {
  return new SetupError({ code: 'WRITE_FAILED', message: `${at.shown} is not a regular file.${outcome ? ` ${outcome}` : ''}`, fix: `Move ${at.shown} aside, then run setup again.` });
}

export function hardLinkRefused(at: FileAt): SetupError {
  return new SetupError({
    code: 'LINK_REFUSED',
    message: `Refusing to use ${at.shown}: it has other hard links, which may be files outside the folder (reading it could copy them in, changing its permissions would change them too). No file was changed.`,
    fix: `Replace it with a copy of its own (cp '${at.shown}' '${at.shown}.copy' && mv '${at.shown}.copy' '${at.shown}'), then run setup again.`,
  });
}
