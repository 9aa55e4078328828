/**
 * The assertion every SMTP test result, JSON output and log goes through: the secret appears in none of
 * the spellings a leak would take. Written independently of the service's scrubber, so one cannot hide a
 * bug in the other.
 */
import { expect } from 'vitest';

export function leakedSpellings(secret: string, user = ''): Array<[string, string]> {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const spellings: Array<[string, string]> = [
    ['literal', secret],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ x: secret }).toString().slice(2)],
    ['base64', b64(secret).replace(/=+$/, '')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['AUTH PLAIN', b64(`\0${user}\0${secret}`).replace(/=+$/, '')],
    ['AUTH LOGIN password', b64(secret)],
  ];
  // Inside any longer base64 text, the secret's middle is encoded the same way at one of three offsets.
  for (const prefix of ['', 'x', 'xx']) {
    const encoded = b64(prefix + secret);
    spellings.push([`base64 at offset ${prefix.length}`, encoded.slice(4, Math.max(4, encoded.length - 4))]);
  }
  return spellings.filter(([, text]) => text.length >= 4);
}

export function expectNoSecret(value: unknown, secret: string, user?: string): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  for (const [form, spelling] of leakedSpellings(secret, user)) {
    expect(text.includes(spelling), `the secret leaked (${form})`).toBe(false);
  }
}
