// Writes real `.env` files with encodeEnvValue and mergeEnvFile and reads them back through the parsers
// n8n users actually run: npm dotenv, Debian's python-dotenv, and docker-compose v1 (which reads env files
// with python-dotenv). Every parser runs once per batch of values: they are slow to start.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEnvValue } from '../../shared/env-file/encode-env-value.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';

const PYTHON = '/usr/bin/python3';
const DOCKER_COMPOSE = '/usr/bin/docker-compose';
const corpus: Array<{ name: string; value: string }> = JSON.parse(readFileSync('test/fixtures/hostile-values.json', 'utf8'));

const workDir = mkdtempSync(join(tmpdir(), 'env-readback-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** A clean environment, so that nothing from the test runner's shell can be substituted into values. */
const cleanEnv = { PATH: '/usr/bin:/bin', HOME: workDir, LANG: 'C.UTF-8' };
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

/**
 * python-dotenv over several files in one process: a list of `dotenv_values` results. Read as
 * docker-compose v1 reads env files (UTF-8 with an optional BOM); python-dotenv's own default would give
 * the first key of a file with a BOM a name starting with U+FEFF.
 */
function readWithPythonDotenv(...written: Written[]): Read[] {
  const script = "import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps([dotenv_values(path, encoding='utf-8-sig') for path in sys.argv[1:]]))";
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...written.map((w) => join(w.folder, '.env'))], { env: cleanEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

/**
 * `docker-compose config` (v1 has no JSON output) prints the service environment as YAML with every `$`
 * doubled. PyYAML wrote it, so PyYAML reads it (YAML 1.1 line breaks include NEL and U+2028; 1.2's do not).
 */
function readWithComposeV1Config({ folder }: Written): Read {
  const yaml = execFileSync(DOCKER_COMPOSE, ['-f', 'compose.yml', 'config'], { cwd: folder, env: cleanEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const toJson = 'import json, sys, yaml\nprint(json.dumps(yaml.safe_load(sys.stdin)["services"]["n8n"]["environment"]))';
  const environment: Record<string, string> = JSON.parse(execFileSync(PYTHON, ['-c', toJson], { input: yaml, env: cleanEnv, encoding: 'utf8' }));
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value.replaceAll('$$', '$')]));
}

/**
 * The environment docker-compose v1 hands to the container: the configuration `up` and `config` both load
 * (compose.cli.command.get_config_from_options), taken before `config` turns it into YAML. One process for
 * all folders.
 */
function readWithComposeV1Loader(...written: Written[]): Read[] {
  const script = [
    'import json, os, sys',
    'from compose.cli.command import get_config_from_options',
    'def environment(folder):',
    '    os.chdir(folder)',
    "    config = get_config_from_options('.', {'--file': ['compose.yml']})",
    "    return next(s for s in config.services if s['name'] == 'n8n').get('environment', {})",
    'print(json.dumps([environment(folder) for folder in sys.argv[1:]]))',
  ].join('\n');
  return JSON.parse(execFileSync(PYTHON, ['-c', script, ...written.map((w) => w.folder)], { env: cleanEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** JSON with invisible and separator characters escaped, so that a failure shows what differs. */
function show(value: string | null | undefined): string {
  if (value === undefined || value === null) return String(value);
  return JSON.stringify(value).replace(/[\p{C}\p{Z}]/gu, (char) => (char === ' ' ? ' ' : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`));
}

function mismatches(written: Written, read: Read, names: (key: string) => string = (key) => key): string[] {
  return [...written.expected].filter(([key, value]) => read[key] !== value).map(([key, value]) => `${names(key)}: wrote ${show(value)}, read ${show(read[key])}`);
}

/**
 * PyYAML (which `docker-compose config` prints with) writes NEL inside a quoted scalar as a raw line break,
 * and YAML 1.1 folds that into a space when read: only the printout loses it, not the container.
 */
function printedExactlyByPyYaml(value: string): boolean {
  return !value.includes('\u0085');
}

const tools = existsSync(PYTHON) && existsSync(DOCKER_COMPOSE);

describe.skipIf(!tools)('.env values written by encodeEnvValue', () => {
  const corpusFile = writeEnvFolder('corpus', corpus.map((c) => c.value));
  const corpusName = (key: string) => corpus[Number(key.slice(1))]?.name ?? key;

  it('cover most of the hostile corpus', () => {
    console.info(`corpus: ${corpus.length} values, ${corpusFile.expected.size} written, ${corpus.length - corpusFile.expected.size} refused`);
    expect(corpusFile.expected.size).toBeGreaterThan(corpus.length * 0.9);
  });

  it('read back exactly through npm dotenv', () => {
    expect(mismatches(corpusFile, readWithNpmDotenv(corpusFile), corpusName)).toEqual([]);
  });

  it('read back exactly through python-dotenv (Debian python3-dotenv)', () => {
    expect(mismatches(corpusFile, readWithPythonDotenv(corpusFile)[0] ?? {}, corpusName)).toEqual([]);
  });

  it('reach the container exactly through docker-compose v1', () => {
    expect(mismatches(corpusFile, readWithComposeV1Loader(corpusFile)[0] ?? {}, corpusName)).toEqual([]);
  });

  it('print exactly in `docker-compose config`, except NEL, which PyYAML cannot print', () => {
    const wrong = mismatches(corpusFile, readWithComposeV1Config(corpusFile), corpusName);
    const expectedWrong = [...corpusFile.expected].filter(([, value]) => !printedExactlyByPyYaml(value)).map(([key]) => corpusName(key));
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

    it('read back exactly through npm dotenv, python-dotenv and docker-compose v1', () => {
      expect(mismatches(randomFile, readWithNpmDotenv(randomFile))).toEqual([]);
      expect(mismatches(randomFile, readWithPythonDotenv(randomFile)[0] ?? {})).toEqual([]);
      expect(mismatches(randomFile, readWithComposeV1Loader(randomFile)[0] ?? {})).toEqual([]);
      const printable = { ...randomFile, expected: new Map([...randomFile.expected].filter(([, value]) => printedExactlyByPyYaml(value))) };
      expect(mismatches(printable, readWithComposeV1Config(randomFile))).toEqual([]);
    });
  });
});

describe.skipIf(!tools)('.env files merged by mergeEnvFile', () => {
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

  it('keep the managed values exact for python-dotenv and docker-compose v1 in every fixture', () => {
    const folders = merged.map((m) => m.written);
    const readers = { 'python-dotenv': readWithPythonDotenv(...folders), 'docker-compose v1': readWithComposeV1Loader(...folders) };
    const wrong = Object.entries(readers).flatMap(([reader, reads]) =>
      merged.flatMap(({ name, written }, i) => mismatches(written, reads[i] ?? {}).map((line) => `${reader}, ${name}: ${line}`)),
    );
    expect(wrong).toEqual([]);
  });
});
