/**
 * Keychain failures as typed errors. keytar only hands back the backend's text, so the cause is read from
 * that text with the table below; each row says where the text was seen. Every error names the cause and
 * the choices: this run only, the exported secret file, or repairing the keychain. Never a plaintext fallback.
 */
import { SetupError } from '../../shared/errors.js';
import { SECRET_KINDS, type SecretKind } from './secret-accounts.js';

export const KEYCHAIN_ERROR_CODES = ['KEYCHAIN_NO_DBUS', 'KEYCHAIN_NO_PROVIDER', 'KEYCHAIN_LOCKED', 'KEYCHAIN_DENIED', 'KEYCHAIN_TIMEOUT', 'KEYCHAIN_FAILED'] as const;

export type KeychainErrorCode = (typeof KEYCHAIN_ERROR_CODES)[number];

export interface KeychainCause {
  code: KeychainErrorCode;
  cause: string;
  /** What repairs this cause, where it differs from the code's usual repair. */
  repair?: string;
}

interface KnownText extends KeychainCause {
  text: RegExp;
  /** "provoked": produced on Debian with gnome-keyring by test/keychain; "documented": from the platform's docs and bug reports. */
  seen: 'provoked' | 'documented';
}

const NO_BUS = 'there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set, as usual over SSH, in cron and in containers)';
/** With $DISPLAY set (`ssh -X`, a minimal desktop), libsecret asks dbus-launch to start a bus through X11. */
const FORWARDED_DISPLAY =
  'run it in a desktop session, which has a D-Bus session bus and a keyring (a $DISPLAY forwarded over `ssh -X` brings neither: the keychain of the machine you log in from is not reachable from here)';
const NO_DEFAULT_KEYRING = 'there is no default keyring yet, and creating one needs a password prompt that could not be shown';

/** First match wins: more specific texts come first. */
export const KNOWN_KEYCHAIN_TEXTS: KnownText[] = [
  // Linux: libsecret / GDBus. Provoked by test/keychain (no bus, a stale or malformed address, a bus without the service, a locked or missing keyring, a stopped daemon).
  { text: /Cannot autolaunch D-Bus without X11 \$DISPLAY/, code: 'KEYCHAIN_NO_DBUS', cause: NO_BUS, seen: 'provoked' },
  // $DISPLAY set and no dbus-launch on PATH (Debian/Ubuntu: it comes with dbus-x11, which servers rarely have).
  {
    text: /Failed to execute child process .dbus-launch./,
    code: 'KEYCHAIN_NO_DBUS',
    cause: 'there is no D-Bus session bus, and $DISPLAY is set but dbus-launch, which would start one through X11, is not installed (Debian/Ubuntu package dbus-x11)',
    repair: FORWARDED_DISPLAY,
    seen: 'provoked',
  },
  // dbus-launch installed, but no X server answers on $DISPLAY (a stale or forwarded display).
  { text: /dbus-launch --autolaunch/, code: 'KEYCHAIN_NO_DBUS', cause: `there is no D-Bus session bus, and dbus-launch could not start one through X11: no X server answered on $DISPLAY`, repair: FORWARDED_DISPLAY, seen: 'provoked' },
  {
    text: /Cannot spawn a message bus without a machine-id/,
    code: 'KEYCHAIN_NO_DBUS',
    cause: 'there is no D-Bus session bus, and none can be started: this machine has no valid machine id (/etc/machine-id is missing or empty, as in many containers)',
    repair: 'create the machine id (`systemd-machine-id-setup`, or `dbus-uuidgen --ensure=/etc/machine-id` as root) or run it in a desktop session',
    seen: 'provoked',
  },
  { text: /Unable to autolaunch a dbus-daemon/, code: 'KEYCHAIN_NO_DBUS', cause: NO_BUS, seen: 'documented' },
  { text: /^Could not connect: /, code: 'KEYCHAIN_NO_DBUS', cause: 'the D-Bus session bus named in DBUS_SESSION_BUS_ADDRESS cannot be reached (its session may have ended)', seen: 'provoked' },
  { text: /Address element .* does not contain a colon|Unknown or unsupported transport/, code: 'KEYCHAIN_NO_DBUS', cause: 'DBUS_SESSION_BUS_ADDRESS is malformed', seen: 'provoked' },
  { text: /org\.freedesktop\.secrets was not provided by any \.service files/, code: 'KEYCHAIN_NO_PROVIDER', cause: 'no Secret Service provider (gnome-keyring, KeePassXC, KWallet) runs on this D-Bus session', seen: 'provoked' },
  { text: /Cannot create an item in a locked collection/, code: 'KEYCHAIN_LOCKED', cause: 'the login keyring is locked, and no unlock prompt could be shown or it was dismissed', seen: 'provoked' },
  { text: /Object does not exist at path .*\/org\/freedesktop\/secrets\/collection\//, code: 'KEYCHAIN_LOCKED', cause: NO_DEFAULT_KEYRING, seen: 'provoked' },
  { text: /'\/org\/freedesktop\/secrets\/collection\/[^']*' object does not exist/, code: 'KEYCHAIN_LOCKED', cause: NO_DEFAULT_KEYRING, seen: 'provoked' },
  { text: /Timeout was reached/, code: 'KEYCHAIN_TIMEOUT', cause: 'the keyring service did not answer on D-Bus (it hangs, or a prompt is waiting)', seen: 'provoked' },
  { text: /org\.freedesktop\.Secret\.Error\.IsLocked/, code: 'KEYCHAIN_LOCKED', cause: 'the keyring is locked', seen: 'documented' },
  { text: /Did not receive a reply/, code: 'KEYCHAIN_TIMEOUT', cause: 'the keyring service did not answer on D-Bus', seen: 'documented' },
  { text: /AccessDenied|Access denied|Prompt dismissed/i, code: 'KEYCHAIN_DENIED', cause: 'access to the keyring was refused', seen: 'documented' },
  // macOS: SecCopyErrorMessageString texts (errSecUserCanceled -128, errSecAuthFailed -25293, errSecInteractionNotAllowed -25308, errSecNoSuchKeychain -25294, errSecNoDefaultKeychain -25307).
  { text: /User canceled the operation/, code: 'KEYCHAIN_DENIED', cause: 'the keychain access prompt was cancelled', seen: 'documented' },
  { text: /The user name or passphrase you entered is not correct/, code: 'KEYCHAIN_DENIED', cause: 'the keychain refused access (wrong keychain password, or access was denied)', seen: 'documented' },
  { text: /User interaction is not allowed/, code: 'KEYCHAIN_LOCKED', cause: 'the keychain is locked and this session (SSH, a service) cannot show the unlock prompt', seen: 'documented' },
  { text: /keychain could not be found|No keychain could be found/i, code: 'KEYCHAIN_NO_PROVIDER', cause: 'this user has no default keychain', seen: 'documented' },
  // Windows: FormatMessage texts (ERROR_NO_SUCH_LOGON_SESSION 1312, ERROR_ACCESS_DENIED 5).
  { text: /A specified logon session does not exist/, code: 'KEYCHAIN_NO_PROVIDER', cause: 'Credential Manager is not available in this logon session (a service or a network logon)', seen: 'documented' },
  { text: /Access is denied/, code: 'KEYCHAIN_DENIED', cause: 'Credential Manager refused access', seen: 'documented' },
  // Loading the module itself (keytar-secret-store.ts loads it lazily).
  { text: /Cannot find (module|package) '@github\/keytar'/, code: 'KEYCHAIN_NO_PROVIDER', cause: 'this copy of n8n-setup has no keychain module (the single-file CLI, e.g. inside the n8n container)', seen: 'provoked' },
  { text: /Failed to load keytar native addon|libsecret-1\.so/, code: 'KEYCHAIN_NO_PROVIDER', cause: 'the keychain module cannot load its native part (on Linux: libsecret-1.so.0 is missing; install libsecret-1-0)', seen: 'documented' },
];

export function classifyKeychainError(text: string): KeychainCause {
  const known = KNOWN_KEYCHAIN_TEXTS.find((row) => row.text.test(text));
  return known ? { code: known.code, cause: known.cause, ...(known.repair !== undefined && { repair: known.repair }) } : { code: 'KEYCHAIN_FAILED', cause: 'the keychain reported an error this tool does not recognise' };
}

export function isKeychainError(error: unknown): error is SetupError {
  return error instanceof SetupError && (KEYCHAIN_ERROR_CODES as readonly string[]).includes(error.code);
}

export interface KeychainErrorContext extends KeychainCause {
  /** "Cannot read the SMTP password of profile "prod" from the Secret Service keyring". */
  failed: string;
  /** The backend's own words, kept for support; they never contain the secret. */
  backendText?: string;
  /** The secret concerned, to name the right option in the choices; undefined: both. */
  kind?: SecretKind;
  platform: NodeJS.Platform;
}

export function keychainError(context: KeychainErrorContext, options?: { cause?: unknown }): SetupError {
  const said = context.backendText ? ` The keychain said: "${context.backendText}".` : '';
  return new SetupError({ code: context.code, message: `${context.failed}: ${context.cause}.${said}`, fix: choices(context) }, options);
}

/** The fail-closed choices, in the order an admin on a server most likely wants them. */
function choices(context: KeychainErrorContext): string {
  const option = context.kind ? SECRET_KINDS[context.kind].option : '--password-stdin (or --private-key-file FILE)';
  return [
    `Choose one: use the secret for this run only — give it with ${option}, nothing is stored;`,
    `or write it only into the exported secret file — set "deploy": {"secrets": "file"} in the profile and export with ${option};`,
    `or ${repair(context)}, then run this again.`,
  ].join(' ');
}

function repair({ code, platform, repair: specific }: KeychainErrorContext): string {
  if (specific !== undefined) return specific;
  switch (code) {
    case 'KEYCHAIN_NO_DBUS':
      return 'run it in a desktop session, which has a D-Bus session bus and a keyring';
    case 'KEYCHAIN_NO_PROVIDER':
      return platform === 'linux' ? 'install and start a Secret Service provider (Debian/Ubuntu: gnome-keyring and libsecret-1-0) or use the installed app instead of the single-file CLI' : 'use the installed n8n-setup on a desktop session';
    case 'KEYCHAIN_LOCKED':
      return platform === 'darwin' ? 'unlock the login keychain (Keychain Access, or `security unlock-keychain`)' : 'unlock the login keyring (log in to the desktop, or unlock it in "Passwords and Keys")';
    case 'KEYCHAIN_DENIED':
      return 'allow n8n-setup when the keychain asks for access';
    case 'KEYCHAIN_TIMEOUT':
      return 'answer the keychain prompt on the desktop if one is waiting, or restart the keyring service';
    case 'KEYCHAIN_FAILED':
      return 'repair the keychain';
  }
}
