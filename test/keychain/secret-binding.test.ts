import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpFixture, type SmtpFixture } from '../smtp/smtp-fixtures.js';
import { makeTestCertificates, type TestCertificates } from '../smtp/test-certificates.js';
import { leakForms, leaksIn } from './leak-forms.js';
import { runChild, type ChildRun } from './run-child.js';
import { useKeychainSession, valueOf } from './use-keychain-session.js';

/**
 * A stored secret is bound to its server (host, port, user): the CLI as a real process, a real gnome-keyring
 * and real loopback SMTP servers. "Home" is the server the password was stored for (STARTTLS, its own CA);
 * "elsewhere" is another host on loopback, without TLS, that records every login it is sent.
 */
const USER = 'n8n-sender@example.test';
const PASSWORD = 'Bound-pw "quoted" \\ ü/+=%25 end';
const forms = leakForms(PASSWORD, USER);

const keychain = useKeychainSession('unlocked');
let certs: TestCertificates;
let home: SmtpFixture;
let elsewhere: SmtpFixture;
let cli = '';
const runs: Array<{ what: string; run: ChildRun }> = [];

beforeAll(async () => {
  certs = makeTestCertificates();
  home = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  elsewhere = await startSmtpFixture({ address: '127.0.0.2', users: { [USER]: PASSWORD }, allowInsecureAuth: true });
  cli = await keychain.bundle(new URL('./cli-entry.ts', import.meta.url), 'n8n-setup.cjs');
});

afterAll(async () => {
  await Promise.all([home.close(), elsewhere.close()]);
  await rm(certs.dir, { recursive: true, force: true });
});

async function run(what: string, args: string[], stdin?: string): Promise<ChildRun> {
  const result = await runChild(cli, args, { env: keychain.session.env, cwd: keychain.session.tmp, ...(stdin !== undefined && { stdin }) });
  runs.push({ what, run: result });
  return result;
}

type Server = 'home' | 'elsewhere';

/** A profile named `name` for one of the two servers: the stored password's own, or another host with security "none". */
async function profileFor(name: string, server: Server): Promise<string> {
  const email =
    server === 'home'
      ? { mode: 'smtp', host: '127.0.0.1', port: home.port, security: 'starttls', caFile: certs.caFile }
      : { mode: 'smtp', host: '127.0.0.2', port: elsewhere.port, security: 'none' };
  const folder = await mkdtemp(join(keychain.session.tmp, `${name}-${server}-`));
  const path = join(folder, 'profile.json');
  await writeFile(path, JSON.stringify({ version: 1, name, email: { ...email, auth: { type: 'password', user: USER }, sender: 'n8n <n8n@example.test>' }, url: { public: 'https://n8n.example.test/' } }));
  return path;
}

const smtpTest = (what: string, profile: string, ...extra: string[]) => run(what, ['smtp-test', '--profile', profile, '--to', 'admin@example.test', '--json', ...extra]);

/** What "elsewhere" received: compared, never printed, so a failing assertion cannot show the password. */
function elsewhereGot() {
  return { sessions: elsewhere.openedSessions, loginWithStoredPassword: elsewhere.loginAttempts.some((a) => a.password === PASSWORD), messages: elsewhere.messages.length };
}

describe('a stored password and a profile that points it at another server', () => {
  it('"prod" stored for its server, then "prod" for another host with security none: refused with SECRET_ENDPOINT_CHANGED (exit 2), nothing sent there', async () => {
    const prodHome = await profileFor('prod', 'home');
    const prodElsewhere = await profileFor('prod', 'elsewhere');
    expect((await run('secret set', ['secret', 'set', '--profile', prodHome, '--password-stdin'], `${PASSWORD}\n`)).code).toBe(0);
    expect(JSON.parse((await smtpTest('smtp-test at home', prodHome)).stdout)).toMatchObject({ ok: true });

    const refused = await smtpTest('smtp-test elsewhere', prodElsewhere);
    expect({ code: refused.code, ...elsewhereGot() }).toEqual({ code: 2, sessions: 0, loginWithStoredPassword: false, messages: 0 });
    expect(JSON.parse(refused.stdout)).toEqual({
      ok: false,
      error: {
        code: 'SECRET_ENDPOINT_CHANGED',
        field: 'email.host',
        message: `The SMTP password of profile "prod" belongs to 127.0.0.1:${home.port} (user "${USER}"), but this profile would send it to 127.0.0.2:${elsewhere.port} (user "${USER}"). It was not used.`,
        fix: "If that server should get it, run again with --secret-for-new-server (the stored SMTP password is then bound to that server); if not, store this server's SMTP password with `n8n-setup secret set --profile FILE --password-stdin`, or give it for this run only with --password-stdin.",
      },
    });

    const text = await run('smtp-test elsewhere, text', ['smtp-test', '--profile', prodElsewhere, '--to', 'admin@example.test']);
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^error: email\.host: The SMTP password of profile "prod" belongs to 127\.0\.0\.1:\d+ \(user "n8n-sender@example\.test"\), but this profile would send it to 127\.0\.0\.2:\d+/);
    expect(text.stderr).toContain('fix: If that server should get it, run again with --secret-for-new-server');
  });

  it('export is refused the same way and writes nothing', async () => {
    const out = await mkdtemp(join(keychain.session.tmp, 'export-refused-'));
    const exported = await run('export elsewhere', ['export', '--profile', await profileFor('prod', 'elsewhere'), '--out', out]);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toMatch(/^error: email\.host: The SMTP password of profile "prod" belongs to 127\.0\.0\.1:/);
    expect(await readdir(out)).toEqual([]);
  });

  it('with --secret-for-new-server it is sent, and after the success the entry is bound to the new server', async () => {
    const prodElsewhere = await profileFor('prod', 'elsewhere');
    const confirmed = await smtpTest('smtp-test elsewhere --secret-for-new-server', prodElsewhere, '--secret-for-new-server');
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ ok: true });
    expect(elsewhereGot()).toMatchObject({ loginWithStoredPassword: true, messages: 1 });

    expect(JSON.parse((await smtpTest('smtp-test elsewhere, bound now', prodElsewhere)).stdout)).toMatchObject({ ok: true });
    const status = JSON.parse((await run('secret status', ['secret', 'status', '--profile', prodElsewhere, '--json'])).stdout);
    expect(status.secrets[0]).toEqual({ kind: 'smtp-password', account: 'prod/smtp-password', stored: true, needed: true, boundTo: { host: '127.0.0.2', port: elsewhere.port, user: USER }, matchesProfile: true });

    const back = await smtpTest('smtp-test at home, now bound elsewhere', await profileFor('prod', 'home'));
    expect(back.code).toBe(2);
    expect(JSON.parse(back.stdout).error.message).toMatch(/belongs to 127\.0\.0\.2:\d+ .* would send it to 127\.0\.0\.1:/);
  });

  it('a failed test with --secret-for-new-server leaves the entry bound where it was', async () => {
    const before = elsewhere.loginAttempts.length;
    const wrongUser = JSON.parse(await readFile(await profileFor('prod', 'elsewhere'), 'utf8'));
    wrongUser.email.auth.user = 'someone-else@example.test';
    const path = join(await mkdtemp(join(keychain.session.tmp, 'wrong-user-')), 'profile.json');
    await writeFile(path, JSON.stringify(wrongUser));
    const failed = await smtpTest('smtp-test as another user --secret-for-new-server', path, '--secret-for-new-server');
    expect({ code: failed.code, class: JSON.parse(failed.stdout).class }).toEqual({ code: 4, class: 'AUTH_FAILED' });
    expect(elsewhere.loginAttempts.length).toBe(before + 1);
    expect(JSON.parse((await smtpTest('smtp-test as another user again', path)).stdout).error.code).toBe('SECRET_ENDPOINT_CHANGED');
  });

  it('export --dry-run with the flag binds nothing; a written export binds the entry', async () => {
    const prodHome = await profileFor('prod', 'home');
    const out = await mkdtemp(join(keychain.session.tmp, 'export-home-'));
    expect((await run('export --dry-run --secret-for-new-server', ['export', '--profile', prodHome, '--out', out, '--dry-run', '--secret-for-new-server'])).code).toBe(0);
    expect((await run('export after a dry run', ['export', '--profile', prodHome, '--out', out])).code).toBe(2);
    expect((await run('export --secret-for-new-server', ['export', '--profile', prodHome, '--out', out, '--secret-for-new-server'])).code).toBe(0);
    expect(await readFile(join(out, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=/m);
    expect((await run('export, bound now', ['export', '--profile', prodHome, '--out', out])).code).toBe(0);
  });
});

describe('a bare value stored by an earlier version', () => {
  it('counts as unbound: refused once, used and bound with --secret-for-new-server, then used without it', async () => {
    valueOf((await keychain.steps([{ op: 'foreign-set', service: 'n8n-setup', account: 'legacy/smtp-password', secret: PASSWORD }]))[0]);
    const profile = await profileFor('legacy', 'home');
    const refused = await smtpTest('smtp-test with a legacy entry', profile);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({
      code: 'SECRET_ENDPOINT_CHANGED',
      message: `The SMTP password of profile "legacy" was stored without the server it belongs to (by an earlier version of n8n-setup), and this profile would send it to 127.0.0.1:${home.port} (user "${USER}"). It was not used.`,
    });
    expect(JSON.parse((await smtpTest('smtp-test with a legacy entry, confirmed', profile, '--secret-for-new-server')).stdout)).toMatchObject({ ok: true });
    expect(JSON.parse((await smtpTest('smtp-test with the entry bound now', profile)).stdout)).toMatchObject({ ok: true });
    const [raw] = await keychain.steps([{ op: 'foreign-get', service: 'n8n-setup', account: 'legacy/smtp-password' }]);
    expect(JSON.parse(valueOf(raw) as string)).toEqual({ v: 1, host: '127.0.0.1', port: home.port, user: USER, secret: PASSWORD });
  });
});

describe('STARTTLS expected, and a server that does not offer it (a downgrade)', () => {
  it('the password from the keychain never crosses in clear: STARTTLS_NOT_OFFERED, exit 3, no AUTH received', async () => {
    const plain = await startSmtpFixture({ address: '127.0.0.3', users: { [USER]: PASSWORD }, allowInsecureAuth: true });
    try {
      const profile = await profileFor('downgrade', 'home');
      const stored = JSON.parse(await readFile(profile, 'utf8'));
      stored.email = { ...stored.email, host: '127.0.0.3', port: plain.port };
      await writeFile(profile, JSON.stringify(stored));
      expect((await run('secret set for the downgrade', ['secret', 'set', '--profile', profile, '--password-stdin'], PASSWORD)).code).toBe(0);
      const result = await smtpTest('smtp-test against a server without STARTTLS', profile);
      expect({ code: result.code, class: JSON.parse(result.stdout).class, logins: plain.loginAttempts.length, messages: plain.messages.length }).toEqual({ code: 3, class: 'STARTTLS_NOT_OFFERED', logins: 0, messages: 0 });
      expect(JSON.parse(result.stdout).message).toMatch(/so n8n itself would send the login and every email unencrypted there .*; this test sent nothing in clear/);
    } finally {
      await plain.close();
    }
  });
});

describe('what these runs printed', () => {
  it('never holds the password in any spelling', () => {
    expect(runs.flatMap(({ what, run: r }) => [...leaksIn(`${what}: stdout`, r.stdout, forms), ...leaksIn(`${what}: stderr`, r.stderr, forms)])).toEqual([]);
  });
});
