import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectNoSecret } from '../../test/smtp/secret-leaks.js';
import { scrubText, scrubValue, secretSpellings } from './redact-secrets.js';

const secrets = fc.string({ minLength: 4, maxLength: 40, unit: 'grapheme' }).filter((s) => s.trim().length >= 4);
const users = fc.string({ maxLength: 30, unit: 'grapheme' });

describe('secretSpellings + scrubText', () => {
  it('removes the secret in every spelling a leak takes, wherever it sits', () => {
    fc.assert(
      fc.property(secrets, users, fc.string({ maxLength: 20 }), (secret, user, around) => {
        const b64 = (t: string) => Buffer.from(t).toString('base64');
        const text = [
          `literal ${around}${secret}${around}`,
          `json ${JSON.stringify({ password: secret })}`,
          `url ${encodeURIComponent(secret)} form ${new URLSearchParams({ p: secret }).toString()}`,
          `plain AUTH PLAIN ${b64(`\0${user}\0${secret}`)}`,
          `login ${b64(secret)} url-safe ${Buffer.from(around + secret).toString('base64url')}`,
          `inside ${b64(around + secret + around)}`,
        ].join('\n');
        expectNoSecret(scrubText(text, secretSpellings(secret)), secret, user);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves text without the secret alone', () => {
    const spellings = secretSpellings('correct horse battery staple');
    expect(scrubText('250 2.0.0 Ok: queued as 4XyZ', spellings)).toBe('250 2.0.0 Ok: queued as 4XyZ');
  });

  it('matches a PEM key line by line too', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    expect(scrubText('error near MIIEvQIBADANBgkqhkiG9w0BAQEFAASC', secretSpellings(key))).toBe('error near [redacted]');
  });

  it('scrubs a secret of any length, even one character, and never scrubs inside its own marker', () => {
    expect(secretSpellings('abc')).toEqual(expect.arrayContaining(['abc', 'YWJj']));
    expect(scrubText('535 bad password x', secretSpellings('x'))).toBe('535 bad password [redacted]');
    expect(scrubText('rejected: abc (YWJj)', secretSpellings('abc'))).toBe('rejected: [redacted] ([redacted])');
    // Overlapping spellings: the shorter one first in the text must not leave the rest of the longer one.
    expect(scrubText('xxabcdefyy', ['bcdef', 'ab'])).toBe('xx[redacted]yy');
    expect(secretSpellings('')).toEqual([]);
    expect(secretSpellings(undefined)).toEqual([]);
  });
});

describe('scrubValue', () => {
  it('scrubs every string of a nested result and keeps the rest', () => {
    const value = { ok: false, ms: 12, transcript: [{ ms: 1, dir: 'S', text: 'echo hunter2hunter2' }], serverReply: 'x hunter2hunter2' };
    expect(scrubValue(value, secretSpellings('hunter2hunter2'))).toEqual({ ok: false, ms: 12, transcript: [{ ms: 1, dir: 'S', text: 'echo [redacted]' }], serverReply: 'x [redacted]' });
  });
});
