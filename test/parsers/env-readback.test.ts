// Writes real `.env` files with encodeEnvValue and mergeEnvFile and reads them back through the parsers
// n8n users actually run: npm dotenv, Debian's python-dotenv, and docker-compose v1 (which reads env files
// with python-dotenv). Every parser runs once per batch of values: they are slow to start.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEnvValue } from '../../shared/env-file/encode-env-value.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';
import { printComposeV1Config, printsExactly, readComposeV1, undoubleDollars } from '../support/docker-compose-v1.js';
import { DOCKER_COMPOSE_V1, PYTHON_DOTENV, requireTool } from '../support/external-tools.js';
import { readWithPythonDotenv } from '../support/python-dotenv.js';

const corpus: Array<{ name: string; value: string }> = JSON.parse(readFileSync('test/fixtures/hostile-values.json', 'utf8'));

const workDir = mkdtempSync(join(tmpdir(), 'env-readback-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

type Read = Record<string, string | null>;

interface Written {
  folder: string;
  text: string;
  /** What each key must read back as. */
  expected: Map<string, string>;
}

/** A folder with one `.env` holding every encodable value under V0…Vn and a compose file using it. */
function writeEnvFolder(label: string, values: readonly string[]): Written {
  const expected = new Map<string, string>();
  let text = '';
  values.forEach((value, i) => {
    const encoded = encodeEnvValue(value);
    if (!encoded.ok) return;
    expected.set(`V${i}`, value);
    text += `V${i}=${encoded.text}\n`;
  });
  return writeFolder(label, text, expected);
}

function writeFolder(label: string, text: string, expected: Map<string, string>): Written {
  const folder = join(workDir, label);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, '.env'), text);
  writeFileSync(join(folder, 'compose.yml'), 'version: "3.8"\nservices:\n  n8n:\n    image: n8nio/n8n\n    env_file: .env\n');
  return { folder, text, expected };
}

function readWithNpmDotenv(written: Written): Read {
  return dotenv.parse(written.text);
}

/** The environment docker-compose v1 hands to the n8n container of each folder, in one process. */
function readWithComposeV1Loader(...written: Written[]): Read[] {
  return readComposeV1(written.map(({ folder }) => ({ dir: folder, composeFiles: ['compose.yml'] }))).map((config) => config.services.n8n?.environment ?? {});
}

/** The n8n environment as `docker-compose config` prints it, `$$` undoubled. */
function readWithComposeV1Config({ folder }: Written): Read {
  const environment = printComposeV1Config({ dir: folder, composeFiles: ['compose.yml'] }).services.n8n?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? null : undoubleDollars(value)]));
}

function readFoldersWithPythonDotenv(...written: Written[]): Read[] {
  return readWithPythonDotenv(written.map(({ folder }) => join(folder, '.env')));
}

/** JSON with invisible and separator characters escaped, so that a failure shows what differs. */
function show(value: string | null | undefined): string {
  if (value === undefined || value === null) return String(value);
  return JSON.stringify(value).replace(/[\p{C}\p{Z}]/gu, (char) => (char === ' ' ? ' ' : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`));
}

function mismatches(written: Written, read: Read, names: (key: string) => string = (key) => key): string[] {
  return [...written.expected].filter(([key, value]) => read[key] !== value).map(([key, value]) => `${names(key)}: wrote ${show(value)}, read ${show(read[key])}`);
}

describe('.env values written by encodeEnvValue', () => {
  const corpusFile = writeEnvFolder('corpus', corpus.map((c) => c.value));
  const corpusName = (key: string) => corpus[Number(key.slice(1))]?.name ?? key;

  it('cover most of the hostile corpus', () => {
    console.info(`corpus: ${corpus.length} values, ${corpusFile.expected.size} written, ${corpus.length - corpusFile.expected.size} refused`);
    expect(corpusFile.expected.size).toBeGreaterThan(corpus.length * 0.9);
  });

  it('read back exactly through npm dotenv', () => {
    expect(mismatches(corpusFile, readWithNpmDotenv(corpusFile), corpusName)).toEqual([]);
  });

  it('read back exactly through python-dotenv (Debian python3-dotenv)', (context) => {
    requireTool(context, PYTHON_DOTENV);
    expect(mismatches(corpusFile, readFoldersWithPythonDotenv(corpusFile)[0] ?? {}, corpusName)).toEqual([]);
  });

  it('reach the container exactly through docker-compose v1', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    expect(mismatches(corpusFile, readWithComposeV1Loader(corpusFile)[0] ?? {}, corpusName)).toEqual([]);
  });

  it('print exactly in `docker-compose config`, except NEL, which PyYAML cannot print', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    const wrong = mismatches(corpusFile, readWithComposeV1Config(corpusFile), corpusName);
    const expectedWrong = [...corpusFile.expected].filter(([, value]) => !printsExactly(value)).map(([key]) => corpusName(key));
    console.info(`docker-compose config: ${corpusFile.expected.size - wrong.length} of ${corpusFile.expected.size} printed exactly; not: ${expectedWrong.join(', ')}`);
    expect(wrong.map((line) => line.slice(0, line.indexOf(': wrote')))).toEqual(expectedWrong);
  });

  describe('for random strings biased to special characters', () => {
    const special = fc.constantFrom(...[...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r'], '\r\n', '\\n', '$$', '${', '$FOO', ' #', 'a', 'Z', '\u00a0', '\u0085', '\u2028', '\ufeff', '🔑');
    const values = fc.sample(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: fc.oneof(special, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 20 })),
      { numRuns: 500, seed: 20261128 },
    );
    const randomFile = writeEnvFolder('random', values);

    it('read back exactly through npm dotenv, python-dotenv and docker-compose v1', (context) => {
      requireTool(context, PYTHON_DOTENV);
      requireTool(context, DOCKER_COMPOSE_V1);
      expect(mismatches(randomFile, readWithNpmDotenv(randomFile))).toEqual([]);
      expect(mismatches(randomFile, readFoldersWithPythonDotenv(randomFile)[0] ?? {})).toEqual([]);
      expect(mismatches(randomFile, readWithComposeV1Loader(randomFile)[0] ?? {})).toEqual([]);
      const printable = { ...randomFile, expected: new Map([...randomFile.expected].filter(([, value]) => printsExactly(value))) };
      expect(mismatches(printable, readWithComposeV1Config(randomFile))).toEqual([]);
    });
  });
});

describe('.env files merged by mergeEnvFile', () => {
  const fixtureDir = 'test/fixtures/env';
  const values = new Map(
    Object.entries({
      N8N_SMTP_HOST: 'smtp.example.com',
      N8N_SMTP_PASS: "p@ss w0rd #1 it's",
      N8N_SMTP_SENDER: 'n8n <n8n@example.com>',
      N8N_SMTP_OAUTH_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC+/=\n-----END PRIVATE KEY-----',
      N8N_EDITOR_BASE_URL: '',
    }),
  );
  const set = [...values].map(([key, value]) => {
    const encoded = encodeEnvValue(value);
    if (!encoded.ok) throw new Error(`test value for ${key} cannot be encoded`);
    return { key, text: encoded.text };
  });
  const merged = readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.env'))
    .map((name) => {
      const text = mergeEnvFile(readFileSync(join(fixtureDir, name), 'utf8'), { set, remove: ['N8N_SMTP_USER'], blockTitle: 'n8n-setup' });
      return { name, written: writeFolder(`merged-${name}`, text, values) };
    });

  it('keep the managed values exact for python-dotenv and docker-compose v1 in every fixture', (context) => {
    requireTool(context, PYTHON_DOTENV);
    requireTool(context, DOCKER_COMPOSE_V1);
    const folders = merged.map((m) => m.written);
    const readers = { 'python-dotenv': readFoldersWithPythonDotenv(...folders), 'docker-compose v1': readWithComposeV1Loader(...folders) };
    const wrong = Object.entries(readers).flatMap(([reader, reads]) =>
      merged.flatMap(({ name, written }, i) => mismatches(written, reads[i] ?? {}).map((line) => `${reader}, ${name}: ${line}`)),
    );
    expect(wrong).toEqual([]);
  });
});
