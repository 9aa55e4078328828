/**
 * Text the admin hands over as bytes — piped secrets, key files, profiles, `.env`, compose and template
 * files — decoded strictly: invalid UTF-8 (and, for secrets and profiles, a NUL) is refused with the
 * option or file it came from, never replaced by U+FFFD, so what is used is always what was given. Files
 * over 1 MiB are refused from their size before anything is read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { describeFileError, isErrnoError } from '../files/file-errors.js';
import { SetupError } from '../../shared/errors.js';

/** The largest `.env`, compose, template, profile or key file read; real ones are a few KB. */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

export interface TextSource {
  /** How the admin names it: "--password-stdin", "the profile /srv/n8n/prod.json". */
  name: string;
  /** The profile field or option it concerns (the error's `field`). */
  field: string;
  /** What a wrong decoding would silently change, e.g. "the password". */
  holds: string;
  /** Secrets and profiles never hold a NUL: it would cut the value short or end the SMTP login. */
  refuseNul?: boolean;
  /** Say where the first bad byte is (not for secrets: the position tells something about the value). */
  showLine?: boolean;
  /** The fix for bytes that are not UTF-8; the default is to convert the file. */
  fix?: string;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Piped bytes as text, exactly; a SetupError (exit 2) naming the source when that is impossible. */
export function decodeTextInput(bytes: Uint8Array, source: TextSource): string {
  return decodeStrictly(bytes, source, 'INPUT_NOT_UTF8');
}

function decodeStrictly(bytes: Uint8Array, source: TextSource, notUtf8Code: 'INPUT_NOT_UTF8' | 'FILE_NOT_UTF8'): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    const where = source.showLine ? ` (line ${firstBadLine(bytes)})` : '';
    throw new SetupError({
      code: notUtf8Code,
      field: source.field,
      message: `${source.name} is not valid UTF-8 text${where}; decoding it anyway would replace those bytes and silently change ${source.holds}. Nothing was used.`,
      fix: source.fix ?? 'Save it as UTF-8 (for example: iconv -f latin1 -t utf-8 FILE > FILE.utf8), then try again.',
    });
  }
  if (source.refuseNul && text.includes('\0')) {
    throw new SetupError({
      code: 'INPUT_HAS_NUL',
      field: source.field,
      message: `${source.name} contains a NUL character (byte 0), which ${source.holds} cannot hold: an environment variable ends at it and SMTP login uses it as a separator.`,
      fix: 'Give the value as plain text without NUL bytes (a binary file or a UTF-16 export is the usual cause).',
    });
  }
  return text;
}

/**
 * A text file, read strictly; undefined when it does not exist. The size is checked on the open file
 * before reading, and the read stops one byte past the limit, so a huge or growing file costs nothing.
 * Synchronous, so that pure code's callbacks (the env_file entries of a compose file) can use it too; a
 * file this size reads in about a millisecond.
 */
export function readTextFile(path: string, source: TextSource): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isErrnoError(error) && error.code === 'ENOENT') return undefined;
    throw isErrnoError(error) ? describeFileError(error, { path, action: 'read' }) : error;
  }
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_TEXT_FILE_BYTES) throw tooLarge(source, size);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, MAX_TEXT_FILE_BYTES + 1 - length));
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      // It grew since the size was read (or its size says nothing, like a pipe's).
      if (length > MAX_TEXT_FILE_BYTES) throw tooLarge(source);
    }
    return decodeStrictly(Buffer.concat(chunks, length), source, 'FILE_NOT_UTF8');
  } catch (error) {
    throw isErrnoError(error) && !(error instanceof SetupError) ? describeFileError(error, { path, action: 'read' }) : error;
  } finally {
    closeSync(fd);
  }
}

/** A file's bytes, read by the caller (e.g. without following links), decoded as readTextFile does. */
export function decodeTextFile(bytes: Uint8Array, source: TextSource): string {
  return decodeStrictly(bytes, source, 'FILE_NOT_UTF8');
}

/** `size` when known; otherwise the file is only known to be larger than the limit. */
export function textFileTooLarge(source: TextSource, size?: number): SetupError {
  return tooLarge(source, size);
}

function tooLarge(source: TextSource, size?: number): SetupError {
  const limit = formatBytes(MAX_TEXT_FILE_BYTES);
  return new SetupError({
    code: 'FILE_TOO_LARGE',
    field: source.field,
    message: `${source.name} is ${size === undefined ? 'larger than' : `${formatBytes(size)}, over`} the ${limit} limit for files this tool reads. It was not used.`,
    fix: 'Check that this is the file you meant: a .env, compose file, template, profile or key is a few KB.',
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB (${bytes} bytes)`;
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KiB` : `${bytes} bytes`;
}

/** A line break byte never occurs inside a UTF-8 sequence, so lines can be checked one by one. */
function firstBadLine(bytes: Uint8Array): number {
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(0x0a, start);
    const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
    try {
      strictUtf8.decode(slice);
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}
