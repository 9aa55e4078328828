import { dirname } from 'node:path';
import { SetupError } from '../../shared/errors.js';

/**
 * Turns a file-system errno into a SetupError an admin can act on. Codes are stable because the CLI and the
 * UI branch on them; messages name the file and say whether it was left as it was.
 */
export interface FileErrorContext {
  /** The file the tool was reading or writing. */
  path: string;
  action: 'read' | 'write';
  /** What the failure left behind, said plainly ("Nothing was changed."), when the caller knows. */
  outcome?: string;
}

export function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * Rethrows `error` as a SetupError. A SetupError passes through unchanged, and so does anything that is not
 * an errno error (a bug, or a fault injected by a test): there is no file-system cause to explain.
 */
export function throwFileError(error: unknown, context: FileErrorContext): never {
  if (error instanceof SetupError || !isErrnoError(error)) throw error;
  throw describeFileError(error, context);
}

export function describeFileError(error: NodeJS.ErrnoException, context: FileErrorContext): SetupError {
  const { path, action } = context;
  const prefix = action === 'write' ? 'WRITE' : 'READ';
  const folder = dirname(path);
  const outcome = context.outcome ? ` ${context.outcome}` : '';
  const options = { cause: error };

  switch (error.code) {
    case 'EROFS':
      return new SetupError(
        {
          code: `${prefix}_READ_ONLY`,
          message: `Cannot ${action} ${path}: ${folder} is on a read-only file system.${outcome}`,
          fix: `Remount that disk read-write, or choose a folder on a writable disk, then run setup again.`,
        },
        options,
      );
    case 'EACCES':
    case 'EPERM':
      return new SetupError(
        {
          code: `${prefix}_PERMISSION_DENIED`,
          message: `Cannot ${action} ${path}: permission denied.${outcome}`,
          fix: `Run setup as the user that owns ${folder}, or give your user access to it (for example \`sudo chown "$USER" ${folder}\`).`,
        },
        options,
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new SetupError(
        {
          code: `${prefix}_NO_SPACE`,
          message: `Cannot ${action} ${path}: the disk holding ${folder} is full or your disk quota is used up.${outcome}`,
          fix: 'Free some space on that disk (old logs and Docker images are common culprits: `docker system prune`), then run setup again.',
        },
        options,
      );
    case 'ENOENT':
      return new SetupError(
        {
          code: action === 'write' ? 'WRITE_FOLDER_MISSING' : 'READ_NOT_FOUND',
          message:
            action === 'write'
              ? `Cannot write ${path}: the folder ${folder} does not exist.${outcome}`
              : `Cannot read ${path}: it does not exist.`,
          fix: action === 'write' ? `Create ${folder} or choose the folder your n8n setup lives in.` : `Check the path and try again.`,
        },
        options,
      );
    case 'EISDIR':
      return new SetupError(
        {
          code: `${prefix}_FAILED`,
          message: `Cannot ${action} ${path}: it is a folder, not a file.${outcome}`,
          fix: `Move or rename the folder ${path}, then run setup again.`,
        },
        options,
      );
    default:
      return new SetupError(
        {
          code: `${prefix}_FAILED`,
          message: `Cannot ${action} ${path}: ${error.message}.${outcome}`,
          fix: `Check that ${folder} is on a healthy, writable disk you have access to, then run setup again.`,
        },
        options,
      );
  }
}
