import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { describeFileError, isErrnoError } from './file-errors.js';

/** Room kept free beyond the files and their backups, for folder entries and whatever else is writing. */
export const SPACE_MARGIN_BYTES = 256 * 1024;

const NOTHING_CHANGED = 'No file was changed.';

export interface PlannedWrite {
  /** Absolute path of the file to write. */
  file: string;
  /** Bytes it will hold. */
  size: number;
}

/**
 * Fails before the first file is touched when a write could not finish: the folder is missing, read-only or
 * not ours, or the disk lacks room for the new files plus their backups (counted as twice their size).
 * Folders that do not exist yet are judged by the nearest one that does, which is where they will be made.
 */
export async function checkCanWrite(root: string, writes: readonly PlannedWrite[]): Promise<void> {
  await checkIsFolder(root);
  if (writes.length === 0) return;

  const needByDevice = new Map<number, { folder: string; file: string; need: number }>();
  for (const write of writes) {
    const folder = await nearestExistingFolder(dirname(write.file), root);
    try {
      await access(folder, constants.W_OK);
    } catch (error) {
      if (!isErrnoError(error)) throw error;
      throw describeFileError(error, { path: write.file, action: 'write', outcome: NOTHING_CHANGED });
    }
    const { dev } = await stat(folder);
    const entry = needByDevice.get(dev) ?? { folder, file: write.file, need: SPACE_MARGIN_BYTES };
    entry.need += write.size * 2;
    needByDevice.set(dev, entry);
  }

  for (const { folder, file, need } of needByDevice.values()) {
    const free = await freeBytes(folder);
    if (free !== undefined && free < need) {
      throw new SetupError({
        code: 'WRITE_NO_SPACE',
        message: `Cannot write ${file}: the disk holding ${folder} has ${formatBytes(free)} free and setup needs about ${formatBytes(need)} (the new files, their backups and a margin). ${NOTHING_CHANGED}`,
        fix: 'Free some space on that disk (old logs and Docker images are common culprits: `docker system prune`), then run setup again.',
      });
    }
  }
}

async function checkIsFolder(root: string): Promise<void> {
  try {
    if ((await stat(root)).isDirectory()) return;
  } catch (error) {
    if (!isErrnoError(error)) throw error;
    if (error.code !== 'ENOENT') throw describeFileError(error, { path: root, action: 'read', outcome: NOTHING_CHANGED });
    throw new SetupError(
      {
        code: 'WRITE_FOLDER_MISSING',
        message: `The folder ${root} does not exist. ${NOTHING_CHANGED}`,
        fix: `Create ${root} or choose the folder your n8n setup lives in.`,
      },
      { cause: error },
    );
  }
  throw new SetupError({
    code: 'WRITE_FAILED',
    message: `${root} is a file, not a folder. ${NOTHING_CHANGED}`,
    fix: 'Choose the folder your n8n setup lives in.',
  });
}

async function nearestExistingFolder(folder: string, root: string): Promise<string> {
  let current = folder;
  while (current !== root && current !== dirname(current)) {
    try {
      if ((await stat(current)).isDirectory()) return current;
    } catch (error) {
      if (!isErrnoError(error) || error.code !== 'ENOENT') throw error;
    }
    current = dirname(current);
  }
  return current;
}

/** Free bytes for an unprivileged user, or undefined where the platform cannot tell (then writes just try). */
async function freeBytes(folder: string): Promise<number | undefined> {
  try {
    const { bavail, bsize } = await statfs(folder);
    return bavail * bsize;
  } catch (error) {
    if (isErrnoError(error) && (error.code === 'ENOSYS' || error.code === 'ENOTSUP')) return undefined;
    throw error;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
