/**
 * White space as each `.env` reader sees it. The readers disagree (Go counts NEL as space, JavaScript
 * counts the BOM character, Python counts the ASCII separators U+001C–U+001F), and a value that starts or
 * ends with any of them comes back shorter from one of the readers.
 */

/** Go's `unicode.IsSpace`: what Compose v2 trims around values and skips between statements. */
export function isGoSpace(char: string): boolean {
  return /^[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(char);
}

/** compose-go's own `isSpace`: Go's set without line breaks and without the non-Latin-1 spaces. */
export function isComposeBlank(char: string): boolean {
  return /^[\t\v\f\r \x85\xa0]$/.test(char);
}

/** Anything at least one reader trims: Go, JavaScript `trim()` and Python `str.strip()` together. */
export function isAnyReaderSpace(char: string): boolean {
  const code = char.codePointAt(0) ?? -1;
  // U+001C–U+001F are Python's; a regular expression may not spell control characters (lint).
  return (code >= 0x1c && code <= 0x1f) || /^[\t\n\v\f\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]$/.test(char);
}
