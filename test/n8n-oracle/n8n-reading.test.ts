/**
 * shared/n8n/n8n-reading.ts predicts what n8n makes of a value; export refuses what n8n would change. Both
 * are checked here against n8n's own config loader (@n8n/config), for every variable of the table, over the
 * project's hostile values, quote and white-space cases and generated strings (quotes, every kind of white
 * space and line break, Unicode separators, letters).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { n8nChangeReason, readLikeN8n } from '../../shared/n8n/n8n-reading.js';
import { N8N_VARIABLES, type VariableName } from '../../shared/n8n/n8n-variables.js';
import { parseProfile } from '../../shared/profile/parse-profile.js';
import hostile from '../fixtures/hostile-values.json';
import { readValuesLikeN8n, type N8nSetting } from './load-like-n8n.js';

const NAMES = Object.keys(N8N_VARIABLES) as VariableName[];
const STRING_NAMES = NAMES.filter((name) => ['string', 'path'].includes(N8N_VARIABLES[name].type));

/** The cases the issue names, and the edges of n8n's rule (a line break anywhere inside keeps the quotes). */
const QUOTES_AND_SPACE = [
  "'user'", '"user"', "'n8n@example.com'", '"a\nb"', "'a\rb'", "'\u2028'", "'\u2029'", '"a\u2028b"', '"\n"', "'\r\n'",
  "''", '""', "'", '"', '"\'', "'x\"", "'x'y'", '"x" ', " 'x'", "\t'x'\n", "''x''", '"\'x\'"', "'\"x\"'", '"x"y"',
  ' x', 'x ', '\u00a0x', 'x\u3000', '\ufeffx', 'x\u2028', '\u0085x', 'x\u180e', '\u200bx', 'a b', '\v', '\f',
];
const TYPED = ['true', 'TRUE', 'True', '1', '0', 'false', ' true', 'true\n', '"true"', 'yes', '587', ' 587 ', '"587"', "'587'", '0x1f', '1e3', 'Infinity', '-1', '5.5', 'abc', ' ', '" "', 'smtp', ' smtp', "'smtp'", 'SMTP', 'https', 'HTTPS', '"https"', 'http\n'];

/** Generated strings from what matters to the loader: quotes, white space of every kind, line breaks, letters. */
const ALPHABET = ["'", '"', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u0085', '\u1680', '\u2000', '\u2028', '\u2029', '\u202f', '\u3000', '\ufeff', '\u200b', 'a', 'Z', '1', '@', '\\', '$', 'é', '😀'];
const generated = fc.sample(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 7 }), { numRuns: 400, seed: 20261211 });

// An environment cannot hold a NUL (execve ends the value there) or a lone surrogate (not UTF-8).
const carried = (value: string) => !value.includes('\0') && !/\p{Surrogate}/u.test(value);
const VALUES = [...new Set([...hostile.map((entry) => entry.value), ...QUOTES_AND_SPACE, ...TYPED, ...generated])].filter(carried);

const fileDir = mkdtempSync(join(tmpdir(), 'n8n-reading-'));
afterAll(() => rmSync(fileDir, { recursive: true, force: true }));

/** Every variable set to the same value; `_FILE` for the variables the loader reads, pointing at a file with it. */
function environments(values: readonly string[]): Array<Record<string, string>> {
  const asValues = values.map((value) => Object.fromEntries(NAMES.map((name) => [name, value])));
  const asFiles = values.map((value, i) => {
    const file = join(fileDir, `value-${i}`);
    writeFileSync(file, value);
    return Object.fromEntries(NAMES.filter((name) => N8N_VARIABLES[name].file).map((name) => [`${name}_FILE`, file]));
  });
  return [{}, ...asValues, ...asFiles];
}

const [unset, ...rest] = readValuesLikeN8n(environments(VALUES));
const byValue = rest.slice(0, VALUES.length);
const byFile = rest.slice(VALUES.length);

const show = (value: unknown) => JSON.stringify(value)?.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** What we predict n8n ends up with: the value read, else what n8n has when the variable is absent. */
function predicted(name: VariableName, raw: string): N8nSetting['value'] {
  const outcome = readLikeN8n(name, raw);
  if (outcome.kind !== 'value') return unset?.[name]?.value ?? null;
  return typeof outcome.value === 'number' && !Number.isFinite(outcome.value) ? { number: String(outcome.value) } : outcome.value;
}

function setting(results: Array<Record<string, N8nSetting>>, i: number, name: VariableName): N8nSetting {
  const found = results[i]?.[name];
  if (!found) throw new Error(`the loader reported nothing for ${name} in case ${i}`);
  return found;
}

describe("readLikeN8n against n8n's own config loader", () => {
  it(`runs ${VALUES.length} values, each through every variable, as a value and as a _FILE`, () => {
    expect(VALUES.length).toBeGreaterThan(500);
    expect(Object.keys(unset ?? {}).sort()).toEqual([...NAMES].sort());
  });

  it("has the loader's defaults in the table", () => {
    const differ = NAMES.filter((name) => N8N_VARIABLES[name].file && N8N_VARIABLES[name].default !== null && unset?.[name]?.value !== N8N_VARIABLES[name].default);
    expect(differ).toEqual([]);
  });

  it('predicts the value n8n ends up with, for every variable and value', () => {
    const wrong = NAMES.flatMap((name) =>
      VALUES.flatMap((raw, i) => {
        const theirs = setting(byValue, i, name).value;
        return JSON.stringify(predicted(name, raw)) === JSON.stringify(theirs) ? [] : [`${name}=${show(raw)}: predicted ${show(predicted(name, raw))}, n8n ${show(theirs)}`];
      }),
    );
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('says a value is ignored exactly when the loader warns and keeps its default', () => {
    const wrong = NAMES.flatMap((name) => VALUES.flatMap((raw, i) => ((readLikeN8n(name, raw).kind === 'ignored') === setting(byValue, i, name).warned ? [] : [`${name}=${show(raw)}`])));
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('predicts a _FILE value as its contents trimmed, then read like the value itself', () => {
    const wrong = NAMES.filter((name) => N8N_VARIABLES[name].file).flatMap((name) =>
      VALUES.flatMap((raw, i) => (JSON.stringify(predicted(name, raw.trim())) === JSON.stringify(setting(byFile, i, name).value) ? [] : [`${name}_FILE holding ${show(raw)}`])),
    );
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});

describe('the reason export gives for refusing a value', () => {
  it('exists exactly when n8n reads a string differently, and names what n8n does', () => {
    const wrong = STRING_NAMES.filter((name) => N8N_VARIABLES[name].file).flatMap((name) =>
      VALUES.flatMap((raw, i) => {
        const theirs = setting(byValue, i, name).value;
        const reason = n8nChangeReason(raw) ?? '';
        const ok = (reason !== '') === (theirs !== raw) && /white space/.test(reason) === (raw.trim() !== raw) && /quotes/.test(reason) === (theirs !== raw.trim());
        return ok ? [] : [`${name}=${show(raw)}: n8n reads ${show(theirs)}, reason "${reason}"`];
      }),
    );
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('is never given for variables n8n reads straight from the environment', () => {
    const raw = NAMES.filter((name) => !N8N_VARIABLES[name].file);
    expect(raw).toEqual(['WEBHOOK_URL', 'TZ', 'NODE_EXTRA_CA_CERTS']);
    for (const name of raw) VALUES.forEach((value, i) => expect(setting(byValue, i, name).value).toBe(value));
    expect(readLikeN8n('WEBHOOK_URL', " 'x' ")).toEqual({ kind: 'value', value: " 'x' " });
  });
});

describe('the cases the audit found, as the profile sees them', () => {
  const withUser = (user: string, sender = 'n8n@example.com') =>
    parseProfile({ version: 1, email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user }, sender }, url: { public: 'https://n8n.example.com/' } });
  const index = (value: string) => VALUES.indexOf(value);

  it.for(["'user'", '"user"'])('refuses the user %s, which n8n reads without its quotes', (user) => {
    expect(setting(byValue, index(user), 'N8N_SMTP_USER').value).toBe('user');
    expect(withUser(user)).toMatchObject({ ok: false, errors: [{ field: 'email.auth.user', message: expect.stringMatching(/quotes, which n8n removes/) }] });
  });

  it("refuses the sender 'n8n@example.com', which n8n reads without its quotes", () => {
    expect(setting(byValue, index("'n8n@example.com'"), 'N8N_SMTP_SENDER').value).toBe('n8n@example.com');
    expect(withUser('apikey', "'n8n@example.com'")).toMatchObject({ ok: false, errors: [{ field: 'email.sender' }] });
  });

  it.for(['"a\nb"', "'a\rb'", "'\u2028'"])('accepts the user %j, which n8n keeps as written (a line break inside)', (user) => {
    expect(setting(byValue, index(user), 'N8N_SMTP_USER').value).toBe(user);
    expect(withUser(user).ok).toBe(true);
  });
});
