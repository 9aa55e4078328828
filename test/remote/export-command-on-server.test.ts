/**
 * `export --out` and `restore --out` with a folder on a server (`ssh://root@127.0.0.1:PORT/dir`), through the
 * CLI, against a real OpenSSH server (test/support/sshd.ts; the "server" is this machine, logged into as root):
 * an unknown host is shown and nothing is written until its fingerprint is given; a public deployment is
 * exported there, listed, looked at and undone — the files back byte for byte — and a backup nobody recorded
 * or that changed since is refused; a changed host key stops everything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { importSetup } from '../../services/import/import-setup.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { copyOf, corpusCases } from '../real-world/corpus.js';
import { startSshd, type SshServer } from '../support/sshd.js';

const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };
const PASSWORD = 'Cli-Remote-Password-1';

let scratch: string;
let server: SshServer;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-export-cli-remote-'));
  server = await startSshd({ path: '/usr/bin:/bin' });
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function cli(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--ssh-config', server.configFile], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => Buffer.from(stdin),
    cwd: scratch,
    sshPrograms: PROGRAMS,
    terminal: () => undefined,
  });
  return { code, stdout, stderr };
}

const at = (dir: string) => `ssh://root@127.0.0.1:${server.port}${dir}`;

function writeProfile(name: string, profile: object): string {
  const file = join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

const smtp = { mode: 'smtp', host: 'smtp.remote.example', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@remote.example>' };

describe('export and restore --out user@host:/dir', () => {
  it('an unknown host: its fingerprint is shown and nothing is written until it is given', async () => {
    const dir = join(scratch, 'first');
    const profile = writeProfile('first', { version: 1, email: smtp, url: { public: 'https://n8n.remote.example/' } });
    const first = await cli(['export', '--profile', profile, '--out', at(dir), '--password-stdin'], `${PASSWORD}\n`);
    expect(first.stderr).toContain(`It presents: ssh-ed25519 ${server.hostKeyFingerprint}.`);
    expect(first.stderr).toContain(`--accept-host-key ${server.hostKeyFingerprint}`);
    expect(first.code).toBe(1);
    expect(existsSync(dir)).toBe(false);

    const run = await cli(['export', '--profile', profile, '--out', at(dir), '--password-stdin', '--accept-host-key', server.hostKeyFingerprint], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Export finished.');
    expect(run.stdout).toContain(`Apply it with: ssh -p ${server.port} root@127.0.0.1 'cd ${dir} && docker compose up -d'`);
    expect(run.stdout).toMatch(new RegExp(`To undo this export: n8n-setup restore --out ${at(dir).replace(/[.]/g, '\\.')} --export \\d{8}T\\d{9}Z-[0-9a-f]{8}`));
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain(`N8N_SMTP_PASS=${PASSWORD}`);
  });

  it('a public deployment: exported there, listed, looked at, undone — its files back byte for byte', { timeout: 90_000 }, async () => {
    const corpusCase = corpusCases().find((c) => c.name === 'n8n-hosting-with-postgres-and-worker')!;
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const original = Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
    const imported = await importSetup({ composeFile: join(dir, composeFile) });
    const profile = writeProfile('corpus', { ...imported.profile, email: smtp, url: { public: 'https://n8n.remote.example/' } });

    const exported = await cli(['export', '--profile', profile, '--out', at(dir), '--password-stdin', '--json'], `${PASSWORD}\n`);
    expect(exported.code, exported.stderr).toBe(0);
    const report = JSON.parse(exported.stdout) as { exportId: string; files: Array<{ path: string; action: string; backup?: string }> };
    expect(report.files.find((f) => f.path === '.env')).toMatchObject({ action: 'updated', backup: expect.stringMatching(/^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/) });
    expect(readFileSync(join(dir, '.env'), 'utf8')).not.toBe(original['.env']);

    const list = await cli(['restore', '--out', at(dir), '--list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`export ${report.exportId}`);
    expect(list.stdout).toMatch(/updated +\.env +backup: \.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak/);

    const look = await cli(['restore', '--out', at(dir), '--export', report.exportId, '--dry-run']);
    expect(look.stdout, look.stderr).toContain('would restore .env');
    expect(look.stdout).toContain('Nothing was written.');
    expect(readFileSync(join(dir, '.env'), 'utf8')).not.toBe(original['.env']);

    const undo = await cli(['restore', '--out', at(dir), '--export', report.exportId]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toContain(`Undid export ${report.exportId}:`);
    expect(undo.stdout).toContain(`Apply it with: ssh -p ${server.port} root@127.0.0.1 'cd ${dir} && docker compose up -d'`);
    for (const [name, text] of Object.entries(original)) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(text);
    // Files the export created are gone (their content kept in a backup); the restore is recorded too.
    for (const created of report.files.filter((f) => f.action === 'created')) expect(existsSync(join(dir, created.path)), created.path).toBe(false);
    const undoId = /To undo this restore: n8n-setup restore --out \S+ --export (\S+)/.exec(undo.stdout)?.[1];
    expect(undoId).toBeDefined();

    // Undoing the undo: the export's files are back.
    const redo = await cli(['restore', '--out', at(dir), '--export', undoId!]);
    expect(redo.code, redo.stderr).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain('N8N_SMTP_HOST=smtp.remote.example');
  });

  it('one backup back; a backup no record lists, or one changed since, is refused and nothing changes', { timeout: 90_000 }, async () => {
    const dir = join(scratch, 'one-file');
    const profile = writeProfile('one-file', { version: 1, email: smtp, url: { public: 'https://n8n.remote.example/' } });
    execFileSync(testProgram('mkdir'), [dir]);
    writeFileSync(join(dir, '.env'), 'MINE=1\n');
    const exported = await cli(['export', '--profile', profile, '--out', at(dir), '--password-stdin', '--json'], `${PASSWORD}\n`);
    const backup = (JSON.parse(exported.stdout) as { files: Array<{ path: string; backup?: string }> }).files.find((f) => f.path === '.env')!.backup!;
    const now = readFileSync(join(dir, '.env'), 'utf8');

    writeFileSync(join(dir, '.env.20991231T235959999Z-abcdef01.bak'), 'PLANTED=1\n');
    const planted = await cli(['restore', '--out', at(dir), '--backup', '.env.20991231T235959999Z-abcdef01.bak']);
    expect(planted.stderr).toMatch(/is not a backup that a recorded export made in ssh:\/\/root@127\.0\.0\.1/);
    expect(planted.code).toBe(2);

    const saved = readFileSync(join(dir, backup), 'utf8');
    writeFileSync(join(dir, backup), 'CHANGED=1\n');
    const changed = await cli(['restore', '--out', at(dir), '--backup', backup]);
    expect(changed.stderr).toMatch(/its content is no longer what export saved/);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(now);

    writeFileSync(join(dir, backup), saved);
    const one = await cli(['restore', '--out', at(dir), '--backup', backup]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^Restored \.env from \.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak\. The file it replaced is saved as \.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak\./);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('MINE=1\n');
  });

  it('a record that names a file outside the folder is refused, and nothing outside changes', async () => {
    const dir = join(scratch, 'crafted');
    execFileSync(testProgram('mkdir'), ['-p', join(dir, '.n8n-setup', 'exports')]);
    writeFileSync(join(scratch, 'outside.txt'), 'KEEP\n');
    writeFileSync(join(dir, 'x.bak'), 'EVIL\n');
    const id = '20261205T040000000Z-0badc0de';
    const sha = execFileSync(testProgram('sha256sum'), { input: 'EVIL\n' }).toString().split(' ')[0];
    writeFileSync(join(dir, '.n8n-setup', 'exports', `${id}.json`), JSON.stringify({ version: 1, id, kind: 'export', at: '2026-12-05T04:00:00.000Z', files: [{ path: '../outside.txt', action: 'updated', mode: '0644', backup: { path: 'x.bak', sha256: sha, size: 5 } }] }));
    const run = await cli(['restore', '--out', at(dir), '--export', id]);
    expect(run.stderr).toContain('it is not a file inside');
    expect(run.code).toBe(1);
    expect(readFileSync(join(scratch, 'outside.txt'), 'utf8')).toBe('KEEP\n');
  });

  it('a changed host key: refused before anything is read or written', async () => {
    const dir = join(scratch, 'first');
    const before = readFileSync(join(dir, '.env'), 'utf8');
    await server.changeHostKey();
    const profile = join(scratch, 'first.json');
    const run = await cli(['export', '--profile', profile, '--out', at(dir), '--password-stdin'], 'Another-Password\n');
    expect(run.stderr).toMatch(/The host key of root@127\.0\.0\.1 is not the one in known_hosts/);
    expect(run.code).toBe(1);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(before);
    const list = await cli(['restore', '--out', at(dir), '--list']);
    expect(list.code).toBe(1);
  });
});
