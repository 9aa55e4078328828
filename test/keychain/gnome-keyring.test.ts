import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Step, StepResult } from './keychain-driver.js';
import { useKeychainSession, valueOf } from './use-keychain-session.js';

/** The keytar adapter against a real gnome-keyring in its own D-Bus session, with a throwaway HOME. */
const session = useKeychainSession('unlocked');

const UNICODE = 'pässwörd 🔑 пароль 密码 \u{1F600} "quoted" \\ back';
// 2,500 bytes of UTF-8 in two-byte characters: just under Windows' 2,560, and past any one-byte assumption.
const LONG = 'é'.repeat(1250);

describe.each([
  ['keytar in a helper process (the CLI)', 'helper'],
  ['keytar in-process (Electron)', 'in-process'],
] as const)('the keychain on gnome-keyring (Secret Service over D-Bus), %s', (_name, transport) => {
  const keychain = { steps: (steps: Step[]) => session.steps(steps, { transport }), session: () => session.session };

  it('stores and reads back a secret (round trip)', async () => {
    const [set, get] = await keychain.steps([
      { op: 'set', account: 'roundtrip/smtp-password', secret: 'pw-1' },
      { op: 'get', account: 'roundtrip/smtp-password' },
    ]);
    expect(set).toMatchObject({ ok: true });
    expect(valueOf(get)).toBe('pw-1');
  });

  it('overwrites an entry in place: one entry, the new value', async () => {
    const results = await keychain.steps([
      { op: 'set', account: 'overwrite/smtp-password', secret: 'old' },
      { op: 'set', account: 'overwrite/smtp-password', secret: 'new' },
      { op: 'get', account: 'overwrite/smtp-password' },
      { op: 'list' },
    ]);
    expect(valueOf(results[2])).toBe('new');
    expect((valueOf(results[3]) as string[]).filter((a) => a === 'overwrite/smtp-password')).toHaveLength(1);
  });

  it('deletes an entry: true once, then false; reading it gives nothing', async () => {
    const results = await keychain.steps([
      { op: 'set', account: 'gone/smtp-password', secret: 'pw' },
      { op: 'delete', account: 'gone/smtp-password' },
      { op: 'delete', account: 'gone/smtp-password' },
      { op: 'get', account: 'gone/smtp-password' },
    ]);
    expect(results.slice(1).map(valueOf)).toEqual([true, false, null]);
  });

  it("lists only this app's entries, not another app's with the same account name", async () => {
    const results = await keychain.steps([
      { op: 'foreign-set', service: 'other-app', account: 'listing/smtp-password', secret: 'not ours' },
      { op: 'foreign-set', service: 'n8n-setup', account: 'notes', secret: 'not a profile secret' },
      { op: 'set', account: 'listing/smtp-password', secret: 'ours' },
      { op: 'list' },
      { op: 'foreign-get', service: 'other-app', account: 'listing/smtp-password' },
    ]);
    const listed = valueOf(results[3]) as string[];
    expect(listed).toContain('listing/smtp-password');
    expect(listed).not.toContain('notes');
    expect(listed).not.toContain('.unlock-check');
    expect(listed).toEqual([...listed].sort());
    expect(valueOf(results[4])).toBe('not ours');
  });

  it('keeps unicode and a 2,500-byte secret exactly', async () => {
    const results = await keychain.steps([
      { op: 'set', account: 'unicode/smtp-password', secret: UNICODE },
      { op: 'set', account: 'long/oauth-private-key', secret: LONG },
      { op: 'get', account: 'unicode/smtp-password' },
      { op: 'get', account: 'long/oauth-private-key' },
    ]);
    expect(valueOf(results[2])).toBe(UNICODE);
    expect(Buffer.byteLength(valueOf(results[3]) as string)).toBe(2500);
    expect(valueOf(results[3])).toBe(LONG);
  });

  it('answers concurrent sets and gets of many profiles each with its own value', async () => {
    const profiles = Array.from({ length: 24 }, (_, i) => `concurrent-${i}`);
    const [sets, gets, mixed] = await keychain.steps([
      { op: 'together', steps: profiles.map((p) => ({ op: 'set' as const, account: `${p}/smtp-password`, secret: `first ${p} ✓` })) },
      { op: 'together', steps: profiles.map((p) => ({ op: 'get' as const, account: `${p}/smtp-password` })) },
      {
        op: 'together',
        steps: profiles.map((p, i): Step => (i % 2 ? { op: 'set', account: `${p}/smtp-password`, secret: `second ${p}` } : { op: 'get', account: `${p}/smtp-password` })),
      },
    ]);
    expect((valueOf(sets) as StepResult[]).every((r) => r.ok)).toBe(true);
    expect((valueOf(gets) as StepResult[]).map(valueOf)).toEqual(profiles.map((p) => `first ${p} ✓`));
    expect((valueOf(mixed) as StepResult[]).every((r) => r.ok)).toBe(true);
    const [after] = await keychain.steps([{ op: 'together', steps: profiles.map((p) => ({ op: 'get' as const, account: `${p}/smtp-password` })) }]);
    expect((valueOf(after) as StepResult[]).map(valueOf)).toEqual(profiles.map((p, i) => (i % 2 ? `second ${p}` : `first ${p} ✓`)));
  });

  it('renames a profile by moving its entries, deletes a profile, and forgets all while leaving other apps alone', async () => {
    const results = await keychain.steps([
      { op: 'forget-all' },
      { op: 'foreign-set', service: 'other-app', account: 'keep/smtp-password', secret: 'foreign' },
      { op: 'set', account: 'before/smtp-password', secret: 'pw' },
      { op: 'set', account: 'before/oauth-private-key', secret: 'key' },
      { op: 'set', account: 'dropped/smtp-password', secret: 'pw2' },
      { op: 'rename', from: 'before', to: 'after' },
      { op: 'get', account: 'after/oauth-private-key' },
      { op: 'delete-profile', name: 'dropped' },
      { op: 'list' },
      { op: 'forget-all' },
      { op: 'list' },
      { op: 'foreign-get', service: 'other-app', account: 'keep/smtp-password' },
    ]);
    expect(valueOf(results[5])).toEqual(['smtp-password', 'oauth-private-key']);
    expect(valueOf(results[6])).toBe('key');
    expect(valueOf(results[7])).toEqual(['smtp-password']);
    expect(valueOf(results[8])).toEqual(['after/oauth-private-key', 'after/smtp-password']);
    expect(valueOf(results[9])).toEqual(['after/oauth-private-key', 'after/smtp-password']);
    expect(valueOf(results[10])).toEqual([]);
    expect(valueOf(results[11])).toBe('foreign');
  });

  it("keeps an SSH key's passphrase under its key file (the wizard's Keep it box): read back, listed, removed by forget-all", async () => {
    const account = ':ssh-key//home/admin/.ssh/id_ed25519';
    const results = await keychain.steps([
      { op: 'forget-all' },
      { op: 'set', account, secret: 'correct horse battery staple' },
      { op: 'get', account },
      { op: 'list' },
      { op: 'forget-all' },
      { op: 'get', account },
    ]);
    expect(valueOf(results[2])).toBe('correct horse battery staple');
    expect(valueOf(results[3])).toEqual([account]);
    expect(valueOf(results[4])).toEqual([account]);
    expect(valueOf(results[5])).toBeNull();
  });

  it('reports itself available, and leaves no unlock-check entry behind', async () => {
    const results = await keychain.steps([{ op: 'status' }, { op: 'foreign-get', service: 'n8n-setup', account: '.unlock-check' }]);
    expect(valueOf(results[0])).toEqual({ available: true, backend: 'the Secret Service keyring' });
    expect(valueOf(results[1])).toBeNull();
  });

  it('keeps the secrets encrypted on disk: the keyring file holds none of them in plain text', async () => {
    await keychain.steps([{ op: 'set', account: 'on-disk/smtp-password', secret: 'plain-text-canary-4711' }]);
    const folder = join(keychain.session().home, '.local/share/keyrings');
    const files = await readdir(folder);
    expect(files).toContain('login.keyring');
    for (const file of files) expect((await readFile(join(folder, file))).includes('plain-text-canary-4711')).toBe(false);
  });
});
