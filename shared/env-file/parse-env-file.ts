/**
 * Reads an existing `.env` the way Docker Compose v2 does (compose-go `dotenv`, through `env_file:` and the
 * project `.env`), since that is what n8n will receive, and remembers where every assignment sits so that
 * a merge can replace exactly those characters. Checked against Compose v2's own results in
 * compose-v2-dotenv-golden.json.
 */
import { interpolateLikeCompose, InterpolationError, type VariableLookup } from './compose-interpolation.js';
import { describeEnvFileProblem, type EnvFileProblemKind } from './env-file-problems.js';
import { isComposeBlank, isGoSpace } from './env-whitespace.js';
import { goQuote } from './go-quote.js';

export type { VariableLookup } from './compose-interpolation.js';

export interface EnvEntry {
  key: string;
  /** The value Compose v2 delivers for this assignment. */
  value: string;
  /** Written as `export KEY=…`. */
  exported: boolean;
  /** Offset where the assignment starts: its line's start, or the statement itself if another one precedes it there. */
  start: number;
  /** Offset just after the assignment: its line's end (before CR LF / LF), or the closing quote if more follows. */
  end: number;
  /** 1-based line of the key. */
  line: number;
  /** The value depends on other variables (`$VAR`, `${VAR}` or a bare `KEY` line): it cannot be known from the file alone. */
  interpolated: boolean;
  /** `=` or YAML-style `:`; `null` for a bare `KEY` line, which takes its value from the environment. */
  separator: '=' | ':' | null;
  /** Offsets of the value as written (quotes included, trailing comment excluded); empty for a bare `KEY` line. */
  valueStart: number;
  valueEnd: number;
  /** A bare `KEY` line the environment does not define: Compose then leaves KEY as it was. */
  unset: boolean;
}

/** A line Compose refuses, as it may be shown: the line, the key when known, and what is wrong. */
export interface EnvFileProblem {
  line: number;
  /** The variable whose value Compose refuses, when its name is known and starts its own line. */
  key?: string;
  kind: EnvFileProblemKind;
  /** For people: names the key and the kind of problem, never text from the value (it may be a password). */
  message: string;
}

export interface EnvFileError extends EnvFileProblem {
  /**
   * Compose v2's wording without its line prefix (its line numbers run ahead inside quoted values). It quotes
   * the offending text, passwords included: for comparing with Compose, never for showing. Pass errors on
   * with `shownEnvFileError`.
   */
  composeMessage: string;
}

export interface EnvFile {
  bom: boolean;
  eol: '\n' | '\r\n';
  entries: EnvEntry[];
  /**
   * Compose v2 refuses the whole file at the first error; entries after it are read on a best-effort basis
   * (from the next line on) so that callers still see what the file was meant to hold.
   */
  errors: EnvFileError[];
}

/** Where parsing failed, with Compose v2's message and the offset to resume from. */
class StatementError extends Error {
  constructor(
    readonly kind: EnvFileProblemKind,
    readonly composeMessage: string,
    readonly at: number,
    readonly key?: string,
  ) {
    super(describeEnvFileProblem(kind, key));
  }
}

const unsetLookup: VariableLookup = () => undefined;

export function parseEnvFile(text: string, lookup: VariableLookup = unsetLookup): EnvFile {
  const bom = text.startsWith('\ufeff');
  const firstLf = text.indexOf('\n');
  const eol = firstLf > 0 && text[firstLf - 1] === '\r' ? '\r\n' : '\n';
  const lineOf = lineLocator(text);
  const reader = new StatementReader(text, lookup, lineOf);
  const entries: EnvEntry[] = [];
  const errors: EnvFileError[] = [];

  let pos = statementStart(text, bom ? 1 : 0);
  while (pos >= 0) {
    try {
      const { entry, next } = reader.read(pos);
      entries.push(entry);
      pos = statementStart(text, next);
    } catch (error) {
      if (!(error instanceof StatementError)) throw error;
      const { kind, key, message, composeMessage } = error;
      errors.push({ line: lineOf(error.at), ...(key !== undefined && { key }), kind, message, composeMessage });
      const lineEnd = text.indexOf('\n', error.at);
      pos = lineEnd < 0 ? -1 : statementStart(text, lineEnd + 1);
    }
  }
  return { bom, eol, entries, errors };
}

/** An error without Compose's wording (which quotes the value): what import reports and the page shows. */
export function shownEnvFileError(error: EnvFileError): EnvFileProblem {
  return { line: error.line, ...(error.key !== undefined && { key: error.key }), kind: error.kind, message: error.message };
}

/** The values Compose v2 ends up with: the last assignment of a key wins. */
export function lastValues(file: EnvFile): Map<string, string> {
  const values = new Map<string, string>();
  for (const entry of file.entries) if (!entry.unset) values.set(entry.key, entry.value);
  return values;
}

class StatementReader {
  /** What earlier assignments set, for `$VAR` in later values (the environment takes precedence). */
  private readonly assigned = new Map<string, string>();

  constructor(
    private readonly text: string,
    private readonly lookup: VariableLookup,
    private readonly lineOf: (offset: number) => number,
  ) {}

  read(pos: number): { entry: EnvEntry; next: number } {
    const { text } = this;
    const exportMatch = /^export[\t\n\f\r ]+/.exec(text.slice(pos, pos + 64));
    const keyStart = exportMatch ? skip(text, pos + 'export'.length, isComposeBlank) : pos;
    const { keyEnd, terminator } = this.scanKey(keyStart);
    const key = terminator === undefined ? '' : trimEndWith(text.slice(keyStart, keyEnd), isGoSpace);
    if (key.includes(' ')) throw new StatementError('invalid-name', 'key cannot contain a space', keyStart);

    const base = {
      key,
      exported: exportMatch !== null,
      start: statementLineStart(text, pos),
      line: this.lineOf(keyStart),
    };
    if (terminator === '\n') {
      const inherited = this.lookup(key);
      if (inherited !== undefined) this.assigned.set(key, inherited);
      const end = keyStart + key.length;
      const entry: EnvEntry = { ...base, value: inherited ?? '', end, interpolated: true, separator: null, valueStart: end, valueEnd: end, unset: inherited === undefined };
      return { entry, next: skip(text, keyEnd + 1, isComposeBlank) };
    }

    // Without `=`, `:` or a line break before the end of the file, compose-go reads the text as the value of "".
    const valueStart = terminator === undefined ? skip(text, keyStart, isComposeBlank) : skip(text, keyEnd + 1, isComposeBlank);
    // A key further along a line may be the tail of a value whose quote closed early: not named in errors.
    const shownKey = key !== '' && startsItsLine(text, pos) ? key : undefined;
    const read = this.readValue(valueStart, shownKey);
    this.assigned.set(key, read.value);
    const entry: EnvEntry = {
      ...base,
      value: read.value,
      end: read.end,
      interpolated: read.interpolated,
      separator: terminator === ':' ? ':' : '=',
      valueStart,
      valueEnd: read.valueEnd,
      unset: false,
    };
    return { entry, next: read.next };
  }

  /** Finds the `=`, `:` or line break ending the key; compose-go skips blanks in keys and allows letters, digits, `_.-[]`. */
  private scanKey(from: number): { keyEnd: number; terminator?: '=' | ':' | '\n' } {
    const { text } = this;
    for (let i = from; i < text.length; ) {
      const char = String.fromCodePoint(text.codePointAt(i) ?? 0);
      if (char === '=' || char === ':' || char === '\n') return { keyEnd: i, terminator: char };
      if (!isComposeBlank(char) && !/^[_.\-[\]\p{L}\p{N}]$/u.test(char)) {
        const lineEnd = text.indexOf('\n', from);
        const name = text.slice(from, lineEnd < 0 ? text.length : lineEnd);
        throw new StatementError('invalid-name', `unexpected character ${goQuote(char)} in variable name ${goQuote(name)}`, i);
      }
      i += char.length;
    }
    return { keyEnd: text.length };
  }

  private readValue(at: number, key: string | undefined): { value: string; interpolated: boolean; valueEnd: number; end: number; next: number } {
    const { text } = this;
    const quote = text[at];
    if (quote !== '"' && quote !== "'") {
      const lf = text.indexOf('\n', at);
      const lineEnd = lf < 0 ? text.length : lf;
      const commentAt = text.slice(at, lineEnd).indexOf(' #');
      const raw = trimEndWith(text.slice(at, commentAt < 0 ? lineEnd : at + commentAt), isGoSpace);
      return { ...this.interpolate(raw, at, key), valueEnd: at + raw.length, end: withoutCr(text, lineEnd), next: lf < 0 ? text.length : lf + 1 };
    }

    let raw = '';
    let escaped = false;
    for (let i = at + 1; i < text.length; i++) {
      const char = text[i] as string;
      if (escaped) {
        // An escaped quote loses its backslash; any other escaped character keeps it (for the escapes below).
        raw += char === quote ? char : `\\${char}`;
        escaped = false;
      } else if (char === '\\') {
        escaped = true;
      } else if (char === quote) {
        const valueEnd = i + 1;
        const read = quote === '"' ? this.interpolate(expandEscapes(raw), at, key) : { value: raw, interpolated: false };
        return { ...read, valueEnd, end: quotedStatementEnd(text, valueEnd), next: valueEnd };
      } else {
        raw += char;
      }
    }
    const lf = text.indexOf('\n', at);
    throw new StatementError('unterminated-quote', `unterminated quoted value ${text.slice(at, lf < 0 ? text.length : lf)}`, at, key);
  }

  private interpolate(raw: string, at: number, key: string | undefined): { value: string; interpolated: boolean } {
    let interpolated = false;
    const lookup = (name: string) => this.lookup(name) ?? this.assigned.get(name);
    try {
      const value = interpolateLikeCompose(raw, lookup, () => (interpolated = true));
      return { value, interpolated };
    } catch (error) {
      if (error instanceof InterpolationError) throw new StatementError(error.kind, error.composeMessage, at, key);
      throw error;
    }
  }
}

const ESCAPE_SEQUENCE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

/** compose-go's escapes in double quotes: Go's single-character escapes, `\0ooo` octal, and `\$` as `$$`. */
function expandEscapes(raw: string): string {
  return raw.replace(ESCAPE_SEQUENCE, (match) => {
    if (match === '\\$') return '$$';
    const letter = match[1] as string;
    if (letter !== '0') return SIMPLE_ESCAPES[letter] ?? match; // `\c` is matched but means nothing to Go
    // Go's UnquoteChar wants exactly three octal digits after the `\` once the `0` is dropped.
    const digits = match.slice(2);
    if (!/^[0-7]{3}$/.test(digits)) return match;
    const code = parseInt(digits, 8);
    return code > 255 ? match : String.fromCharCode(code);
  });
}

/** Skips white space, line breaks and `#` comment lines, as compose-go does between statements; -1 at the end. */
function statementStart(text: string, from: number): number {
  let pos = from;
  for (;;) {
    pos = skip(text, pos, isGoSpace);
    if (pos >= text.length) return -1;
    if (text[pos] !== '#') return pos;
    const lf = text.indexOf('\n', pos);
    if (lf < 0) return -1;
    pos = lf;
  }
}

/** After a closing quote the statement runs to the end of the line if only blanks or a comment follow. */
function quotedStatementEnd(text: string, afterQuote: number): number {
  const lf = text.indexOf('\n', afterQuote);
  const lineEnd = lf < 0 ? text.length : lf;
  const tail = text.slice(afterQuote, lineEnd);
  let i = 0;
  while (i < tail.length && isGoSpace(tail[i] as string)) i++;
  return i === tail.length || tail[i] === '#' ? withoutCr(text, lineEnd) : afterQuote;
}

function statementLineStart(text: string, pos: number): number {
  return startsItsLine(text, pos) ? lineStartOf(text, pos) : pos;
}

/** Only blanks precede `pos` on its line. */
function startsItsLine(text: string, pos: number): boolean {
  return [...text.slice(lineStartOf(text, pos), pos)].every(isGoSpace);
}

function lineStartOf(text: string, pos: number): number {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  return lineStart === 0 && text.startsWith('\ufeff') ? 1 : lineStart; // the BOM belongs to the file, not the line
}

function withoutCr(text: string, lineEnd: number): number {
  return lineEnd > 0 && text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}

function skip(text: string, from: number, predicate: (char: string) => boolean): number {
  let i = from;
  while (i < text.length && predicate(text[i] as string)) i++;
  return i;
}

function trimEndWith(text: string, predicate: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0 && predicate(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/** 1-based line numbers by offset, from one pass over the text. */
function lineLocator(text: string): (offset: number) => number {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
