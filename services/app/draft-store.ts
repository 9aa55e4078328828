/**
 * The wizard's unsaved state: `<data folder>/draft.json`. Kept by the services rather than in browser
 * storage, which `serve` would tie to one port (an SSH tunnel on another port would start over).
 */
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { DRAFT_MAX_BYTES, DraftSchema, type Draft } from '../../shared/ipc/draft-channels.js';
import { isErrnoError, throwFileError } from '../files/file-errors.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { readTextFile } from '../input/read-text-input.js';

export interface DraftStore {
  load(): Promise<{ draft: Draft; savedAt: string } | undefined>;
  save(draft: Draft, now?: Date): Promise<string>;
  clear(): Promise<boolean>;
}

export function createDraftStore(dataFolder: string): DraftStore {
  const file = join(dataFolder, 'draft.json');
  return {
    async load() {
      let text: string | undefined;
      try {
        text = readTextFile(file, { name: 'The saved draft', field: '(draft)', holds: 'the draft', refuseNul: true });
      } catch (error) {
        // Bytes that are not a draft's text (too large, not UTF-8, a NUL) are no draft either: start over.
        if (error instanceof SetupError && ['FILE_TOO_LARGE', 'FILE_NOT_UTF8', 'INPUT_HAS_NUL'].includes(error.code)) return undefined;
        throw error;
      }
      if (text === undefined) return undefined;
      // A draft that no longer fits (hand-edited, or from an older version) is no draft: start over.
      try {
        const saved = JSON.parse(text) as { savedAt?: unknown; draft?: unknown };
        const draft = DraftSchema.safeParse(saved.draft);
        return draft.success && typeof saved.savedAt === 'string' ? { draft: draft.data, savedAt: saved.savedAt } : undefined;
      } catch {
        return undefined;
      }
    },
    async save(draft, now = new Date()) {
      const savedAt = now.toISOString();
      const text = `${JSON.stringify({ savedAt, draft })}\n`;
      if (Buffer.byteLength(text) > DRAFT_MAX_BYTES) {
        throw new SetupError({ code: 'DRAFT_TOO_LARGE', field: 'draft', message: `The wizard state is larger than ${DRAFT_MAX_BYTES / 1024} KiB and was not kept.`, fix: 'Save the profile instead; templates belong in files, not in the form.' });
      }
      await mkdir(dataFolder, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, text, { mode: 0o600 });
      return savedAt;
    },
    async clear() {
      try {
        await unlink(file);
        return true;
      } catch (error) {
        if (isErrnoError(error) && error.code === 'ENOENT') return false;
        throwFileError(error, { path: file, action: 'write' });
      }
    },
  };
}
