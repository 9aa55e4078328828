/**
 * A unified diff of each file an export writes, for the review: what a file holds before and after, line by
 * line, with every secret masked — values of keys whose name says they hold one (or that a secret flows
 * through), and every known secret value wherever it stands. Secret files and this tool's own bundle are
 * named, not shown. Loaded only for the review (jsdiff stays off the CLI's cold path).
 */
import { createTwoFilesPatch } from 'diff';
import { isSecretKey, MASK } from './key-changes.js';
import type { FileKind } from './plan-export.js';

export interface FileDiff {
  path: string;
  status: 'new' | 'changed' | 'unchanged';
  /** Unified diff (no file header), secrets masked; absent for a file that is not shown line by line. */
  diff?: string;
  /** Why there is no diff, in words. */
  note?: string;
  added: number;
  removed: number;
}

export interface DiffedFile {
  path: string;
  kind: FileKind;
  before: string | undefined;
  after: string;
}

/** `KEY=value`, `export KEY=value`, `KEY: value`, `- KEY=value`: the key and where its value starts. */
const ASSIGNMENT = /^(\s*(?:-\s+)?(?:export\s+)?["']?)([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*[:=]\s*)(\S.*)$/;

export function fileDiffs(files: readonly DiffedFile[], secretValues: readonly string[], carriesSecret: ReadonlySet<string> = new Set()): FileDiff[] {
  // Longest first, so that a secret containing another is masked whole; very short values would mask ordinary text.
  const values = [...new Set(secretValues.filter((value) => value.trim().length >= 4))].sort((a, b) => b.length - a.length);
  return files.map((file) => {
    // Secrets are numbered per file, so that a changed one shows as a changed line without showing either value.
    const numbers = new Map<string, number>();
    const mask = (text: string) => maskSecrets(text, values, carriesSecret, numbers);
    const status = file.before === undefined ? 'new' : file.before === file.after ? 'unchanged' : 'changed';
    if (file.kind === 'secret') return { path: file.path, status, note: 'holds a secret: not shown', added: 0, removed: 0 };
    if (file.kind === 'tool') return { path: file.path, status, note: `this tool as one file (${Math.round(file.after.length / 1024)} KB): not shown line by line`, added: 0, removed: 0 };
    const patch = createTwoFilesPatch(file.path, file.path, mask(file.before ?? ''), mask(file.after), '', '', { context: 3 });
    // Only the hunks: the ===/---/+++ header names the file the review already names.
    const hunks = patch.slice(patch.indexOf('\n@@') + 1);
    const body = patch.includes('\n@@') ? hunks : '';
    const lines = body.split('\n');
    return {
      path: file.path,
      status,
      ...(body && { diff: body.replace(/\n$/, '') }),
      added: lines.filter((line) => line.startsWith('+')).length,
      removed: lines.filter((line) => line.startsWith('-')).length,
    };
  });
}

/** `numbers`: the same secret gets the same number (`•••••••• (secret 1)`) wherever it appears in one file's two versions. */
export function maskSecrets(text: string, values: readonly string[], carriesSecret: ReadonlySet<string> = new Set(), numbers = new Map<string, number>()): string {
  const masked = (secret: string) => {
    if (!numbers.has(secret)) numbers.set(secret, numbers.size + 1);
    return `${MASK} (secret ${numbers.get(secret)})`;
  };
  return text
    .split('\n')
    .map((line) => {
      const assignment = ASSIGNMENT.exec(line);
      if (assignment && isSecretKey(assignment[2]!, carriesSecret)) return `${assignment[1]}${assignment[2]}${assignment[3]}${masked(assignment[4]!)}`;
      let shown = line;
      for (const value of values) if (shown.includes(value)) shown = shown.split(value).join(masked(value));
      return shown;
    })
    .join('\n');
}
