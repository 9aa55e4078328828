/**
 * The last line of defence before a result leaves the service: every spelling of the password or key in
 * any string is replaced. The transcript already hides whole AUTH exchanges; this catches the secret
 * wherever else it might surface (a server echoing it, an error message, a JSON-escaped copy).
 */

const REDACTED = '[redacted]';

/**
 * The secret literally, JSON-escaped, URL-encoded (path and form conventions), and in base64/base64url at each
 * of the three byte offsets it can sit at inside a longer encoded string (AUTH PLAIN encodes
 * "\0user\0password" in one piece, so the password's base64 depends on the user name's length).
 * Multi-line secrets (PEM keys) are also matched line by line. However short: a one-character password
 * scrubs that character everywhere, which shreds innocent text but never shows the password.
 */
export function secretSpellings(secret: string | undefined): string[] {
  if (!secret) return [];
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters that depend on the secret's bytes alone, not on what comes before or after.
    const fragment = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
    forms.add(fragment);
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 16) forms.add(line.trim());
  return [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

/**
 * Every occurrence of every spelling is covered, overlapping ones included, and each covered run becomes
 * one marker: a short spelling can neither leave part of a longer one showing nor match inside a marker.
 */
export function scrubText(text: string, spellings: readonly string[]): string {
  const found: Array<[number, number]> = [];
  for (const spelling of spellings) {
    if (spelling === '') continue;
    for (let at = text.indexOf(spelling); at >= 0; at = text.indexOf(spelling, at + 1)) found.push([at, at + spelling.length]);
  }
  if (found.length === 0) return text;
  found.sort((a, b) => a[0] - b[0]);
  const runs: Array<[number, number]> = [];
  for (const [start, end] of found) {
    const last = runs.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else runs.push([start, end]);
  }
  let out = '';
  let cursor = 0;
  for (const [start, end] of runs) {
    out += text.slice(cursor, start) + REDACTED;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** A copy of a plain-data value (the test result) with every string scrubbed. */
export function scrubValue<T>(value: T, spellings: readonly string[]): T {
  if (spellings.length === 0) return value;
  return scrubAny(value, spellings) as T;
}

function scrubAny(value: unknown, spellings: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, spellings);
  if (Array.isArray(value)) return value.map((item) => scrubAny(item, spellings));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubAny(item, spellings)]));
  }
  return value;
}
