import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lastValues, parseEnvFile, shownEnvFileError } from './parse-env-file.js';

interface GoldenEntry {
  value: string;
  file: string;
  composeV2: Record<string, string> | { __error__: string };
}

function canonical(read: Record<string, string | undefined>): string {
  return JSON.stringify(Object.entries(read).sort(([a], [b]) => a.localeCompare(b)));
}

const golden: GoldenEntry[] = JSON.parse(readFileSync('test/fixtures/env/compose-v2-dotenv-golden.json', 'utf8')).entries;

describe('parseEnvFile', () => {
  it('reads every spelling in the golden data exactly as Docker Compose v2 did, errors included', () => {
    const mismatches: string[] = [];
    for (const { file, composeV2 } of golden) {
      const parsed = parseEnvFile(file);
      const ours = parsed.errors.length > 0 ? { __error__: parsed.errors[0]?.composeMessage } : Object.fromEntries(lastValues(parsed));
      // Compose prefixes its own (quote-blind) line counter; we report the line separately.
      const theirs = '__error__' in composeV2 ? { __error__: composeV2.__error__.replace(/^line \d+: /, '') } : composeV2;
      if (canonical(ours) !== canonical(theirs)) mismatches.push(`${JSON.stringify(file)}: Compose ${canonical(theirs)}, ours ${canonical(ours)}`);
    }
    const files = new Set(golden.map((entry) => entry.file)).size;
    console.info(`golden: ${golden.length - mismatches.length} of ${golden.length} entries (${files} distinct files) read as Compose v2 did`);
    expect(mismatches).toEqual([]);
  });

  it('records where each assignment and its value sit, so that a merge can replace exactly those characters', () => {
    const text = '# c\nexport A=1 # note\n  B="two"  # note\nC=\'x\' D=y\n';
    const [a, b, c, d] = parseEnvFile(text).entries;
    expect(text.slice(a?.start, a?.end)).toBe('export A=1 # note');
    expect(text.slice(a?.valueStart, a?.valueEnd)).toBe('1');
    expect(a).toMatchObject({ key: 'A', value: '1', exported: true, line: 2, separator: '=' });
    expect(text.slice(b?.start, b?.end)).toBe('  B="two"  # note');
    expect(text.slice(b?.valueStart, b?.valueEnd)).toBe('"two"');
    expect(text.slice(c?.start, c?.end)).toBe("C='x'");
    expect(text.slice(d?.start, d?.end)).toBe('D=y');
  });

  it('spans a quoted value over lines and stops before CR LF', () => {
    const text = 'KEY="-----BEGIN-----\r\nabc\r\n-----END-----"\r\nNEXT=1\r\n';
    const file = parseEnvFile(text);
    expect(file.eol).toBe('\r\n');
    const [key, next] = file.entries;
    expect(key?.value).toBe('-----BEGIN-----\r\nabc\r\n-----END-----');
    expect(text.slice(key?.start, key?.end)).toBe('KEY="-----BEGIN-----\r\nabc\r\n-----END-----"');
    expect(text.slice(next?.start, next?.end)).toBe('NEXT=1');
    expect(next?.line).toBe(4);
  });

  it('notes a BOM, keeps it out of the first entry, and detects LF files', () => {
    const file = parseEnvFile('\ufeffA=1\nB=2');
    expect(file).toMatchObject({ bom: true, eol: '\n', errors: [] });
    expect(file.entries[0]).toMatchObject({ key: 'A', start: 1 });
    expect(file.entries[1]?.end).toBe('\ufeffA=1\nB=2'.length);
  });

  it('lists every duplicate and lets the last one win', () => {
    const file = parseEnvFile('A=1\nB=x\nA=2\n');
    expect(file.entries.map((e) => `${e.key}=${e.value}`)).toEqual(['A=1', 'B=x', 'A=2']);
    expect(lastValues(file)).toEqual(new Map([['A', '2'], ['B', 'x']]));
  });

  it('substitutes variables from the environment first, then from earlier entries, and marks such entries', () => {
    const text = 'HOST=a.example\nURL=https://$HOST/${PATH_PART:-n8n}\nLIT=\'$HOST\'\nESC=$$HOST\nUSER=${SMTP_USER}\n';
    const plain = lastValues(parseEnvFile(text));
    expect(plain.get('URL')).toBe('https://a.example/n8n');
    expect(plain.get('LIT')).toBe('$HOST');
    expect(plain.get('ESC')).toBe('$HOST');
    expect(plain.get('USER')).toBe('');
    const withEnvironment = parseEnvFile(text, (name) => ({ HOST: 'env.example', SMTP_USER: 'me' })[name]);
    expect(lastValues(withEnvironment).get('URL')).toBe('https://env.example/n8n');
    expect(lastValues(withEnvironment).get('USER')).toBe('me');
    expect(withEnvironment.entries.map((e) => e.interpolated)).toEqual([false, true, false, false, true]);
  });

  it('applies double-quote escapes like Compose: Go escapes, \\0ooo octal and \\$', () => {
    const values = lastValues(parseEnvFile('A="t\\tn\\nq\\"b\\\\d\\$x"\nB="\\0101\\0\\c\\u"\n'));
    expect(values.get('A')).toBe('t\tn\nq"b\\d$x');
    expect(values.get('B')).toBe('A\\0\\c\\u');
  });

  it('takes a bare KEY line from the environment and otherwise leaves the key as it was', () => {
    const text = 'A=file\nA\n';
    expect(lastValues(parseEnvFile(text)).get('A')).toBe('file');
    expect(lastValues(parseEnvFile(text, () => 'env')).get('A')).toBe('env');
    expect(parseEnvFile(text).entries[1]).toMatchObject({ separator: null, unset: true, interpolated: true });
  });

  it('reports the error Compose stops at and keeps reading later lines for callers', () => {
    const file = parseEnvFile("A=1\nB='it's'\nC=3\nD=${\n");
    expect(file.errors[0]).toMatchObject({ line: 2, kind: 'invalid-name', composeMessage: 'unexpected character "\'" in variable name "s\'"' });
    expect(file.errors[1]).toMatchObject({ line: 4, key: 'D', kind: 'invalid-template', composeMessage: 'Invalid template: "${"' });
    expect(lastValues(file).get('C')).toBe('3');
  });

  it('says what is wrong, and with which key, without quoting the value: Compose quotes it, and it may be a password', () => {
    const cases = [
      { text: 'A=1\nN8N_SMTP_PASS="Sup3rS3cretPw\n', compose: 'unterminated quoted value "Sup3rS3cretPw' },
      { text: "A=1\nexport PW='Sup3rS3cretPw\n", compose: "unterminated quoted value 'Sup3rS3cretPw" },
      { text: 'A=1\nPW=Sup3r${S3cretPw\n', compose: 'Invalid template: "Sup3r${S3cretPw"' },
      { text: 'A=1\nX=${NOPE:?S3cretPw}\n', compose: 'required variable NOPE is missing a value: S3cretPw' },
      // A key after a closing quote on the same line may be the rest of a value: it is not named.
      { text: 'A=1\nA=\'x\'B="S3cretPw\n', compose: 'unterminated quoted value "S3cretPw' },
      { text: "A=1\nB='S3cret'Pw'\n", compose: 'unexpected character "\'" in variable name "Pw\'"' },
      { text: 'A=1\nS3cret Pw=1\n', compose: 'key cannot contain a space' },
    ];
    const shown = cases.map(({ text, compose }) => {
      const [error, ...more] = parseEnvFile(text).errors;
      expect(more).toEqual([]);
      expect(error?.composeMessage).toBe(compose);
      return error && shownEnvFileError(error);
    });
    expect(shown).toEqual([
      { line: 2, key: 'N8N_SMTP_PASS', kind: 'unterminated-quote', message: 'the value of N8N_SMTP_PASS opens a quote that is never closed' },
      { line: 2, key: 'PW', kind: 'unterminated-quote', message: 'the value of PW opens a quote that is never closed' },
      { line: 2, key: 'PW', kind: 'invalid-template', message: 'the value of PW has a "${" that starts no valid variable reference (write "$$" for a literal "$")' },
      { line: 2, key: 'X', kind: 'required-variable', message: 'the value of X requires a variable that is not set (${NAME:?…} or ${NAME?…})' },
      { line: 2, kind: 'unterminated-quote', message: 'a value opens a quote that is never closed' },
      { line: 2, kind: 'invalid-name', message: expect.stringMatching(/^a variable name has a space or a character/) },
      { line: 2, kind: 'invalid-name', message: expect.stringMatching(/^a variable name has a space or a character/) },
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/S3cret|Pw/);
  });
});
