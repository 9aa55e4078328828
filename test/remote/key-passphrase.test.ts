/**
 * A key with a passphrase, in the wizard (through the same handler table `serve` and the app use), against a
 * real OpenSSH server (test/support/sshd.ts) whose ssh_config names only that key and no ssh-agent runs:
 * the login says which key needs its passphrase; a wrong one is refused as wrong; the right one, held for the
 * session, opens the key for every later login; forgetting the session's secrets forgets it too.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppUnderTest, type AppUnderTest } from '../../services/app/test-support/app-under-test.js';
import { startSshd, type SshServer } from '../support/sshd.js';

let server: SshServer;
let app: AppUnderTest;

beforeAll(async () => {
  server = await startSshd({ path: '/usr/bin:/bin' });
  writeFileSync(server.knownHostsFile, `${server.hostKeyLine}\n`);
  app = await createAppUnderTest();
  app.services.sshConfig = server.passphraseKey.configFile;
  // No ssh-agent: the key can only be opened with its passphrase.
  delete process.env.SSH_AUTH_SOCK;
});
afterAll(async () => {
  await server?.stop();
  await app?.remove();
});

describe('a key with a passphrase, in the wizard', () => {
  const login = () => app.table.sshLogin({ server: `ssh://root@127.0.0.1:${server.port}` }, app.context);

  it('the login names the key that needs its passphrase; a wrong one is refused as wrong; the right one opens the key for the session', async () => {
    expect(await login()).toEqual({
      ok: true,
      data: { passphraseFor: { key: server.passphraseKey.file, wrong: false, message: `The key ${server.passphraseKey.file} is protected by a passphrase and ssh-agent does not hold it, so root@127.0.0.1 refused the login.` } },
    });
    // Any other operation on the server says the same, as an error with the field to fill.
    const listed = await app.table.listBackups({ outDir: '/tmp', server: `ssh://root@127.0.0.1:${server.port}` }, app.context);
    expect(listed).toMatchObject({ ok: false, error: { code: 'SSH_KEY_PASSPHRASE', field: 'sshPassphrase' } });

    expect(await app.table.sshKeyPassphrase({ key: server.passphraseKey.file, passphrase: 'not the passphrase' }, app.context)).toEqual({ ok: true, data: { held: true } });
    expect(await login()).toMatchObject({ ok: true, data: { passphraseFor: { wrong: true, message: expect.stringContaining('does not open it') } } });

    await app.table.sshKeyPassphrase({ key: server.passphraseKey.file, passphrase: server.passphraseKey.passphrase }, app.context);
    expect(await login()).toEqual({ ok: true, data: { user: 'root' } });
    // Held for the session: the next login (an import, an export) needs nothing typed.
    expect(await login()).toEqual({ ok: true, data: { user: 'root' } });
    expect(JSON.stringify(app.context.events)).not.toContain(server.passphraseKey.passphrase);
  });

  it('a passphrase held for another key is not given to this one; forgetting the session forgets it', async () => {
    await app.table.forgetSessionSecrets({}, app.context);
    await app.table.sshKeyPassphrase({ key: `${server.passphraseKey.file}.other`, passphrase: server.passphraseKey.passphrase }, app.context);
    expect(await login()).toMatchObject({ ok: true, data: { passphraseFor: { wrong: false } } });

    await app.table.sshKeyPassphrase({ key: server.passphraseKey.file, passphrase: server.passphraseKey.passphrase }, app.context);
    expect(await login()).toEqual({ ok: true, data: { user: 'root' } });
    expect(await app.table.forgetSessionSecrets({}, app.context)).toMatchObject({ ok: true, data: { forgotten: 2 } });
    expect(await login()).toMatchObject({ ok: true, data: { passphraseFor: { key: server.passphraseKey.file } } });
  });

  it('kept in the keychain when the admin ticks it: a new session logs in with it; Forget all secrets removes it', async () => {
    await app.table.forgetSessionSecrets({}, app.context);
    expect(await app.secrets.list()).toEqual([]);
    // Nothing held yet: nothing to keep.
    expect(await app.table.keepSshKeyPassphrase({ key: server.passphraseKey.file }, app.context)).toMatchObject({ ok: false, error: { code: 'MISSING_SECRET' } });
    await app.table.sshKeyPassphrase({ key: server.passphraseKey.file, passphrase: server.passphraseKey.passphrase }, app.context);
    expect(await login()).toEqual({ ok: true, data: { user: 'root' } });
    const kept = await app.table.keepSshKeyPassphrase({ key: server.passphraseKey.file }, app.context);
    expect(kept).toEqual({ ok: true, data: { kept: true, where: 'memory (this run only)' } });
    expect(await app.secrets.list()).toEqual([`:ssh-key/${server.passphraseKey.file}`]);
    // The session forgets it; the keychain still opens the key.
    await app.table.forgetSessionSecrets({}, app.context);
    expect(await login()).toEqual({ ok: true, data: { user: 'root' } });
    // Another app on the same keychain (a second window, the app after a restart) too.
    const again = await createAppUnderTest({ secretStore: async () => app.secrets });
    again.services.sshConfig = server.passphraseKey.configFile;
    try {
      expect(await again.table.sshLogin({ server: `ssh://root@127.0.0.1:${server.port}` }, again.context)).toEqual({ ok: true, data: { user: 'root' } });
    } finally {
      await again.remove();
    }
    expect(await app.table.forgetAllSecrets({}, app.context)).toMatchObject({ ok: true });
    expect(await app.secrets.list()).toEqual([]);
    await app.table.forgetSessionSecrets({}, app.context);
    expect(await login()).toMatchObject({ ok: true, data: { passphraseFor: { key: server.passphraseKey.file, wrong: false } } });
  });

  it('a login that is refused for another reason (no such user) is not blamed on the key', async () => {
    await app.table.sshKeyPassphrase({ key: server.passphraseKey.file, passphrase: server.passphraseKey.passphrase }, app.context);
    const other = await app.table.sshLogin({ server: `ssh://nobody-here@127.0.0.1:${server.port}` }, app.context);
    expect(other).toMatchObject({ ok: false, error: { code: 'SSH_LOGIN_REFUSED' } });
  });
});
