import { readdirSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { encodeEnvValue } from './encode-env-value.js';
import { mergeEnvFile } from './merge-env-file.js';
import { lastValues, parseEnvFile } from './parse-env-file.js';

const TITLE = 'n8n user management and public URL (managed by n8n-setup)';
const MARKER = `# ${TITLE}`;
const FIXTURE_DIR = 'test/fixtures/env';
const fixtures = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.env'));

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC+/=\n-----END PRIVATE KEY-----';
/** Two realistic exports: SMTP login with an awkward password, and a Google service account. */
const scenarios = {
  'SMTP login': {
    values: {
      N8N_EMAIL_MODE: 'smtp',
      N8N_SMTP_HOST: 'smtp.new-provider.example',
      N8N_SMTP_PORT: '465',
      N8N_SMTP_USER: 'n8n@example.com',
      N8N_SMTP_PASS: "p@ss w0rd#1 it's",
      N8N_SMTP_SENDER: 'n8n <n8n@example.com>',
      N8N_SMTP_SSL: 'true',
      N8N_HOST: 'n8n.example.com',
      N8N_PROTOCOL: 'https',
      WEBHOOK_URL: 'https://n8n.example.com/',
    },
    remove: ['N8N_SMTP_OAUTH_SERVICE_CLIENT', 'N8N_SMTP_OAUTH_PRIVATE_KEY', 'N8N_EDITOR_BASE_URL', 'N8N_SMTP_PASS_FILE'],
  },
  'OAuth service account': {
    values: { N8N_SMTP_HOST: 'smtp.gmail.com', N8N_SMTP_OAUTH_SERVICE_CLIENT: '109876543210987654321', N8N_SMTP_OAUTH_PRIVATE_KEY: PEM, N8N_EDITOR_BASE_URL: '' },
    remove: ['N8N_SMTP_PASS', 'N8N_SMTP_USER', 'WEBHOOK_URL'],
  },
} as const;

type Scenario = (typeof scenarios)[keyof typeof scenarios];

function changeFor(scenario: Scenario) {
  const set = Object.entries(scenario.values).map(([key, value]) => {
    const encoded = encodeEnvValue(value);
    if (!encoded.ok) throw new Error(`test value for ${key} cannot be encoded`);
    return { key, text: encoded.text };
  });
  return { set, remove: scenario.remove, blockTitle: TITLE };
}

/** The file without the lines of the given keys: what a merge must leave byte for byte. */
function withoutLinesOf(text: string, keys: Set<string>): string {
  let out = text;
  for (const entry of [...parseEnvFile(text).entries].reverse()) {
    if (!keys.has(entry.key)) continue;
    const startsLine = entry.start === 0 || text[entry.start - 1] === '\n' || (entry.start === 1 && text.startsWith('\ufeff'));
    const lineEnd = text.indexOf('\n', entry.end);
    if (!startsLine || text.slice(entry.end, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '') !== '') throw new Error(`${entry.key} shares its line`);
    out = out.slice(0, entry.start) + out.slice(lineEnd < 0 ? text.length : lineEnd + 1);
  }
  return out;
}

function markerLines(text: string): number {
  return text.split('\n').filter((line) => line.replace(/^\ufeff/, '').replace(/\r$/, '') === MARKER).length;
}

function readFixture(name: string): string {
  return readFileSync(`${FIXTURE_DIR}/${name}`, 'utf8');
}

describe('mergeEnvFile', () => {
  it('has the realistic fixtures this specification relies on', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    expect(readFixture('windows-crlf.env')).toMatch(/\r\n/);
    expect(readFixture('utf8-bom.env').startsWith('\ufeff')).toBe(true);
    expect(readFixture('no-final-newline.env').endsWith('\n')).toBe(false);
    for (const name of fixtures) expect(parseEnvFile(readFixture(name)).errors, name).toEqual([]);
  });

  describe.each(Object.entries(scenarios))('%s', (_, scenario) => {
    const change = changeFor(scenario);
    const managed = new Set<string>([...Object.keys(scenario.values), ...scenario.remove]);

    it.each(fixtures.filter((name) => name !== 'two-statements-per-line.env'))('%s: keeps every unmanaged byte', (name) => {
      const before = readFixture(name);
      const after = mergeEnvFile(before, change);
      let rest = withoutLinesOf(after, managed);
      const added = Object.keys(scenario.values).some((key) => !parseEnvFile(before).entries.some((e) => e.key === key));
      if (added && markerLines(before) === 0) rest = withoutLinesOf(rest.replace(`${MARKER}\r\n`, '').replace(`${MARKER}\n`, ''), managed);
      const kept = withoutLinesOf(before, managed);
      const eol = parseEnvFile(before).eol;
      // Appending may end an unterminated last line and open the block with one blank line.
      const allowed = added ? [kept, kept + eol, kept + eol + eol] : [kept];
      expect(allowed).toContain(rest);
      expect(after.startsWith('\ufeff')).toBe(before.startsWith('\ufeff'));
      expect(markerLines(after)).toBe(added || markerLines(before) > 0 ? 1 : 0);
    });

    it.each(fixtures)('%s: gives managed keys their new values for Compose v2 and npm dotenv', (name) => {
      const after = mergeEnvFile(readFixture(name), change);
      const compose = lastValues(parseEnvFile(after));
      const npm = dotenv.parse(after);
      for (const [key, value] of Object.entries(scenario.values)) {
        expect(compose.get(key), key).toBe(value);
        expect(npm[key], key).toBe(value);
        expect(parseEnvFile(after).entries.filter((e) => e.key === key), `${key} once`).toHaveLength(1);
      }
      for (const key of scenario.remove) {
        expect(compose.has(key), key).toBe(false);
        expect(npm[key], key).toBeUndefined();
      }
    });

    it.each(fixtures)('%s: keeps the order of keys and adds new ones below the marker', (name) => {
      const before = readFixture(name);
      const after = mergeEnvFile(before, change);
      const beforeEntries = parseEnvFile(before).entries;
      const setKeys = Object.keys(scenario.values);
      const survivors = beforeEntries.filter((e, i) => {
        if ((scenario.remove as readonly string[]).includes(e.key)) return false;
        return !setKeys.includes(e.key) || !beforeEntries.slice(i + 1).some((later) => later.key === e.key);
      });
      const addedKeys = setKeys.filter((key) => !beforeEntries.some((e) => e.key === key));
      const afterEntries = parseEnvFile(after).entries;
      expect(afterEntries.map((e) => e.key).filter((key) => !addedKeys.includes(key))).toEqual(survivors.map((e) => e.key));
      const markerAt = after.indexOf(MARKER);
      for (const entry of afterEntries.filter((e) => addedKeys.includes(e.key))) expect(entry.start).toBeGreaterThan(markerAt);
    });

    it.each(fixtures)('%s: returns the same bytes when merged again', (name) => {
      const once = mergeEnvFile(readFixture(name), change);
      expect(mergeEnvFile(once, change)).toBe(once);
    });
  });

  it('keeps CRLF line endings in every line it writes', () => {
    const after = mergeEnvFile(readFixture('windows-crlf.env'), changeFor(scenarios['SMTP login']));
    expect(after.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('replaces only the value of an existing key, keeping `export`, spacing and a trailing comment', () => {
    const before = 'export N8N_SMTP_HOST = old.example.com   # provider\nN8N_SMTP_PORT=25 # plain port\n';
    const after = mergeEnvFile(before, { set: [{ key: 'N8N_SMTP_HOST', text: 'new.example.com' }, { key: 'N8N_SMTP_PORT', text: "'465'" }], remove: [], blockTitle: TITLE });
    expect(after).toBe("export N8N_SMTP_HOST = new.example.com   # provider\nN8N_SMTP_PORT='465' # plain port\n");
  });

  it('removes earlier duplicates of a managed key and changes the last one in place', () => {
    const after = mergeEnvFile('A=1\nN8N_HOST=first\nB=2\nN8N_HOST=second\nC=3\n', { set: [{ key: 'N8N_HOST', text: 'new' }], remove: [], blockTitle: TITLE });
    expect(after).toBe('A=1\nB=2\nN8N_HOST=new\nC=3\n');
  });

  it('deletes removed keys with their line break and leaves no blank line behind', () => {
    const before = '# mail\nN8N_SMTP_USER=me\nN8N_SMTP_PASS="multi\nline"\nKEEP=1\nN8N_SMTP_USER=again';
    const after = mergeEnvFile(before, { set: [], remove: ['N8N_SMTP_USER', 'N8N_SMTP_PASS'], blockTitle: TITLE });
    expect(after).toBe('# mail\nKEEP=1');
  });

  it('appends new keys in one marked block after a blank line, ending an unterminated last line first', () => {
    const after = mergeEnvFile('TZ=UTC', { set: [{ key: 'N8N_HOST', text: 'n8n.example.com' }], remove: [], blockTitle: TITLE });
    expect(after).toBe(`TZ=UTC\n\n${MARKER}\nN8N_HOST=n8n.example.com\n`);
  });

  it('adds to the block of an earlier export instead of starting a second one', () => {
    const before = `TZ=UTC\r\n\r\n${MARKER}\r\nN8N_HOST=a\r\n\r\n# mine\r\nMINE=1\r\n`;
    const after = mergeEnvFile(before, { set: [{ key: 'N8N_PROTOCOL', text: 'https' }], remove: [], blockTitle: TITLE });
    expect(after).toBe(`TZ=UTC\r\n\r\n${MARKER}\r\nN8N_HOST=a\r\nN8N_PROTOCOL=https\r\n\r\n# mine\r\nMINE=1\r\n`);
  });

  it('writes a new file as UTF-8 with LF and no BOM, block comment first', () => {
    const text = mergeEnvFile(undefined, { set: [{ key: 'N8N_HOST', text: 'a' }, { key: 'N8N_SMTP_PASS', text: "'p w'" }], remove: ['X'], blockTitle: TITLE });
    expect(text).toBe(`${MARKER}\nN8N_HOST=a\nN8N_SMTP_PASS='p w'\n`);
  });

  it('keeps a BOM and CRLF and the missing final line break when only changing values', () => {
    const before = '\ufeffN8N_SMTP_USER=old\r\nTZ=UTC\r\nN8N_SMTP_PORT=25';
    const after = mergeEnvFile(before, { set: [{ key: 'N8N_SMTP_PORT', text: '465' }, { key: 'N8N_SMTP_USER', text: "'new user'" }], remove: [], blockTitle: TITLE });
    expect(after).toBe("\ufeffN8N_SMTP_USER='new user'\r\nTZ=UTC\r\nN8N_SMTP_PORT=465");
  });

  it('turns `KEY: value` and a bare `KEY` into `KEY=value`, which every reader understands', () => {
    const after = mergeEnvFile('N8N_SMTP_PASS\nN8N_SMTP_HOST: old\n', { set: [{ key: 'N8N_SMTP_PASS', text: 's3cret' }, { key: 'N8N_SMTP_HOST', text: 'new' }], remove: [], blockTitle: TITLE });
    expect(after).toBe('N8N_SMTP_PASS=s3cret\nN8N_SMTP_HOST=new\n');
  });

  it('keeps bare text apart from what followed a quoted value on the same line', () => {
    const before = readFixture('two-statements-per-line.env');
    const change = { set: [{ key: 'N8N_SMTP_HOST', text: 'new.example.com' }, { key: 'N8N_SMTP_USER', text: 'me' }], remove: [], blockTitle: TITLE };
    expect(mergeEnvFile(before, change)).toBe("N8N_SMTP_HOST=new.example.com\nN8N_SMTP_PORT=25\nKEEP='x'#note\nN8N_SMTP_USER=me #note\n");
  });

  it('writes an empty value that a comment follows as two single quotes', () => {
    const after = mergeEnvFile('N8N_EDITOR_BASE_URL="https://x/" # editor\n', { set: [{ key: 'N8N_EDITOR_BASE_URL', text: '' }], remove: [], blockTitle: TITLE });
    expect(after).toBe("N8N_EDITOR_BASE_URL='' # editor\n");
    expect(dotenv.parse(after).N8N_EDITOR_BASE_URL).toBe('');
  });

  it('refuses to edit a file Docker Compose cannot read', () => {
    expect(() => mergeEnvFile("A='it's'\n", { set: [{ key: 'A', text: 'x' }], remove: [], blockTitle: TITLE })).toThrow(
      expect.objectContaining({ code: 'ENV_FILE_UNREADABLE', message: expect.stringContaining('line 1') }),
    );
  });

  it('refuses keys that are not variable names and texts that are not one whole value', () => {
    const merge = (key: string, text: string) => () => mergeEnvFile('', { set: [{ key, text }], remove: [], blockTitle: TITLE });
    expect(merge('BAD-KEY', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(merge('A', 'x\nB=y')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(merge('A', "'open")).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(merge('A', 'x # comment')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
