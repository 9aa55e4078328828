import { copyFile, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_PATH } from './keychain-session.js';
import { runChild } from './run-child.js';
import { useKeychainSession, type KeychainFixture } from './use-keychain-session.js';

/** The n8n-setup command line as a real process, against a real gnome-keyring or none. */
const email = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' };

async function writeProfile(folder: string, name: string | undefined): Promise<string> {
  const path = join(folder, `${name ?? 'default'}.json`);
  await writeFile(path, JSON.stringify({ version: 1, ...(name && { name }), email, url: { public: 'https://n8n.example.com/' } }));
  return path;
}

function useCli(keychain: KeychainFixture) {
  let cli = '';
  beforeAll(async () => {
    cli = await keychain.bundle(new URL('./cli-entry.ts', import.meta.url), 'n8n-setup.cjs');
  });
  return (args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) =>
    runChild(cli, args, { env: options.env ?? keychain.session.env, cwd: keychain.session.tmp, ...(options.stdin !== undefined && { stdin: options.stdin }) });
}

/** Every file under `folder`, relative. */
async function filesUnder(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(folder.length + 1)).sort();
}

describe('n8n-setup with a gnome-keyring', () => {
  const keychain = useKeychainSession('unlocked');
  const cli = useCli(keychain);

  it('keeps separate secrets for two profiles with the same host and user, and export uses each', async () => {
    const folder = await mkdtemp(join(keychain.session.tmp, 'profiles-'));
    for (const name of ['prod', 'staging']) {
      const set = await cli(['secret', 'set', '--profile', await writeProfile(folder, name), '--password-stdin'], { stdin: `pw-${name}\n` });
      expect(set).toMatchObject({ code: 0, stderr: '' });
      expect(set.stdout).toBe(`Stored the SMTP password of profile "${name}" for smtp.example.com:587 (user "apikey") in the Secret Service keyring (service "n8n-setup", account "${name}/smtp-password").\n`);
    }
    for (const name of ['prod', 'staging']) {
      const out = join(folder, `out-${name}`);
      const exported = await cli(['export', '--profile', join(folder, `${name}.json`), '--out', out, '--json']);
      expect(exported.code).toBe(0);
      expect(await readFile(join(out, '.env'), 'utf8')).toMatch(new RegExp(`^N8N_SMTP_PASS=pw-${name}$`, 'm'));
    }
  });

  it('status says stored, exit 0, and delete removes the entries', async () => {
    const profile = await writeProfile(await mkdtemp(join(keychain.session.tmp, 'profiles-')), 'lifecycle');
    await cli(['secret', 'set', '--profile', profile, '--password-stdin'], { stdin: 'pw' });
    const status = await cli(['secret', 'status', '--profile', profile, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, backend: 'the Secret Service keyring', secrets: [{ account: 'lifecycle/smtp-password', stored: true }, { account: 'lifecycle/oauth-private-key', stored: false }] });
    expect((await cli(['secret', 'delete', '--profile', profile])).stdout).toBe('Deleted from the Secret Service keyring: "lifecycle/smtp-password".\n');
    expect(JSON.parse((await cli(['secret', 'status', '--profile', profile, '--json'])).stdout).secrets[0].stored).toBe(false);
  });
});

describe('n8n-setup without a D-Bus session (SSH to a server)', () => {
  const keychain = useKeychainSession('none');
  const cli = useCli(keychain);
  const noBus = () => ({ PATH: process.env.PATH, NODE_PATH, HOME: keychain.session.home, TMPDIR: keychain.session.tmp });

  it('secret set exits 1 with KEYCHAIN_NO_DBUS, the cause and the choices, and writes no file', async () => {
    const folder = await mkdtemp(join(keychain.session.tmp, 'profiles-'));
    const profile = await writeProfile(folder, undefined);
    const homeBefore = await filesUnder(keychain.session.home);
    const text = await cli(['secret', 'set', '--profile', profile, '--password-stdin'], { stdin: 'never-written', env: noBus() });
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toBe(
      'error: Cannot store the SMTP password of profile "default" in the Secret Service keyring: there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set, as usual over SSH, in cron and in containers). The keychain said: "Cannot autolaunch D-Bus without X11 $DISPLAY".\n' +
        '  fix: Choose one: use the secret for this run only — give it with --password-stdin, nothing is stored; or write it only into the exported secret file — set "deploy": {"secrets": "file"} in the profile and export with --password-stdin; or run it in a desktop session, which has a D-Bus session bus and a keyring, then run this again.\n',
    );
    const json = await cli(['secret', 'set', '--profile', profile, '--password-stdin', '--json'], { stdin: 'never-written', env: noBus() });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_NO_DBUS' } });
    expect(await filesUnder(keychain.session.home)).toEqual(homeBefore);
    expect(await filesUnder(folder)).toEqual(['default.json']);
  });

  it('over ssh -X on a server without dbus-x11: secret status exits 1 with KEYCHAIN_NO_DBUS naming the package, not an unrecognised error', async () => {
    const profile = await writeProfile(await mkdtemp(join(keychain.session.tmp, 'profiles-')), undefined);
    const emptyBin = await mkdtemp(join(keychain.session.tmp, 'bin-'));
    const status = await cli(['secret', 'status', '--profile', profile], { env: { ...noBus(), PATH: emptyBin, DISPLAY: 'localhost:10.0' } });
    expect(status.code).toBe(1);
    expect(status.stderr).toBe(
      'error: Cannot read the SMTP password of profile "default" from the Secret Service keyring: there is no D-Bus session bus, and $DISPLAY is set but dbus-launch, which would start one through X11, is not installed (Debian/Ubuntu package dbus-x11). The keychain said: "Failed to execute child process “dbus-launch” (No such file or directory)".\n' +
        '  fix: Choose one: use the secret for this run only — give it with --password-stdin, nothing is stored; or write it only into the exported secret file — set "deploy": {"secrets": "file"} in the profile and export with --password-stdin; or run it in a desktop session, which has a D-Bus session bus and a keyring (a $DISPLAY forwarded over `ssh -X` brings neither: the keychain of the machine you log in from is not reachable from here), then run this again.\n',
    );
  });

  it('secret status exits 1 with the typed error instead of guessing "not stored"', async () => {
    const profile = await writeProfile(await mkdtemp(join(keychain.session.tmp, 'profiles-')), undefined);
    const status = await cli(['secret', 'status', '--profile', profile, '--json'], { env: noBus() });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_NO_DBUS' } });
  });

  it('export with no password and nothing to keep exits 1 with KEYCHAIN_NO_DBUS and writes nothing', async () => {
    const folder = await mkdtemp(join(keychain.session.tmp, 'export-'));
    const out = join(folder, 'n8n');
    const result = await cli(['export', '--profile', await writeProfile(folder, undefined), '--out', out], { env: noBus() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: Cannot read the SMTP password of profile "default" from the Secret Service keyring: there is no D-Bus session bus/);
    expect(await filesUnder(folder)).toEqual(['default.json']);
  });

  it('export keeps the password already in the target, or takes one from --password-stdin', async () => {
    const folder = await mkdtemp(join(keychain.session.tmp, 'export-'));
    const profile = await writeProfile(folder, undefined);
    const out = join(folder, 'n8n');
    await mkdir(out);
    await writeFile(join(out, '.env'), 'N8N_SMTP_PASS=already-there\n');
    const kept = await cli(['export', '--profile', profile, '--out', out], { env: noBus() });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/! The secret already in the target was kept: Cannot read the SMTP password/);
    expect(await readFile(join(out, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=already-there$/m);
    expect((await cli(['export', '--profile', profile, '--out', out, '--password-stdin'], { stdin: 'given', env: noBus() })).code).toBe(0);
    expect(await readFile(join(out, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=given$/m);
  });
});

describe('the single-file CLI copied away from its node_modules (as into the n8n container)', () => {
  const keychain = useKeychainSession('unlocked');

  it('says the keychain module is missing (KEYCHAIN_NO_PROVIDER) and still exports with --password-stdin', async () => {
    const lone = await mkdtemp(join(keychain.session.tmp, 'lone-'));
    await copyFile(await keychain.bundle(new URL('./cli-entry.ts', import.meta.url), 'lone.cjs', { keytar: 'absent' }), join(lone, 'n8n-setup.cjs'));
    const { NODE_PATH: _withoutIt, ...env } = keychain.session.env;
    const profile = await writeProfile(lone, undefined);
    const status = await runChild(join(lone, 'n8n-setup.cjs'), ['secret', 'status', '--profile', profile, '--json'], { env, cwd: lone });
    expect(status.code).toBe(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_NO_PROVIDER', message: expect.stringMatching(/this copy of n8n-setup has no keychain module.*Cannot find module '@github\/keytar'/) } });
    const exported = await runChild(join(lone, 'n8n-setup.cjs'), ['export', '--profile', profile, '--out', join(lone, 'out'), '--password-stdin'], { env, cwd: lone, stdin: 'pw' });
    expect(exported.code).toBe(0);
  });
});
