// A password in a `.env` line Docker Compose cannot read must not come back in the error about that line:
// Compose's own messages quote the value, ours name the line, the key and the kind of problem only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { importSetup } from '../../services/import/import-setup.js';
import { createMemorySecretStore } from '../../services/secrets/memory-secret-store.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';

/** The part of every password below that must never show. */
const SECRET_PART = 'S3cretPw';

const unreadable: Array<{ problem: string; line: string; kind: string }> = [
  { problem: 'an unterminated double quote', line: `N8N_SMTP_PASS="Sup3r${SECRET_PART}`, kind: 'unterminated-quote' },
  { problem: 'an unterminated single quote', line: `N8N_SMTP_PASS='Sup3r${SECRET_PART}`, kind: 'unterminated-quote' },
  { problem: 'a "${" that opens no variable', line: `N8N_SMTP_PASS=Sup3r\${${SECRET_PART}`, kind: 'invalid-template' },
  { problem: 'a "${" inside double quotes', line: `N8N_SMTP_PASS="Sup3r\${${SECRET_PART}"`, kind: 'invalid-template' },
  { problem: 'a required variable with the password as its message', line: `N8N_SMTP_PASS=\${UNSET:?${SECRET_PART}}`, kind: 'required-variable' },
];

const scratch = mkdtempSync(join(tmpdir(), 'env-parse-error-leaks-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function envFileWith(line: string): string {
  const dir = mkdtempSync(join(scratch, 'n8n-'));
  const path = join(dir, '.env');
  writeFileSync(path, `N8N_SMTP_HOST=smtp.example.com\n${line}\nN8N_SMTP_PORT=587\n`);
  return path;
}

async function runImport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), readStdin: async () => new Uint8Array(), cwd: scratch, secretStore: createMemorySecretStore() };
  const code = await runCli(['import', ...args], io);
  return { code, stdout, stderr };
}

function expectNoSecret(value: unknown): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  expect(text).not.toContain(SECRET_PART);
}

describe.each(unreadable)('a password in $problem', ({ line, kind }) => {
  const text = `N8N_SMTP_HOST=smtp.example.com\n${line}\nN8N_SMTP_PORT=587\n`;

  it('stays out of the error that refuses to merge into the file, which names the line and the key', () => {
    let thrown: unknown;
    try {
      mergeEnvFile(text, { set: [{ key: 'N8N_SMTP_HOST', text: 'new.example.com' }], remove: [], blockTitle: 'n8n setup' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'ENV_FILE_UNREADABLE', message: expect.stringContaining('line 2') });
    expect((thrown as Error).message).toContain('N8N_SMTP_PASS');
    expectNoSecret((thrown as Error).message);
    expectNoSecret(thrown);
  });

  it("stays out of import's report, which still lists the line", async () => {
    const report = await importSetup({ envFile: envFileWith(line) });
    expect(report.parseErrors).toEqual([{ line: 2, key: 'N8N_SMTP_PASS', kind, message: expect.stringContaining('N8N_SMTP_PASS') }]);
    expectNoSecret(report);
  });

  it('stays out of `n8n-setup import`, as JSON and for people', async () => {
    const envFile = envFileWith(line);
    const json = await runImport(['--env', envFile, '--json']);
    expect(JSON.parse(json.stdout).parseErrors).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('N8N_SMTP_PASS') })]);
    const human = await runImport(['--env', envFile]);
    expect(human.stdout).toContain('line 2: ');
    for (const output of [json, human]) {
      expect(output.code).toBe(0);
      expectNoSecret(output.stdout);
      expectNoSecret(output.stderr);
    }
  });
});

describe('a password in a compose file value Compose cannot read', () => {
  it('stays out of the error import fails with', async () => {
    const envFile = envFileWith('N8N_SMTP_USER=me');
    const composeFile = join(envFile, '..', 'compose.yaml');
    writeFileSync(composeFile, `services:\n  n8n:\n    image: n8nio/n8n\n    environment:\n      N8N_SMTP_PASS: "Sup3r\${${SECRET_PART}"\n`);
    const failure = await importSetup({ envFile, composeFile }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expectNoSecret((failure as Error).message);
  });
});
