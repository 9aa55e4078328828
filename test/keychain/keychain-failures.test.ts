import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testProgram, type ListedProgram } from '../../scripts/test-programs.mjs';
import { skipOutsideCi } from '../support/external-tools.js';
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

  /** Runs every call and status; returns the backend text status reported, after checking each call failed with KEYCHAIN_NO_DBUS. */
  async function everyCallHasNoBus(env: NodeJS.ProcessEnv, within?: [ListedProgram, ...string[]]): Promise<string> {
    const results = await keychain.steps([...EVERY_CALL, { op: 'status' }], { env, ...(within && { within }) });
    expect(results.slice(0, 4).map(codeOf)).toEqual(['KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_DBUS']);
    const status = valueOf(results[4]) as { available: boolean; error?: { code: string; message: string; fix: string } };
    expect(status).toMatchObject({ available: false, error: { code: 'KEYCHAIN_NO_DBUS' } });
    return /The keychain said: "(.*)"\.$/.exec(status.error?.message ?? '')?.[1] ?? '(no backend text)';
  }

  it.each([
    ['DBUS_SESSION_BUS_ADDRESS and DISPLAY unset (SSH, cron, containers)', {}, /^Cannot autolaunch D-Bus without X11 \$DISPLAY$/],
    ['an address whose socket is gone', { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }, /Could not connect: No such file or directory/],
    ['a malformed address', { DBUS_SESSION_BUS_ADDRESS: 'garbage' }, /does not contain a colon/],
  ])('%s: KEYCHAIN_NO_DBUS for every call', async (_case, env, backendText) => {
    expect(await everyCallHasNoBus(withoutBus(env))).toMatch(backendText);
  });

  // $DISPLAY set (ssh -X, a minimal desktop): libsecret runs dbus-launch to start a bus through X11. Two runs,
  // each asserting its own backend text, so that neither can pass on the other's.
  it('DISPLAY set and no dbus-launch on PATH (a server without dbus-x11): KEYCHAIN_NO_DBUS naming the missing package', async () => {
    const emptyBin = join(keychain.session.root, 'bin-without-dbus-launch');
    await mkdir(emptyBin, { recursive: true });
    expect(existsSync(join(emptyBin, 'dbus-launch'))).toBe(false);
    const text = await everyCallHasNoBus(withoutBus({ PATH: emptyBin, DISPLAY: ':99' }));
    console.log(`no D-Bus, DISPLAY=:99, PATH without dbus-launch → the keychain said: ${text}`);
    expect(text).toMatch(/^Failed to execute child process “dbus-launch” \(No such file or directory\)$/);
    const [set] = await keychain.steps([EVERY_CALL[0]!], { env: withoutBus({ PATH: emptyBin, DISPLAY: ':99' }) });
    expect(set).toMatchObject({ error: { message: expect.stringMatching(/dbus-launch, which would start one through X11, is not installed \(Debian\/Ubuntu package dbus-x11\)/), fix: expect.stringMatching(/ssh -X/) } });
  });

  it("DISPLAY set with Debian's real dbus-launch and no X server behind it: KEYCHAIN_NO_DBUS, dbus-launch failed", async () => {
    const dbusLaunch = testProgram('dbus-launch');
    expect(existsSync(dbusLaunch)).toBe(true);
    const text = await everyCallHasNoBus(withoutBus({ PATH: dirname(dbusLaunch), DISPLAY: ':99' }));
    console.log(`no D-Bus, DISPLAY=:99, PATH with ${dbusLaunch} → the keychain said: ${text}`);
    expect(text).toMatch(/^Error spawning command line “dbus-launch --autolaunch=[0-9a-f]{32} --binary-syntax --close-stderr”: Child process exited with code 1$/);
  });

  it('DISPLAY set on a machine without a machine id (many containers): KEYCHAIN_NO_DBUS saying how to create one', async (context) => {
    if (process.getuid?.() !== 0) skipOutsideCi(context, 'hiding /etc/machine-id needs a private mount namespace, which needs root');
    // /var/lib/dbus/machine-id is often a link to /etc/machine-id: both are covered with an empty file.
    const hide = ['/etc/machine-id', '/var/lib/dbus/machine-id'].filter((path) => existsSync(path)).map((path) => `mount --bind /dev/null ${path}`);
    const within: [ListedProgram, ...string[]] = [testProgram('unshare'), '--mount', '--propagation', 'private', '--', testProgram('sh'), '-c', `${hide.join(' && ')} && exec "$@"`, 'sh'];
    const text = await everyCallHasNoBus(withoutBus({ PATH: dirname(testProgram('dbus-launch')), DISPLAY: ':99' }), within);
    console.log(`no D-Bus, DISPLAY=:99, no machine id → the keychain said: ${text}`);
    expect(text).toMatch(/^Cannot spawn a message bus without a machine-id: /);
    const [set] = await keychain.steps([EVERY_CALL[0]!], { env: withoutBus({ PATH: dirname(testProgram('dbus-launch')), DISPLAY: ':99' }), within });
    expect(set).toMatchObject({ error: { code: 'KEYCHAIN_NO_DBUS', fix: expect.stringMatching(/systemd-machine-id-setup/) } });
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
