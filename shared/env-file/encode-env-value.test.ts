import { readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEnvValue, isValidEnvKey } from './encode-env-value.js';
import { lastValues, parseEnvFile } from './parse-env-file.js';

interface GoldenEntry {
  value: string;
  file: string;
  composeV2: Record<string, string>;
}

const corpus: Array<{ name: string; value: string }> = JSON.parse(readFileSync('test/fixtures/hostile-values.json', 'utf8'));
const golden: GoldenEntry[] = JSON.parse(readFileSync('test/fixtures/env/compose-v2-dotenv-golden.json', 'utf8')).entries;
const composeReadOf = new Map(golden.map((entry) => [entry.file, entry.composeV2]));
const goldenValues = new Set(golden.map((entry) => entry.value));

/** The file the golden data uses for each spelling: the value between two plain lines. */
function probeFile(text: string): string {
  return `BEFORE=ok\nV=${text}\nAFTER=ok\n`;
}

function encoded(value: string): string {
  const result = encodeEnvValue(value);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.text;
}

describe('encodeEnvValue', () => {
  it('spells every corpus value so that Docker Compose v2 reads it back exactly, or refuses it', () => {
    let checkedByCompose = 0;
    let checkedByParser = 0;
    let refused = 0;
    for (const { name, value } of corpus) {
      const result = encodeEnvValue(value);
      if (!result.ok) {
        refused++;
        continue;
      }
      const file = probeFile(result.text);
      const composeRead = composeReadOf.get(file);
      if (composeRead) {
        expect(composeRead, name).toEqual({ BEFORE: 'ok', V: value, AFTER: 'ok' });
        checkedByCompose++;
      } else {
        // Values the golden data holds were measured in every candidate spelling: ours must be among them.
        expect(goldenValues.has(value), `${name}: spelling ${JSON.stringify(result.text)} was not measured`).toBe(false);
        expect(Object.fromEntries(lastValues(parseEnvFile(file))), name).toEqual({ BEFORE: 'ok', V: value, AFTER: 'ok' });
        checkedByParser++;
      }
    }
    console.info(`corpus ${corpus.length}: ${checkedByCompose} checked against Compose v2's own results, ${checkedByParser} through the golden-validated parser, ${refused} refused`);
    expect(checkedByCompose + checkedByParser + refused).toBe(corpus.length);
  });

  it('uses the first form that fits: empty, bare safe characters, single quotes, double quotes, bare text', () => {
    expect(encoded('')).toBe('');
    expect(encoded('smtp.example.com:465')).toBe('smtp.example.com:465');
    expect(encoded('p@ss w0rd!')).toBe("'p@ss w0rd!'");
    expect(encoded('line1\nline2')).toBe("'line1\nline2'");
    expect(encoded('${FOO')).toBe("'${FOO'");
    expect(encoded("it's")).toBe(`"it's"`);
    expect(encoded('a\rb')).toBe('"a\\rb"');
    expect(encoded("O'Brien \\d #1")).toBe(`"O'Brien \\d #1"`);
    expect(encoded("it's a\\\\b")).toBe("it's a\\\\b");
    expect(encoded(`say "it's"`)).toBe(`say "it's"`);
  });

  it('refuses what no spelling keeps and names the characters responsible', () => {
    const refusal = (value: string) => {
      const result = encodeEnvValue(value);
      if (result.ok) throw new Error(`accepted as ${result.text}`);
      return result.reason;
    };
    expect(refusal("it's $HOME")).toMatch(/both ' and \$H/);
    expect(refusal('${FOO}')).toContain('${FOO}');
    expect(refusal(`"'`)).toMatch(/both ' and "/);
    expect(refusal("'#\\")).toMatch(/both ' and a trailing \\/);
    expect(refusal('a\0b')).toContain('NUL');
    expect(refusal('a\ud800b')).toContain('surrogate');
  });

  it('treats `$` before any letter as a variable, since Compose folds `ſ` and the Kelvin sign into names', () => {
    for (const value of ['a$ſb x', 'a$\u212ab x', 'a$éb x']) expect(encoded(value)).toBe(`'${value}'`);
    expect(encodeEnvValue("it's $\u212a").ok).toBe(false);
  });

  it('reads back exactly through Compose v2 (our parser) and npm dotenv for arbitrary strings, or refuses them', () => {
    const special = fc.constantFrom(
      ...[...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\v\f'],
      '\r\n', '\\n', '\\\\', '$$', '${', '}', '$FOO', '${FOO}', ' #', 'export ', 'a', 'Z', '0',
      '\u00a0', '\u0085', '\u2028', '\u2029', '\ufeff', '\u200b', '\u3000', '\u001c', 'ſ', '\u212a', '🔑', '密',
    );
    const biased = fc.string({ unit: fc.oneof({ weight: 4, arbitrary: special }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }), maxLength: 24 });
    const values = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), biased);
    fc.assert(
      fc.property(values, (value) => {
        const result = encodeEnvValue(value);
        if (!result.ok) return;
        const file = probeFile(result.text);
        const parsed = parseEnvFile(file);
        expect(parsed.errors).toEqual([]);
        expect(Object.fromEntries(lastValues(parsed))).toEqual({ BEFORE: 'ok', V: value, AFTER: 'ok' });
        expect(dotenv.parse(file)).toEqual({ BEFORE: 'ok', V: value, AFTER: 'ok' });
      }),
      { numRuns: 5000 },
    );
  });
});

describe('isValidEnvKey', () => {
  it('accepts the portable shell names only', () => {
    expect(['N8N_SMTP_HOST', '_X', 'a1'].every(isValidEnvKey)).toBe(true);
    expect(['', '1A', 'A-B', 'A.B', 'A B', 'Ä', 'A=B'].some(isValidEnvKey)).toBe(false);
  });
});
