import { describe, expect, it } from 'vitest';
import type { Step } from './keychain-driver.js';
import { NODE_PATH } from './keychain-session.js';
import { codeOf, useKeychainSession, valueOf } from './use-keychain-session.js';

/**
 * Fail closed: every way the keychain can be unusable ends as its typed error, provoked for real — no bus,
 * a bus without a Secret Service, a locked keyring, no keyring, and a keyring daemon that stopped answering.
 */
const EVERY_CALL: Step[] = [
  { op: 'set', account: 'default/smtp-password', secret: 'pw' },
  { op: 'get', account: 'default/smtp-password' },
  { op: 'delete', account: 'default/smtp-password' },
  { op: 'list' },
];

describe('without a D-Bus session bus', () => {
  const keychain = useKeychainSession('none');
  const withoutBus = (extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, NODE_PATH, HOME: keychain.session.home, TMPDIR: keychain.session.tmp, ...extra });

  it.each([
    ['DBUS_SESSION_BUS_ADDRESS and DISPLAY unset (SSH, cron, containers)', {}, /Cannot autolaunch D-Bus without X11 \$DISPLAY/],
    ['only DISPLAY set, with no X server behind it', { DISPLAY: ':99' }, /dbus-launch|machine-id/],
    ['an address whose socket is gone', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, /Could not connect: No such file or directory/],
    ['a malformed address', { DBUS_SESSION_BUS_ADDRESS: 'garbage' }, /does not contain a colon/],
  ])('%s: KEYCHAIN_NO_DBUS for every call', async (_case, env, backendText) => {
    const results = await keychain.steps([...EVERY_CALL, { op: 'status' }], { env: withoutBus(env) });
    expect(results.slice(0, 4).map(codeOf)).toEqual(['KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS']);
    expect(valueOf(results[4])).toMatchObject({ available: false, error: { code: 'KEYCHAIN_NO_DBUS', message: expect.stringMatching(backendText) } });
  });
});

describe('on a D-Bus session where no Secret Service runs', () => {
  const keychain = useKeychainSession('none');

  it('KEYCHAIN_NO_PROVIDER for every call, naming the missing service', async () => {
    const results = await keychain.steps(EVERY_CALL);
    expect(results.map(codeOf)).toEqual(['KEYCHAIN_NO_PROVIDER', 'KEYCHAIN_NO_PROVIDER', 'KEYCHAIN_NO_PROVIDER', 'KEYCHAIN_NO_PROVIDER']);
    expect(results[0]).toMatchObject({
      error: {
        message: expect.stringMatching(/^Cannot store the SMTP password of profile "default" in the Secret Service keyring: no Secret Service provider .* runs on this D-Bus session\. The keychain said: "The name org\.freedesktop\.secrets was not provided by any \.service files"\.$/),
        fix: expect.stringMatching(/install and start a Secret Service provider/),
      },
    });
  });
});

describe('with a locked login keyring (no unlock prompt possible)', () => {
  const keychain = useKeychainSession('locked', { seed: [{ op: 'set', account: 'default/smtp-password', secret: 'stored before locking' }] });

  it("libsecret itself answers 'nothing stored' for an entry it holds — the trap the adapter guards against", async () => {
    const [raw] = await keychain.steps([{ op: 'foreign-get', service: 'n8n-setup', account: 'default/smtp-password' }]);
    expect(valueOf(raw)).toBeNull();
  });

  it('KEYCHAIN_LOCKED for every call, and listing does not crash the process', async () => {
    const results = await keychain.steps([...EVERY_CALL, { op: 'status' }]);
    expect(results.slice(0, 4).map(codeOf)).toEqual(['KEYCHAIN_LOCKED', 'KEYCHAIN_LOCKED', 'KEYCHAIN_LOCKED', 'KEYCHAIN_LOCKED']);
    expect(results[1]).toMatchObject({ error: { message: expect.stringMatching(/the login keyring is locked.*"Cannot create an item in a locked collection"/), fix: expect.stringMatching(/unlock the login keyring/) } });
    expect(valueOf(results[4])).toMatchObject({ available: false, error: { code: 'KEYCHAIN_LOCKED' } });
  });
});

describe('with no login keyring at all', () => {
  const keychain = useKeychainSession('no-keyring');

  it('KEYCHAIN_LOCKED, saying that creating the keyring needs a prompt', async () => {
    const results = await keychain.steps(EVERY_CALL.slice(0, 2));
    expect(results.map(codeOf)).toEqual(['KEYCHAIN_LOCKED', 'KEYCHAIN_LOCKED']);
    expect(results[0]).toMatchObject({ error: { message: expect.stringMatching(/there is no default keyring yet.*Object does not exist at path .*\/org\/freedesktop\/secrets\/collection\/login/) } });
  });
});

describe('with a keyring daemon that stopped answering (SIGSTOP)', () => {
  const keychain = useKeychainSession('unlocked');
  const stopped = async (body: () => Promise<void>) => {
    keychain.session.pauseKeyring();
    try {
      await body();
    } finally {
      keychain.session.resumeKeyring();
    }
  };

  it('the CLI way (keytar in a helper process): KEYCHAIN_TIMEOUT at the deadline for each call, and the process exits on time', async () => {
    valueOf((await keychain.steps([{ op: 'set', account: 'default/smtp-password', secret: 'pw' }]))[0]);
    await stopped(async () => {
      const results = await keychain.steps([{ op: 'get', account: 'default/smtp-password' }, { op: 'set', account: 'default/smtp-password', secret: 'new' }], { deadlineMs: 400 });
      expect(results.map(codeOf)).toEqual(['KEYCHAIN_TIMEOUT', 'KEYCHAIN_TIMEOUT']);
      expect(results[0]).toMatchObject({ error: { message: expect.stringMatching(/did not answer within 0\.4 s/), fix: expect.stringMatching(/answer the keychain prompt/) } });
      for (const result of results) expect(result.ms).toBeGreaterThanOrEqual(400);
      // libsecret's own D-Bus timeout is 25 s per call: the helper was killed long before that.
      expect(results.ms).toBeLessThan(3000);
      expect(results.lingered).toBe(false);
    });
    expect(valueOf((await keychain.steps([{ op: 'get', account: 'default/smtp-password' }]))[0])).toBe('pw');
  });

  it('in-process (as Electron has it): KEYCHAIN_TIMEOUT, later calls refused at once — and the stuck call keeps the process alive, which is why the CLI uses a helper', async () => {
    await stopped(async () => {
      const results = await keychain.steps([{ op: 'get', account: 'default/smtp-password' }, { op: 'set', account: 'default/smtp-password', secret: 'new' }], { deadlineMs: 400, transport: 'in-process' });
      expect(results.map(codeOf)).toEqual(['KEYCHAIN_TIMEOUT', 'KEYCHAIN_TIMEOUT']);
      expect(results[1]).toMatchObject({ error: { message: expect.stringMatching(/still not answered an earlier request/) } });
      expect(results[1]!.ms).toBeLessThan(100);
      expect(results.lingered).toBe(true);
    });
  });
});
