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
  const values = secretValues;
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

/**
 * Masks every secret in `text`. `numbers`: the same secret gets the same number (`•••••••• (secret 1)`) wherever
 * it appears in one file's two versions. A value under a secret's key is masked whole — on its line, in flow
 * style (`{N8N_SMTP_PASS: x}`, `["DB_PASSWORD=x"]`), and over the lines a quoted `.env` value or a YAML block
 * scalar continues on; every known secret value (and each line of a multi-line one) is masked wherever it stands.
 */
export function maskSecrets(text: string, values: readonly string[], carriesSecret: ReadonlySet<string> = new Set(), numbers = new Map<string, number>()): string {
  const masked = (secret: string) => {
    if (!numbers.has(secret)) numbers.set(secret, numbers.size + 1);
    return `${MASK} (secret ${numbers.get(secret)})`;
  };
  const known = knownSpellings(values);
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const assignment = ASSIGNMENT.exec(line);
    if (assignment && isSecretKey(assignment[2]!, carriesSecret)) {
      const value = assignment[4]!;
      const end = continuationEnd(lines, i, value, line.length - line.trimStart().length);
      const whole = lines.slice(i, end + 1).join('\n');
      const mark = masked(whole.slice(line.length - value.length));
      out.push(`${assignment[1]}${assignment[2]}${assignment[3]}${mark}`);
      for (let j = i + 1; j <= end; j++) out.push(`${lines[j]!.match(/^\s*/)![0]}${mark}`);
      i = end;
      continue;
    }
    let shown = line.replace(INLINE_ASSIGNMENT, (all, quote: string, key: string, separator: string, value: string) => (isSecretKey(key, carriesSecret) ? `${quote}${key}${quote}${separator}${masked(value)}` : all));
    for (const value of known) if (shown.includes(value)) shown = shown.split(value).join(masked(value));
    out.push(shown);
  }
  return out.join('\n');
}

/** `KEY: value` or `KEY=value` anywhere in a line (flow-style YAML, a list entry), its value up to the next delimiter. */
const INLINE_ASSIGNMENT = /(["']?)\b([A-Za-z_][A-Za-z0-9_]*)\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^,{}[\]\s"':][^,{}[\]\s"']*)/g;

/** The last line of a value that starts on line `i`: a quote left open, or a YAML block scalar (`|`, `>`). */
function continuationEnd(lines: readonly string[], i: number, value: string, indent: number): number {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && !closes(value.slice(1), quote)) {
    for (let j = i + 1; j < lines.length; j++) if (closes(lines[j]!, quote)) return j;
    return lines.length - 1;
  }
  if (/^[|>][-+0-9]*\s*(#.*)?$/.test(value)) {
    let j = i;
    while (j + 1 < lines.length && (lines[j + 1]!.trim() === '' || lines[j + 1]!.length - lines[j + 1]!.trimStart().length > indent)) j++;
    return j;
  }
  return i;
}

function closes(text: string, quote: string): boolean {
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '\\' && quote === '"') k++;
    else if (text[k] === quote) return true;
  }
  return false;
}

/** Each secret as it may stand in a file: whole, trimmed, and each line of a multi-line one; longest first, none too short to mean anything. */
function knownSpellings(values: readonly string[]): string[] {
  const whole = values.flatMap((value) => [value, value.trim()]).filter((value) => value.length >= 4);
  const lines = values.flatMap((value) => value.split(/\r?\n/).map((line) => line.trim())).filter((line) => line.length >= 8);
  return [...new Set([...whole, ...lines].filter((value) => !value.includes('\n')))].sort((a, b) => b.length - a.length);
}
