import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBackupName } from '../../services/files/backup-names.js';
import { startSmtpFixture, type SmtpFixture } from '../smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../smtp/test-certificates.js';
import { OPENSSL } from '../support/external-tools.js';
import { leakForms, leaksIn, leaksUnder, type Leak } from './leak-forms.js';
import { runChild, type ChildRun } from './run-child.js';
import { useKeychainSession, valueOf } from './use-keychain-session.js';

/**
 * Leak audit: a sentinel password goes through every flow that touches it — `secret set`, `status`,
 * export from the keychain and from stdin, into .env and into a secret file, dry run, import, restore,
 * a real SMTP test against a loopback smtp-server, a profile pointing it at another server (refused, then
 * confirmed with --secret-for-new-server, which binds the entry anew) — and a sentinel private key goes
 * into its keychain envelope and out again, as real processes in a throwaway keychain session.
 * Then HOME, the temp folder, the exported folders with their backups, the keyring's own files and every
 * output are searched for each secret and for the envelopes the keychain holds in every spelling. The
 * password may appear only in the export files the user chose to hold it (.env, secrets/n8n_smtp_pass, and
 * their backups), each readable by its owner only; the private key nowhere.
 */
const SENTINEL = 'Lk7-sentinel "quoted" \\ ü/+=%25 €🔑 end';
const USER = 'n8n-sender@example.test';
const forms = leakForms(SENTINEL, USER);
// A real service-account key, so its envelope is as long as the ones users store.
const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey.trim();
const keyForms = leakForms(PRIVATE_KEY);

const keychain = useKeychainSession('unlocked');
const runs: Array<{ flow: string; run: ChildRun; code: number }> = [];
let smtp: SmtpFixture | undefined;
let moved: SmtpFixture | undefined;
let cleanupCertificates = '';
let keyFolder = '';
/** The keychain's entries as stored (the envelopes), read before they were deleted. */
const entries: Record<string, string> = {};

interface Flow {
  flow: string;
  args: string[];
  stdin?: string;
  /** The exit code the flow must end with: 0 unless it must be refused. */
  code?: number;
}

beforeAll(async () => {
  if (!OPENSSL.installed) throw new Error(`the leak audit's SMTP test needs OpenSSL: install the Debian package ${OPENSSL.debianPackage}`);
  const certificates = makeTestCertificates();
  cleanupCertificates = certificates.dir;
  smtp = await startSmtpFixture({ certificate: certificates.valid, users: { [USER]: SENTINEL } });
  // The same login on another port: another server for the stored password.
  moved = await startSmtpFixture({ certificate: certificates.valid, users: { [USER]: SENTINEL } });
  const cli = await keychain.bundle(new URL('./cli-entry.ts', import.meta.url), 'n8n-setup.cjs');
  const { tmp } = keychain.session;
  const email = { mode: 'smtp', host: '127.0.0.1', port: smtp.port, security: 'starttls', auth: { type: 'password', user: USER }, sender: 'n8n <n8n@example.test>', caFile: certificates.caFile };
  const profile = (secrets: 'env' | 'file') => ({ version: 1, name: 'audit', email, url: { public: 'https://n8n.example.test/' }, deploy: { secrets } });
  const envProfile = join(tmp, 'audit-env.json');
  const fileProfile = join(tmp, 'audit-file.json');
  const movedProfile = join(tmp, 'audit-moved.json');
  const keyProfile = join(tmp, 'audit-key.json');
  await writeFile(envProfile, JSON.stringify(profile('env')));
  await writeFile(fileProfile, JSON.stringify(profile('file')));
  await writeFile(movedProfile, JSON.stringify({ ...profile('env'), email: { ...email, port: moved.port } }));
  const serviceAccount = { ...email, host: 'smtp.gmail.com', port: 587, auth: { type: 'google-service-account', user: USER, serviceClient: '1234567890' } };
  await writeFile(keyProfile, JSON.stringify({ ...profile('env'), name: 'audit-key', email: serviceAccount }));
  // The key file is the admin's own input: outside the searched session folder.
  keyFolder = await mkdtemp(join(tmpdir(), 'n8n-setup-audit-key-'));
  const keyFile = join(keyFolder, 'service-account.json');
  await writeFile(keyFile, JSON.stringify({ type: 'service_account', client_id: '1234567890', private_key: PRIVATE_KEY }));
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
    { flow: 'smtp-test to another server: refused', args: ['smtp-test', '--profile', movedProfile, '--to', 'admin@example.test'], code: 2 },
    { flow: 'smtp-test to another server --json: refused', args: ['smtp-test', '--profile', movedProfile, '--to', 'admin@example.test', '--json'], code: 2 },
    { flow: 'export for another server: refused', args: ['export', '--profile', movedProfile, '--out', join(tmp, 'n8n-refused')], code: 2 },
    { flow: 'smtp-test to another server --secret-for-new-server', args: ['smtp-test', '--profile', movedProfile, '--to', 'admin@example.test', '--secret-for-new-server', '--transcript'] },
    { flow: 'secret status after the new binding', args: ['secret', 'status', '--profile', envProfile] },
    { flow: 'secret set --private-key-file', args: ['secret', 'set', '--profile', keyProfile, '--private-key-file', keyFile] },
    { flow: 'secret status --json with a private key', args: ['secret', 'status', '--profile', keyProfile, '--json'] },
    { flow: 'export --dry-run --json with the private key', args: ['export', '--profile', keyProfile, '--out', join(tmp, 'n8n-key'), '--dry-run', '--json'] },
  ];
  for (const { flow, args, stdin, code } of flows) {
    runs.push({ flow, code: code ?? 0, run: await runChild(cli, args, { env: keychain.session.env, cwd: tmp, ...(stdin !== undefined && { stdin }) }) });
  }
  for (const [name, account] of [['password', 'audit/smtp-password'], ['key', 'audit-key/oauth-private-key']] as const) {
    entries[name] = valueOf((await keychain.steps([{ op: 'foreign-get', service: 'n8n-setup', account }]))[0]) as string;
  }
  for (const { flow, args } of [
    { flow: 'secret delete', args: ['secret', 'delete', '--profile', envProfile] },
    { flow: 'secret delete of the private key', args: ['secret', 'delete', '--profile', keyProfile] },
  ]) {
    runs.push({ flow, code: 0, run: await runChild(cli, args, { env: keychain.session.env, cwd: tmp }) });
  }
}, 120_000);

afterAll(async () => {
  await smtp?.close();
  await moved?.close();
  if (cleanupCertificates) await rm(cleanupCertificates, { recursive: true, force: true });
  if (keyFolder) await rm(keyFolder, { recursive: true, force: true });
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
  it('ran every flow as expected: successfully, or refused where the profile points the password at another server', () => {
    expect(runs.map(({ flow, run }) => ({ flow, code: run.code, stderr: run.code === 0 ? run.stderr : '' }))).toEqual(runs.map(({ flow, code }) => ({ flow, code, stderr: '' })));
    const refused = runs.find((r) => r.flow === 'smtp-test to another server --json: refused');
    expect(JSON.parse(refused?.run.stdout ?? '{}')).toMatchObject({ ok: false, error: { code: 'SECRET_ENDPOINT_CHANGED' } });
  });

  it('the SMTP test logged in with the password from the keychain and delivered; the other server only after the confirmation', () => {
    expect(JSON.parse(runs.find((r) => r.flow === 'smtp-test from the keychain --json')?.run.stdout ?? '{}')).toMatchObject({ ok: true });
    expect(smtp?.messages.length).toBe(2);
    expect({ sessions: moved?.openedSessions, messages: moved?.messages.length }).toEqual({ sessions: 1, messages: 1 });
    expect(runs.find((r) => r.flow === 'secret status after the new binding')?.run.stdout).toContain(`for 127.0.0.1:${moved?.port} (user "${USER}"): not this profile's server`);
  });

  it('the keychain held each secret inside its envelope, bound to its server', () => {
    expect(entries.password && JSON.parse(entries.password)).toEqual({ v: 1, host: '127.0.0.1', port: moved?.port, user: USER, secret: SENTINEL });
    const key = entries.key ? JSON.parse(entries.key) : {};
    expect({ ...key, secret: key.secret === PRIVATE_KEY }).toEqual({ v: 1, host: 'smtp.gmail.com', port: 587, user: USER, secret: true });
  });

  it('no output, JSON, transcript or delivered message holds a secret or an envelope in any spelling', () => {
    const all = [...forms, ...keyForms, ...envelopeForms()];
    const leaks: Leak[] = runs.flatMap(({ flow, run }) => [...leaksIn(`${flow}: stdout`, run.stdout, all), ...leaksIn(`${flow}: stderr`, run.stderr, all)]);
    leaks.push(...[...(smtp?.messages ?? []), ...(moved?.messages ?? [])].flatMap((m, i) => leaksIn(`delivered message ${i + 1}`, m.raw, all)));
    expect(leaks).toEqual([]);
  });

  it('the private key and the envelopes are in no file under HOME, the temp folder or the bus folder', async () => {
    const { leaks } = await leaksUnder(keychain.session.root, [...keyForms, ...envelopeForms()]);
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

/** The envelopes as the keychain held them, in every spelling a leak could take. */
function envelopeForms() {
  return Object.values(entries).flatMap((entry) => leakForms(entry));
}
