import { describe, expect, it } from 'vitest';
import { classifyKeychainError, isKeychainError, KNOWN_KEYCHAIN_TEXTS, keychainError } from './keychain-errors.js';

describe('classifyKeychainError', () => {
  // The texts as libsecret, GDBus and Node printed them on Debian; test/keychain provokes each one again.
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'KEYCHAIN_NO_DBUS'],
    ['Error spawning command line “dbus-launch --autolaunch=3d1219c7c4c5404aaa1f6d2a48adfda4 --binary-syntax --close-stderr”: Child process exited with code 1', 'KEYCHAIN_NO_DBUS'],
    ['Failed to execute child process “dbus-launch” (No such file or directory)', 'KEYCHAIN_NO_DBUS'],
    ['Cannot spawn a message bus without a machine-id: Invalid machine ID in /var/lib/dbus/machine-id or /etc/machine-id', 'KEYCHAIN_NO_DBUS'],
    ['Could not connect: No such file or directory', 'KEYCHAIN_NO_DBUS'],
    ['Could not connect: Connection refused', 'KEYCHAIN_NO_DBUS'],
    ['Address element “garbage” does not contain a colon (:)', 'KEYCHAIN_NO_DBUS'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'KEYCHAIN_NO_PROVIDER'],
    ['GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files', 'KEYCHAIN_NO_PROVIDER'],
    ['Cannot create an item in a locked collection', 'KEYCHAIN_LOCKED'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'KEYCHAIN_LOCKED'],
    ["The '/org/freedesktop/secrets/collection/login' object does not exist", 'KEYCHAIN_LOCKED'],
    ['Timeout was reached', 'KEYCHAIN_TIMEOUT'],
    ["Cannot find package '@github/keytar' imported from /tmp/n8n-setup.cjs", 'KEYCHAIN_NO_PROVIDER'],
  ])('provoked on Debian: %s → %s', (text, code) => {
    expect(classifyKeychainError(text).code).toBe(code);
  });

  it.each([
    ['User canceled the operation.', 'KEYCHAIN_DENIED'],
    ['The user name or passphrase you entered is not correct.', 'KEYCHAIN_DENIED'],
    ['User interaction is not allowed.', 'KEYCHAIN_LOCKED'],
    ['A specified logon session does not exist. It may already have been terminated.', 'KEYCHAIN_NO_PROVIDER'],
    ['Access is denied.', 'KEYCHAIN_DENIED'],
    ['Failed to load keytar native addon, checked ["../build/Release"] on prebuilds/linux-x64', 'KEYCHAIN_NO_PROVIDER'],
    ['GDBus.Error:org.freedesktop.Secret.Error.IsLocked: Cannot unlock', 'KEYCHAIN_LOCKED'],
  ])('documented for macOS, Windows and module loading: %s → %s', (text, code) => {
    expect(classifyKeychainError(text).code).toBe(code);
  });

  it('calls an unknown text KEYCHAIN_FAILED rather than guessing', () => {
    expect(classifyKeychainError('Something unexpected')).toEqual({ code: 'KEYCHAIN_FAILED', cause: 'the keychain reported an error this tool does not recognise' });
  });

  it('says for every row where its text was seen', () => {
    for (const row of KNOWN_KEYCHAIN_TEXTS) expect(['provoked', 'documented']).toContain(row.seen);
  });
});

describe('keychainError', () => {
  it('with $DISPLAY set and no dbus-launch, names the missing package and why a forwarded display does not help', () => {
    const error = keychainError({ ...classifyKeychainError('Failed to execute child process “dbus-launch” (No such file or directory)'), failed: 'Cannot read the SMTP password of profile "p" from the Secret Service keyring', kind: 'smtp-password', platform: 'linux' });
    expect(error.code).toBe('KEYCHAIN_NO_DBUS');
    expect(error.message).toMatch(/\$DISPLAY is set but dbus-launch, which would start one through X11, is not installed \(Debian\/Ubuntu package dbus-x11\)/);
    expect(error.fix).toMatch(/or run it in a desktop session, which has a D-Bus session bus and a keyring \(a \$DISPLAY forwarded over `ssh -X` brings neither/);
    expect(error.fix).toMatch(/^Choose one: use the secret for this run only — give it with --password-stdin/);
  });

  it('without a machine id, says how to create one', () => {
    const cause = classifyKeychainError('Cannot spawn a message bus without a machine-id: Invalid machine ID in /var/lib/dbus/machine-id or /etc/machine-id');
    const error = keychainError({ ...cause, failed: 'Cannot read the SMTP password of profile "p"', platform: 'linux' });
    expect(error.message).toMatch(/no valid machine id/);
    expect(error.fix).toMatch(/systemd-machine-id-setup/);
  });

  it('names the option of the secret concerned in every choice', () => {
    const error = keychainError({ code: 'KEYCHAIN_LOCKED', cause: 'the keychain is locked', failed: 'Cannot read the service-account private key of profile "x" from the macOS Keychain', kind: 'oauth-private-key', platform: 'darwin' });
    expect(error.fix).toBe(
      'Choose one: use the secret for this run only — give it with --private-key-file FILE, nothing is stored; or write it only into the exported secret file — set "deploy": {"secrets": "file"} in the profile and export with --private-key-file FILE; or unlock the login keychain (Keychain Access, or `security unlock-keychain`), then run this again.',
    );
    expect(isKeychainError(error)).toBe(true);
  });
});
