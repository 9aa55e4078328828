import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySecretStore } from '../../services/secrets/memory-secret-store.js';
import { storeProfileSecret } from '../../services/secrets/profile-secrets.js';
import type { SecretStore } from '../../services/secrets/secret-store.js';
import { keychainWithoutDbus } from '../../services/secrets/test-support/keychain-without-dbus.js';
import { exitCodeFor, formatError, toErrorData, type CliIo } from '../cli-io.js';
import { exportCommand } from './export-command.js';
import { secretCommand } from './secret-command.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-secret-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a command the way runCli does (errors → stderr, --json error object, exit code), with `store` as the keychain. */
async function run(command: (args: string[], io: CliIo) => Promise<number>, args: string[], options: { stdin?: string; store: SecretStore }) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.from(options.stdin ?? ''), cwd: scratch, secretStore: options.store };
  let code: number;
  try {
    code = await command(args, io);
  } catch (error) {
    const data = toErrorData(error);
    if (args.includes('--json')) stdout += `${JSON.stringify({ ok: false, error: data })}\n`;
    stderr += formatError(data);
    code = exitCodeFor(data);
  }
  return { code, stdout, stderr };
}

const email = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' };
/** The server of `email`: what a secret stored for it is bound to. */
const SERVER = { host: 'smtp.example.com', port: 587, user: 'apikey' };
const storedFor = (secret: string, endpoint = SERVER) => JSON.stringify({ v: 1, ...endpoint, secret });

function writeProfile(extra: Record<string, unknown> = {}): string {
  const path = join(mkdtempSync(join(scratch, 'profile-')), 'profile.json');
  writeFileSync(path, JSON.stringify({ version: 1, email, url: { public: 'https://n8n.example.com/' }, ...extra }));
  return path;
}

const serviceAccount = { email: { ...email, auth: { type: 'google-service-account', user: 'n8n@example.com', serviceClient: '1234567890' } } };
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n';

describe('n8n-setup secret set', () => {
  it('stores the password from stdin under "<profile name>/smtp-password" and prints where, never the password', async () => {
    const store = createMemorySecretStore();
    const result = await run(secretCommand, ['set', '--profile', writeProfile({ name: 'prod' }), '--password-stdin'], { stdin: 'pa$$word\n', store });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('Stored the SMTP password of profile "prod" for smtp.example.com:587 (user "apikey") in memory (this run only) (service "n8n-setup", account "prod/smtp-password").\n');
    expect(await store.get('prod/smtp-password')).toBe(storedFor('pa$$word'));
  });

  it('uses "default" for a profile without a name, and prints one JSON object with --json', async () => {
    const store = createMemorySecretStore();
    const result = await run(secretCommand, ['set', '--profile', writeProfile(), '--password-stdin', '--json'], { stdin: 'pw', store });
    expect(JSON.parse(result.stdout)).toEqual({ ok: true, profile: 'default', stored: { kind: 'smtp-password', service: 'n8n-setup', account: 'default/smtp-password', boundTo: SERVER }, backend: 'memory (this run only)' });
    expect(await store.list()).toEqual(['default/smtp-password']);
  });

  it("stores a service account's private key from its JSON key file", async () => {
    const store = createMemorySecretStore();
    const keyFile = join(scratch, 'key.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', private_key: PEM }));
    const result = await run(secretCommand, ['set', '--profile', writeProfile({ name: 'gsa', ...serviceAccount }), '--private-key-file', keyFile], { store });
    expect(result.code).toBe(0);
    expect(await store.get('gsa/oauth-private-key')).toBe(storedFor(PEM.trim(), { ...SERVER, user: 'n8n@example.com' }));
  });

  it.each([
    ['neither option', [], /give exactly one of --password-stdin and --private-key-file FILE/],
    ['both options', ['--password-stdin', '--private-key-file', 'k.pem'], /give exactly one of/],
    ['a private key for a password profile', ['--private-key-file', 'k.pem'], /profile "default" uses the SMTP password \(--password-stdin\), so its service-account private key would never be used/],
  ])('exits 2 and stores nothing for %s', async (_case, options, message) => {
    const store = createMemorySecretStore();
    const result = await run(secretCommand, ['set', '--profile', writeProfile(), ...options], { stdin: 'pw', store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await store.list()).toEqual([]);
  });

  it('refuses a password n8n would alter (surrounding spaces) before storing it', async () => {
    const store = createMemorySecretStore();
    const result = await run(secretCommand, ['set', '--profile', writeProfile(), '--password-stdin'], { stdin: ' pw \n', store });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/starts or ends with white space/);
    expect(await store.list()).toEqual([]);
  });
});

describe('n8n-setup secret status and delete', () => {
  it('says which secrets are stored and used, exit 0, without printing them', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', storedFor('sentinel-pw'));
    await store.set('prod/oauth-private-key', 'sentinel-key of an earlier version');
    const profile = writeProfile({ name: 'prod' });
    const text = await run(secretCommand, ['status', '--profile', profile], { store });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      [
        'Profile "prod" in memory (this run only) (service "n8n-setup"):',
        '  prod/smtp-password           stored      (used by this profile)',
        '                               for smtp.example.com:587 (user "apikey")',
        '  prod/oauth-private-key       stored      (not used by this profile)',
        '                               for no server yet (stored by an earlier version)',
        '',
      ].join('\n'),
    );
    const json = await run(secretCommand, ['status', '--profile', profile, '--json'], { store });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, profile: 'prod', secrets: [{ kind: 'smtp-password', stored: true, needed: true, boundTo: SERVER, matchesProfile: true }, { kind: 'oauth-private-key', stored: true, needed: false, matchesProfile: false }] });
    expect(text.stdout + json.stdout).not.toMatch(/sentinel/);
  });

  it('says when the stored password belongs to another server than the profile\'s', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', storedFor('pw', { ...SERVER, port: 465 }));
    const text = await run(secretCommand, ['status', '--profile', writeProfile({ name: 'prod' })], { store });
    expect(text.stdout).toContain('  for smtp.example.com:465 (user "apikey"): not this profile\'s server, so export and smtp-test ask for --secret-for-new-server\n');
  });

  it('tells how to store a secret the profile needs and lacks', async () => {
    const result = await run(secretCommand, ['status', '--profile', writeProfile()], { store: createMemorySecretStore() });
    expect(result.stdout).toMatch(/Store it with: n8n-setup secret set --profile FILE --password-stdin\n$/);
  });

  it('deletes both entries of the profile, and says so when nothing was stored', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', 'pw');
    await store.set('prod/oauth-private-key', 'key');
    await store.set('staging/smtp-password', 'pw2');
    const profile = writeProfile({ name: 'prod' });
    expect(JSON.parse((await run(secretCommand, ['delete', '--profile', profile, '--json'], { store })).stdout)).toEqual({ ok: true, profile: 'prod', deleted: ['prod/smtp-password', 'prod/oauth-private-key'] });
    expect((await run(secretCommand, ['delete', '--profile', profile], { store })).stdout).toBe('Nothing was stored for profile "prod" in memory (this run only).\n');
    expect(await store.list()).toEqual(['staging/smtp-password']);
  });

  it('prints help, and exits 2 for a missing or unknown action', async () => {
    const store = createMemorySecretStore();
    expect(await run(secretCommand, ['--help'], { store })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: n8n-setup secret <set\|status\|delete>/) });
    expect((await run(secretCommand, [], { store })).code).toBe(2);
    expect(await run(secretCommand, ['show', '--profile', 'x'], { store })).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown action "show"/) });
  });
});

describe('n8n-setup secret without a usable keychain', () => {
  it.each(['set', 'status', 'delete'])('%s exits 1 with KEYCHAIN_NO_DBUS, the cause and the choices', async (action) => {
    const { store } = keychainWithoutDbus();
    const result = await run(secretCommand, [action, '--profile', writeProfile(), ...(action === 'set' ? ['--password-stdin'] : []), '--json'], { stdin: 'pw', store });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_NO_DBUS' } });
    expect(result.stderr).toMatch(/^error: Cannot (store|read|delete) the SMTP password of profile "default" (in|from) the Secret Service keyring: there is no D-Bus session bus/);
    expect(result.stderr).toMatch(/\n {2}fix: Choose one: use the secret for this run only — give it with --password-stdin, nothing is stored; or write it only into the exported secret file/);
  });
});

describe('n8n-setup export with the keychain', () => {
  const out = () => mkdtempSync(join(scratch, 'out-'));

  it('takes the password from the keychain when --password-stdin is not given', async () => {
    const store = createMemorySecretStore();
    await storeProfileSecret(store, 'prod', 'smtp-password', 'from-keychain', SERVER);
    const dir = out();
    expect((await run(exportCommand, ['--profile', writeProfile({ name: 'prod' }), '--out', dir], { store })).code).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=from-keychain$/m);
  });

  it('prefers --password-stdin and then never touches the keychain', async () => {
    const unusable = keychainWithoutDbus();
    const dir = out();
    expect((await run(exportCommand, ['--profile', writeProfile(), '--out', dir, '--password-stdin'], { stdin: 'given', store: unusable.store })).code).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=given$/m);
    expect(unusable.calls()).toBe(0);
  });

  it('keeps separate secrets for two profiles with the same host and user', async () => {
    const store = createMemorySecretStore();
    await storeProfileSecret(store, 'prod', 'smtp-password', 'pw-prod', SERVER);
    await storeProfileSecret(store, 'staging', 'smtp-password', 'pw-staging', SERVER);
    for (const name of ['prod', 'staging']) {
      const dir = out();
      await run(exportCommand, ['--profile', writeProfile({ name }), '--out', dir], { store });
      expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(new RegExp(`^N8N_SMTP_PASS=pw-${name}$`, 'm'));
    }
  });

  it('refuses a password stored for another server (exit 2), unless --secret-for-new-server, which binds it once written', async () => {
    const store = createMemorySecretStore();
    await storeProfileSecret(store, 'prod', 'smtp-password', 'pw-old-server', { ...SERVER, host: 'smtp.old.example' });
    const profile = writeProfile({ name: 'prod' });
    const dir = out();
    const refused = await run(exportCommand, ['--profile', profile, '--out', dir, '--json'], { store });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'SECRET_ENDPOINT_CHANGED', field: 'email.host', message: expect.stringMatching(/belongs to smtp\.old\.example:587 \(user "apikey"\), but this profile would send it to smtp\.example\.com:587/) });
    expect(readdirSync(dir)).toEqual([]);

    expect((await run(exportCommand, ['--profile', profile, '--out', dir, '--dry-run', '--secret-for-new-server'], { store })).code).toBe(0);
    expect(await store.get('prod/smtp-password')).toBe(storedFor('pw-old-server', { ...SERVER, host: 'smtp.old.example' }));
    expect((await run(exportCommand, ['--profile', profile, '--out', dir, '--secret-for-new-server'], { store })).code).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=pw-old-server$/m);
    expect(await store.get('prod/smtp-password')).toBe(storedFor('pw-old-server'));
    expect((await run(exportCommand, ['--profile', profile, '--out', dir], { store })).code).toBe(0);
  });

  it('says so in a warning when the entry cannot be bound after the files were written', async () => {
    const store = createMemorySecretStore();
    await store.set('prod/smtp-password', 'pw-legacy');
    const failingWrites: SecretStore = { ...store, set: () => keychainWithoutDbus().store.set('prod/smtp-password', 'x') };
    const result = await run(exportCommand, ['--profile', writeProfile({ name: 'prod' }), '--out', out(), '--secret-for-new-server', '--json'], { store: failingWrites });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).warnings).toContainEqual({ code: 'WARN_SECRET_NOT_BOUND', message: expect.stringMatching(/^The stored secret was used for smtp\.example\.com:587 \(user "apikey"\), but could not be bound to it, so the next run asks again: Cannot store/) });
  });

  it('without a usable keychain and nothing to keep, fails with the keychain error and writes no file', async () => {
    const dir = join(out(), 'new-instance');
    const result = await run(exportCommand, ['--profile', writeProfile(), '--out', dir, '--json'], { store: keychainWithoutDbus().store });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_NO_DBUS', message: expect.stringMatching(/^Cannot read the SMTP password of profile "default" from the Secret Service keyring/) } });
    expect(existsSync(dir)).toBe(false);
  });

  it('without a usable keychain, keeps the password already in the target and says why', async () => {
    const dir = out();
    writeFileSync(join(dir, '.env'), 'N8N_SMTP_PASS=kept\n');
    const result = await run(exportCommand, ['--profile', writeProfile(), '--out', dir, '--json'], { store: keychainWithoutDbus().store });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=kept$/m);
    expect(JSON.parse(result.stdout).warnings).toContainEqual({ code: 'WARN_KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The secret already in the target was kept: Cannot read the SMTP password/) });
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toHaveLength(1);
  });
});
