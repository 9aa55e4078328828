/**
 * Writes the keys the wizard manages into a user's existing `.env` and leaves every other byte alone:
 * comments, blank lines, order, other services' keys, their quoting, `export`, CRLF, a BOM, a missing final
 * line break. A managed key keeps its place (its last occurrence, the one Compose uses) and gets the new
 * value in place; new keys go into one marked block at the end.
 */
import { SetupError } from '../errors.js';
import { isValidEnvKey } from './encode-env-value.js';
import { parseEnvFile, type EnvEntry } from './parse-env-file.js';

interface EnvFileChange {
  /** `text` is the value as encodeEnvValue spelled it. */
  set: ReadonlyArray<{ key: string; text: string }>;
  remove: readonly string[];
  /** Names the block of appended keys: `# ${blockTitle}`. */
  blockTitle: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function mergeEnvFile(existing: string | undefined, change: EnvFileChange): string {
  checkChange(change);
  if (existing === undefined) return `# ${change.blockTitle}\n${assignmentLines(change.set, '\n')}`;

  const file = parseEnvFile(existing);
  const [firstError] = file.errors;
  if (firstError) {
    throw new SetupError({
      code: 'ENV_FILE_UNREADABLE',
      message: `Docker Compose cannot read the existing .env (line ${firstError.line}: ${firstError.message}), so it is left unchanged.`,
      fix: `Correct line ${firstError.line} of .env, or move the file aside, and export again.`,
    });
  }

  const edits: Edit[] = [];
  for (const { key, text } of change.set) {
    const occurrences = file.entries.filter((e) => e.key === key);
    const last = occurrences.pop();
    if (last) edits.push(...replaceValue(existing, last, text, file.eol));
    // An earlier duplicate would contradict the managed value for readers where the first one wins.
    edits.push(...occurrences.map((e) => removal(existing, e)));
  }
  for (const key of change.remove) edits.push(...file.entries.filter((e) => e.key === key).map((e) => removal(existing, e)));
  const edited = applyEdits(existing, edits);

  const present = new Set(file.entries.map((e) => e.key));
  const added = change.set.filter((s) => !present.has(s.key));
  return added.length === 0 ? edited : appendToBlock(edited, assignmentLines(added, file.eol), change.blockTitle, file.eol);
}

function checkChange(change: EnvFileChange): void {
  const problems: string[] = [];
  if (/[\r\n]/.test(change.blockTitle)) problems.push('the block title spans lines');
  const setKeys = new Set<string>();
  for (const { key, text } of change.set) {
    if (!isValidEnvKey(key)) problems.push(`${JSON.stringify(key)} is not a variable name`);
    if (setKeys.has(key)) problems.push(`${key} is set twice`);
    setKeys.add(key);
    if (!isOneValue(text)) problems.push(`the text for ${key} is not one complete .env value`);
  }
  for (const key of change.remove) if (setKeys.has(key)) problems.push(`${key} is both set and removed`);
  if (problems.length > 0) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', message: `Cannot merge into .env: ${problems.join('; ')}.`, fix: 'Encode values with encodeEnvValue and name each key once.' });
  }
}

/** The text must read back as the whole value of one assignment, or it would spill into the next line. */
function isOneValue(text: string): boolean {
  const { entries, errors } = parseEnvFile(`K=${text}\n`);
  return errors.length === 0 && entries.length === 1 && entries[0]?.valueEnd === 2 + text.length;
}

function assignmentLines(set: EnvFileChange['set'], eol: string): string {
  return set.map(({ key, text }) => `${key}=${text}${eol}`).join('');
}

function replaceValue(text: string, entry: EnvEntry, encoded: string, eol: string): Edit[] {
  const tail = text.slice(entry.valueEnd, lineEnd(text, entry.valueEnd));
  const gap = /^[\t ]*/.exec(tail)?.[0] ?? '';
  const rest = tail.slice(gap.length).replace(/\r$/, '');
  // `KEY= # note` reads as "# note" in Compose and python-dotenv: an empty value before more text is `''`.
  const value = encoded === '' && rest !== '' ? "''" : encoded;

  // `KEY: v` and a bare `KEY` become `KEY=v`: python-dotenv (docker-compose v1) reads only `=`.
  const from = entry.separator === ':' ? text.lastIndexOf(':', entry.valueStart - 1) : entry.valueStart;
  const edits: Edit[] = [{ start: from, end: entry.valueEnd, text: entry.separator === '=' ? value : `=${value}` }];

  // What followed a quoted value on its line may not follow bare text: `A="x"#c` would become `A=y#c`.
  const bare = !value.startsWith("'") && !value.startsWith('"');
  if (bare && rest !== '' && !/^[\t ]* #/.test(tail)) {
    const separator = rest.startsWith('#') ? ' ' : eol; // a comment gets a space, another statement its own line
    edits.push({ start: entry.valueEnd, end: entry.valueEnd + gap.length, text: separator });
  }
  return edits;
}

/** Deletes an entry's lines with their line break, or only the entry where it shares a line. */
function removal(text: string, entry: EnvEntry): Edit {
  const startsLine = entry.start === 0 || text[entry.start - 1] === '\n' || (entry.start === 1 && text.startsWith('\ufeff'));
  const end = lineEnd(text, entry.end);
  const endsLine = text.slice(entry.end, end).replace(/\r$/, '') === '';
  if (!startsLine || !endsLine) return { start: entry.start, end: entry.end, text: '' };
  if (end < text.length) return { start: entry.start, end: end + 1, text: '' };
  // The last line had no line break: take the one before it, so the file still ends without one.
  const previousBreak = text.lastIndexOf('\n', entry.start - 1);
  if (previousBreak < 0) return { start: entry.start, end: text.length, text: '' };
  return { start: text[previousBreak - 1] === '\r' ? previousBreak - 1 : previousBreak, end: text.length, text: '' };
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = '';
  let cursor = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    // Two removals may both claim the line break between them.
    const start = Math.max(edit.start, cursor);
    out += text.slice(cursor, start) + edit.text;
    cursor = Math.max(cursor, edit.end);
  }
  return out + text.slice(cursor);
}

/** Adds lines after the block an earlier export marked with `# blockTitle`, or starts that block at the end. */
function appendToBlock(text: string, lines: string, blockTitle: string, eol: string): string {
  const at = endOfMarkedBlock(text, `# ${blockTitle}`);
  const bodyStart = text.startsWith('\ufeff') ? 1 : 0;
  if (at !== undefined) {
    const needsBreak = at === text.length && text.length > bodyStart && !text.endsWith('\n');
    return text.slice(0, at) + (needsBreak ? eol : '') + lines + text.slice(at);
  }
  let out = text;
  if (out.length > bodyStart && !out.endsWith('\n')) out += eol;
  if (out.length > bodyStart && !/(^|\n)[\t ]*\r?\n$/.test(out.slice(bodyStart))) out += eol;
  return `${out}# ${blockTitle}${eol}${lines}`;
}

/** Offset after the marker line and the assignments directly below it; undefined without a marker. */
function endOfMarkedBlock(text: string, marker: string): number | undefined {
  let markerEnd: number | undefined;
  for (let lineStart = 0; lineStart < text.length; ) {
    const end = lineEnd(text, lineStart);
    const line = text.slice(lineStart, end).replace(/\r$/, '').replace(/^\ufeff/, '');
    const next = end < text.length ? end + 1 : end;
    if (line === marker) markerEnd = next;
    lineStart = next;
  }
  if (markerEnd === undefined) return undefined;

  const entries = parseEnvFile(text).entries;
  let blockEnd = markerEnd;
  for (;;) {
    const entry = entries.find((e) => e.start === blockEnd);
    if (!entry) return blockEnd;
    const end = lineEnd(text, entry.end);
    blockEnd = end < text.length ? end + 1 : end;
  }
}

/** Offset of the LF ending the line that contains `offset`, or the end of the text. */
function lineEnd(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  return lf < 0 ? text.length : lf;
}
