/**
 * Spells a value for `KEY=<text>` in `.env` so that Docker Compose v2, npm dotenv and python-dotenv (and with
 * it docker-compose v1) all read back exactly the value given, or says why no spelling exists. The forms
 * below are tried in order and the first that fits wins; each excludes what one of those readers was measured
 * to read differently (the project's env-format reference, "A writer rule …").
 */
import { isAnyReaderSpace } from './env-whitespace.js';

export type EncodedEnvValue = { ok: true; text: string } | { ok: false; reason: string };

export function isValidEnvKey(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

export function encodeEnvValue(value: string): EncodedEnvValue {
  const unwritable = unwritableReason(value);
  if (unwritable) return { ok: false, reason: unwritable };
  if (value === '') return { ok: true, text: '' };
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return { ok: true, text: value };

  const single = singleQuoteObstacles(value);
  if (single.length === 0) return { ok: true, text: `'${value}'` };
  const double = doubleQuoteObstacles(value);
  if (double.length === 0) return { ok: true, text: `"${value.replaceAll('\r', '\\r')}"` };
  const bare = unquotedObstacles(value);
  if (bare.length === 0) return { ok: true, text: value };

  // `${FOO}` and the `${` inside it are one culprit, not two.
  const named = [...new Set([...single, ...double])];
  const culprits = named.filter((c) => !named.some((other) => other !== c && other.startsWith(c)));
  return {
    ok: false,
    reason:
      `contains ${culprits.length === 2 ? `both ${culprits.join(' and ')}` : culprits.join(', ')}: ` +
      `single quotes cannot hold ${single.join(', ')}; double quotes cannot hold ${double.join(', ')}; ` +
      `without quotes ${bare.join(', ')} would change`,
  };
}

/** Values that no file can carry at all, whatever the quoting. */
function unwritableReason(value: string): string | undefined {
  if (value.includes('\0')) return 'contains a NUL character, which no environment variable can hold';
  if (/\p{Surrogate}/u.test(value)) return 'contains a lone UTF-16 surrogate, which is not text and cannot be written as UTF-8';
  return undefined;
}

/** `'v'`: python-dotenv unescapes `\\` and `\'`, expands `${…}` even here, and npm dotenv turns CR LF into LF. */
function singleQuoteObstacles(value: string): string[] {
  const found: string[] = [];
  if (value.includes("'")) found.push("'");
  if (value.includes('\r')) found.push('a carriage return (CR)');
  if (value.includes('\\\\')) found.push('\\\\');
  if (value.endsWith('\\')) found.push('a trailing \\');
  const braced = /\$\{[^}]*\}/.exec(value);
  if (braced) found.push(braced[0]);
  return found;
}

/** `"v"`: Compose expands `$name`, `${`, `$$` here; the readers disagree on backslash escapes. */
function doubleQuoteObstacles(value: string): string[] {
  const found: string[] = [];
  if (value.includes('"')) found.push('"');
  found.push(...expandingDollars(value));
  const escape = /\\[abcfnrtv$"\\0'\r]/.exec(value);
  if (escape) found.push(escape[0].replace('\r', 'CR'));
  if (value.endsWith('\\')) found.push('a trailing \\');
  return [...new Set(found)];
}

/** Bare text: comments, line breaks, leading quotes and surrounding white space are read differently. */
function unquotedObstacles(value: string): string[] {
  const found: string[] = [];
  if (value.includes('#')) found.push('#');
  if (/[\r\n]/.test(value)) found.push('a line break');
  if (/^['"`]/.test(value)) found.push(`the leading ${value[0]}`);
  if (isAnyReaderSpace(value[0] ?? '') || isAnyReaderSpace(value.at(-1) ?? '')) found.push('leading or trailing white space');
  found.push(...expandingDollars(value));
  return [...new Set(found)];
}

/**
 * `$` followed by `$`, `{`, `_` or a letter is substituted by Compose v2 in double quotes and bare text. Any
 * Unicode letter counts: Compose matches names case-insensitively, so `$ſ` and `$K` (Kelvin) are names too.
 */
function expandingDollars(value: string): string[] {
  return [...value.matchAll(/\$[${_\p{L}]/gu)].map((match) => match[0]);
}
