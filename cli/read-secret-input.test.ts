/**
 * What `--password-stdin`, `--private-key-file` and `--profile` accept, through the real command
 * (dist/n8n-setup.cjs): a hostile corpus of passwords as bytes — the project's hostile values, generated
 * strings and bytes, and invalid UTF-8 — is exported one by one. Each either reaches the secret file byte for
 * byte, or is refused with exit 2 naming the option or field, for a reason n8n's own loader confirms.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import hostile from '../test/fixtures/hostile-values.json';
import { INVALID_UTF8 } from '../test/fixtures/invalid-utf8.js';
import { readValuesLikeN8n } from '../test/n8n-oracle/load-like-n8n.js';

const BUILT = fileURLToPath(new URL('../dist/n8n-setup.cjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'n8n-strict-input-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PROFILE = {
  version: 1,
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' },
  url: { public: 'https://n8n.example.com/' },
  // The password goes into secrets/n8n_smtp_pass, whatever it holds, so the written bytes can be compared.
  deploy: { proxy: 'external', secrets: 'file' },
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  out: string;
}

let runs = 0;
function runCli(args: string[], stdin: Uint8Array): Promise<Run> {
  const out = join(scratch, `out-${runs++}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT, ...args.map((a) => a.replace('{out}', out))], { cwd: scratch, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, out }));
    child.stdin.end(stdin);
  });
}

/** Runs every input, a few at a time (each run is a process start and an fsync'd export). */
async function runAll(inputs: readonly Uint8Array[], args: string[]): Promise<Run[]> {
  const results: Run[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < inputs.length; i = next++) results[i] = await runCli(args, inputs[i] ?? new Uint8Array());
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

const profilePath = join(scratch, 'profile.json');
beforeAll(() => {
  expect(existsSync(BUILT), 'run npm run build first').toBe(true);
  writeFileSync(profilePath, JSON.stringify(PROFILE));
});
const EXPORT = ['export', '--profile', profilePath, '--out', '{out}', '--password-stdin', '--json'];

/** Independent of the product's decoder: only UTF-8 survives Node's lenient decode and re-encode. */
const isUtf8 = (bytes: Uint8Array) => Buffer.from(Buffer.from(bytes).toString('utf8'), 'utf8').equals(Buffer.from(bytes));

function corpus(): Uint8Array[] {
  const strings = [
    ...hostile.map((entry) => entry.value),
    ...hostile.slice(0, 10).map((entry) => `${entry.value}\n`),
    ...hostile.slice(10, 15).map((entry) => `${entry.value}\r\n`),
    ...fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }), { numRuns: 60, seed: 339 }),
    ...fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { numRuns: 15, seed: 340 }),
  ];
  const invalid = INVALID_UTF8.flatMap(([, bytes]) => [Uint8Array.from(bytes), Buffer.concat([Buffer.from('Secret-'), Uint8Array.from(bytes), Buffer.from('-pw')])]);
  const randomBytes = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 12 }), { numRuns: 20, seed: 341 });
  return [...strings.map((s) => Uint8Array.from(Buffer.from(s, 'utf8'))), ...invalid, ...randomBytes];
}

describe('--password-stdin through the real command', () => {
  const inputs = corpus();
  let results: Run[] = [];
  let readByN8n = new Map<string, unknown>();
  beforeAll(async () => {
    results = await runAll(inputs, EXPORT);
    const passwords = [...new Set(inputs.filter(isUtf8).map((b) => Buffer.from(b).toString('utf8').replace(/\r?\n$/, '')))].filter((p) => p !== '' && !p.includes('\0'));
    const read = readValuesLikeN8n(passwords.map((pass) => ({ N8N_SMTP_PASS: pass })));
    readByN8n = new Map(passwords.map((pass, i) => [pass, read[i]?.N8N_SMTP_PASS?.value]));
  }, 300_000);

  it(`runs ${inputs.length} hostile passwords, ${INVALID_UTF8.length * 2} of them invalid UTF-8`, () => {
    expect(inputs.length).toBeGreaterThanOrEqual(300);
    expect(inputs.filter((b) => !isUtf8(b)).length).toBeGreaterThanOrEqual(INVALID_UTF8.length * 2);
  });

  it('writes each password byte for byte, or refuses it with exit 2 naming the option or field and a reason n8n confirms', () => {
    const wrong: string[] = [];
    inputs.forEach((bytes, i) => {
      const run = results[i];
      if (!run) throw new Error(`no run for input ${i}`);
      const shown = `input ${i} ${JSON.stringify(Buffer.from(bytes).toString('hex'))}`;
      const error = run.code === 0 ? undefined : (JSON.parse(run.stdout) as { error: { code: string; field?: string; message: string; fix?: string } }).error;
      const text = Buffer.from(bytes).toString('utf8');
      const password = text.replace(/\r?\n$/, '');
      let expected: { code: string; field: string; message: RegExp } | undefined;
      if (!isUtf8(bytes)) expected = { code: 'INPUT_NOT_UTF8', field: 'password', message: /^--password-stdin is not valid UTF-8 text/ };
      else if (text.includes('\0')) expected = { code: 'INPUT_HAS_NUL', field: 'password', message: /^--password-stdin contains a NUL/ };
      else if (password === '') expected = { code: 'MISSING_SECRET', field: 'password', message: /empty password/ };
      else if (readByN8n.get(password) !== password) expected = { code: 'INVALID_VALUE', field: 'password', message: /which n8n removes/ };

      if (!expected) {
        const written = run.code === 0 ? readFileSync(join(run.out, 'secrets/n8n_smtp_pass')) : undefined;
        if (!written?.equals(Buffer.from(password, 'utf8'))) wrong.push(`${shown}: expected it written exactly, got exit ${run.code} ${error?.code ?? ''}`);
      } else if (run.code !== 2 || error?.code !== expected.code || error.field !== expected.field || !expected.message.test(error.message) || !error.fix) {
        wrong.push(`${shown}: expected exit 2 ${expected.code}, got exit ${run.code} ${JSON.stringify(error)}`);
      } else if (existsSync(join(run.out, 'secrets'))) wrong.push(`${shown}: refused, but a secret file was written`);
    });
    expect(wrong).toEqual([]);
  });

  it('never repeats a password on stdout or stderr', () => {
    const leaks = inputs.flatMap((bytes, i) => {
      const password = Buffer.from(bytes).toString('utf8').replace(/\r?\n$/, '');
      const run = results[i];
      // Short or common strings occur in any report ("a", "secrets"); a leak of a distinctive one is what matters.
      if (!run || password.length < 8 || !isUtf8(bytes)) return [];
      return `${run.stdout}${run.stderr}`.includes(password) ? [`input ${i}`] : [];
    });
    expect(leaks).toEqual([]);
  });
});

describe('--private-key-file and --profile through the real command', () => {
  const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
  const gsa = { ...PROFILE, email: { ...PROFILE.email, auth: { type: 'google-service-account', user: 'n8n@example.com', serviceClient: '42' } } };
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  };
  const errorOf = (run: Run) => (JSON.parse(run.stdout) as { error: Record<string, string> }).error;

  it.for(INVALID_UTF8.slice(0, 7))('refuses a key file with %s, naming the option', async ([, bytes]) => {
    const key = write(`key-${bytes.join('-')}.pem`, Buffer.concat([Buffer.from(pem.slice(0, 40)), Uint8Array.from(bytes), Buffer.from(pem.slice(40))]));
    const run = await runCli(['export', '--profile', write('gsa.json', JSON.stringify(gsa)), '--out', '{out}', '--private-key-file', key, '--json'], new Uint8Array());
    expect(run.code).toBe(2);
    expect(errorOf(run)).toMatchObject({ code: 'FILE_NOT_UTF8', field: 'privateKey', message: expect.stringContaining(`--private-key-file ${key} is not valid UTF-8`) });
    expect(run.stderr).not.toContain('MIIEvQ');
  });

  it('refuses a key file with a NUL byte, and one escaped as \\u0000 in a JSON key', async () => {
    const profile = write('gsa.json', JSON.stringify(gsa));
    const raw = await runCli(['export', '--profile', profile, '--out', '{out}', '--private-key-file', write('nul.pem', pem.replace('MIIE', 'MI\0IE')), '--json'], new Uint8Array());
    expect(raw.code).toBe(2);
    expect(errorOf(raw)).toMatchObject({ code: 'INPUT_HAS_NUL', field: 'privateKey' });
    const escaped = await runCli(['export', '--profile', profile, '--out', '{out}', '--private-key-file', write('key.json', JSON.stringify({ private_key: pem.replace('MIIE', 'MI\0IE') })), '--json'], new Uint8Array());
    expect(escaped.code).toBe(2);
    expect(errorOf(escaped)).toMatchObject({ code: 'INVALID_VALUE', field: 'privateKey', message: expect.stringContaining('NUL character') });
  });

  it('refuses a profile that is not UTF-8, naming the file and the line, and one with a NUL in a field', async () => {
    const latin1 = write('latin1.json', Buffer.from(JSON.stringify(PROFILE, null, 2).replace('apikey', 'p\u00e4ss'), 'latin1'));
    const run = await runCli(['export', '--profile', latin1, '--out', '{out}', '--password-stdin', '--json'], Buffer.from('pw'));
    expect(run.code).toBe(2);
    expect(errorOf(run)).toMatchObject({ code: 'FILE_NOT_UTF8', field: 'profile', message: expect.stringMatching(/^The profile .*latin1\.json is not valid UTF-8 text \(line 10\)/) });
    const nul = write('nul.json', JSON.stringify({ ...PROFILE, email: { ...PROFILE.email, auth: { type: 'password', user: 'api\0key' } } }));
    const refused = await runCli(['export', '--profile', nul, '--out', '{out}', '--password-stdin', '--json'], Buffer.from('pw'));
    expect(refused.code).toBe(2);
    expect(errorOf(refused)).toMatchObject({ code: 'INVALID_PROFILE', field: 'email.auth.user', message: expect.stringContaining('NUL character') });
  });
});
