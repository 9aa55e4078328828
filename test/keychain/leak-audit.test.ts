import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBackupName } from '../../services/files/backup-names.js';
import { startSmtpFixture, type SmtpFixture } from '../smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../smtp/test-certificates.js';
import { OPENSSL } from '../support/external-tools.js';
import { leakForms, leaksIn, leaksUnder, type Leak } from './leak-forms.js';
import { runChild, type ChildRun } from './run-child.js';
import { useKeychainSession } from './use-keychain-session.js';

/**
 * Leak audit: a sentinel password goes through every flow that touches it — `secret set`, `status`,
 * export from the keychain and from stdin, into .env and into a secret file, dry run, import, restore,
 * and a real SMTP test against a loopback smtp-server — as real processes in a throwaway keychain session.
 * Then HOME, the temp folder, the exported folders with their backups, the keyring's own files and every
 * output are searched for it in every spelling. It may appear only in the export files the user chose to
 * hold it (.env, secrets/n8n_smtp_pass, and their backups), each readable by its owner only.
 */
const SENTINEL = 'Lk7-sentinel "quoted" \\ ü/+=%25 €🔑 end';
const USER = 'n8n-sender@example.test';
const forms = leakForms(SENTINEL, USER);

const keychain = useKeychainSession('unlocked');
const runs: Array<{ flow: string; run: ChildRun }> = [];
let smtp: SmtpFixture | undefined;
let cleanupCertificates = '';

interface Flow {
  flow: string;
  args: string[];
  stdin?: string;
}

beforeAll(async () => {
  if (!OPENSSL.installed) throw new Error(`the leak audit's SMTP test needs OpenSSL: install the Debian package ${OPENSSL.debianPackage}`);
  const certificates = makeTestCertificates();
  cleanupCertificates = certificates.dir;
  smtp = await startSmtpFixture({ certificate: certificates.valid, users: { [USER]: SENTINEL } });
  const cli = await keychain.bundle(new URL('./cli-entry.ts', import.meta.url), 'n8n-setup.cjs');
  const { tmp } = keychain.session;
  const email = { mode: 'smtp', host: '127.0.0.1', port: smtp.port, security: 'starttls', auth: { type: 'password', user: USER }, sender: 'n8n <n8n@example.test>', caFile: certificates.caFile };
  const profile = (secrets: 'env' | 'file') => ({ version: 1, name: 'audit', email, url: { public: 'https://n8n.example.test/' }, deploy: { secrets } });
  const envProfile = join(tmp, 'audit-env.json');
  const fileProfile = join(tmp, 'audit-file.json');
  await writeFile(envProfile, JSON.stringify(profile('env')));
  await writeFile(fileProfile, JSON.stringify(profile('file')));
  const [outA, outB] = [join(tmp, 'n8n-a'), join(tmp, 'n8n-b')];

  const flows: Flow[] = [
    { flow: 'secret set', args: ['secret', 'set', '--profile', envProfile, '--password-stdin'], stdin: `${SENTINEL}\n` },
    { flow: 'secret status', args: ['secret', 'status', '--profile', envProfile] },
    { flow: 'secret status --json', args: ['secret', 'status', '--profile', envProfile, '--json'] },
    { flow: 'export, password from the keychain into .env', args: ['export', '--profile', envProfile, '--out', outA] },
    { flow: 'export again --json', args: ['export', '--profile', envProfile, '--out', outA, '--json'] },
    { flow: 'export --dry-run --json', args: ['export', '--profile', envProfile, '--out', outA, '--dry-run', '--json'] },
    { flow: 'import the .env and compose file --json', args: ['import', '--env', join(outA, '.env'), '--compose', join(outA, 'compose.yaml'), '--json'] },
    { flow: 'import into a profile file', args: ['import', '--env', join(outA, '.env'), '--out', join(tmp, 'imported.json')] },
    { flow: 'export --password-stdin into a secret file --json', args: ['export', '--profile', fileProfile, '--out', outB, '--password-stdin', '--json'], stdin: SENTINEL },
    { flow: 'export moving the keychain password from .env to a secret file', args: ['export', '--profile', fileProfile, '--out', outA] },
    { flow: 'restore --list --json', args: ['restore', '--out', outA, '--list', '--json'] },
    { flow: 'smtp-test from the keychain --json', args: ['smtp-test', '--profile', envProfile, '--to', 'admin@example.test', '--json'] },
    { flow: 'smtp-test from the keychain with the transcript', args: ['smtp-test', '--profile', envProfile, '--to', 'admin@example.test', '--transcript'] },
    { flow: 'secret delete', args: ['secret', 'delete', '--profile', envProfile] },
  ];
  for (const { flow, args, stdin } of flows) {
    runs.push({ flow, run: await runChild(cli, args, { env: keychain.session.env, cwd: tmp, ...(stdin !== undefined && { stdin }) }) });
  }
}, 120_000);

afterAll(async () => {
  await smtp?.close();
  if (cleanupCertificates) await import('node:fs/promises').then((fs) => fs.rm(cleanupCertificates, { recursive: true, force: true }));
});

/** The files the user chose to hold the password, and their backups: relative to the session's root. */
function chosenToHoldIt(where: string): boolean {
  const match = /^tmp\/n8n-[ab]\/(.+)$/.exec(where);
  const path = match?.[1];
  if (!path) return false;
  const folder = path.includes('/') ? `${path.slice(0, path.lastIndexOf('/') + 1)}` : '';
  const name = path.slice(folder.length);
  const target = folder + (parseBackupName(name)?.target ?? name);
  return target === '.env' || target === 'secrets/n8n_smtp_pass';
}

describe('leak audit with a sentinel password', () => {
  it('ran every flow successfully', () => {
    expect(runs.map(({ flow, run }) => ({ flow, code: run.code, stderr: run.stderr }))).toEqual(runs.map(({ flow }) => ({ flow, code: 0, stderr: '' })));
  });

  it('the SMTP test logged in with the password from the keychain and delivered', () => {
    expect(JSON.parse(runs.find((r) => r.flow === 'smtp-test from the keychain --json')?.run.stdout ?? '{}')).toMatchObject({ ok: true });
    expect(smtp?.messages.length).toBe(2);
  });

  it('no output, JSON, transcript or delivered message holds it in any spelling', () => {
    const leaks: Leak[] = runs.flatMap(({ flow, run }) => [...leaksIn(`${flow}: stdout`, run.stdout, forms), ...leaksIn(`${flow}: stderr`, run.stderr, forms)]);
    leaks.push(...(smtp?.messages ?? []).flatMap((m, i) => leaksIn(`delivered message ${i + 1}`, m.raw, forms)));
    expect(leaks).toEqual([]);
  });

  it('HOME (with the keyring files), the temp folder and the bus folder hold it only in the chosen export files', async () => {
    const { files, leaks } = await leaksUnder(keychain.session.root, forms);
    expect(files).toEqual(expect.arrayContaining(['home/.local/share/keyrings/login.keyring', 'bus/session.conf', 'tmp/imported.json', 'tmp/n8n-a/.env', 'tmp/n8n-a/compose.yaml', 'tmp/n8n-b/.env']));
    expect(leaks.filter((leak) => !chosenToHoldIt(leak.where))).toEqual([]);
    expect(leaks.filter((leak) => leak.where.startsWith('home/'))).toEqual([]);
  });

  it('the chosen files do hold it (so the search works), readable by their owner only', async () => {
    const { leaks } = await leaksUnder(keychain.session.root, forms);
    const holders = [...new Set(leaks.filter((l) => l.form === 'literal').map((l) => l.where))].sort();
    expect(holders).toEqual(expect.arrayContaining(['tmp/n8n-a/secrets/n8n_smtp_pass', 'tmp/n8n-b/secrets/n8n_smtp_pass']));
    expect(holders.some((where) => /^tmp\/n8n-a\/\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/.test(where))).toBe(true);
    for (const where of holders) expect(((await stat(join(keychain.session.root, where))).mode & 0o777).toString(8), where).toBe('600');
  });
});
