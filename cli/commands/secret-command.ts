import { resolve } from 'node:path';
import { readProfileFile, type LoadedProfile } from '../../services/profile/read-profile-file.js';
import { systemSecretStore } from '../../services/secrets/keytar-secret-store.js';
import { deleteProfileSecrets, profileSecretStatus, storeProfileSecret, type ProfileSecretState } from '../../services/secrets/profile-secrets.js';
import { KEYCHAIN_SERVICE, SECRET_KIND_NAMES, SECRET_KINDS, secretAccount, secretKindsFor, type SecretKind } from '../../services/secrets/secret-accounts.js';
import type { SecretStore } from '../../services/secrets/secret-store.js';
import { SetupError } from '../../shared/errors.js';
import { normalizeSecretValue } from '../../shared/export/secret-value-rules.js';
import { secretVariableOfKind } from '../../shared/n8n/n8n-variables.js';
import { describeSmtpEndpoint, smtpEndpointOf, type SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';
import { invalidArgument, type CliIo } from '../cli-io.js';
import { parseCommandArgs } from '../parse-command-args.js';
import { readGivenSecrets } from '../read-secret-input.js';

export const SECRET_HELP = `Usage: n8n-setup secret <set|status|delete> --profile FILE [options]

Keeps a profile's SMTP password (or its Google service account's private key) in the OS
keychain: macOS Keychain, Windows Credential Manager, or the Secret Service (gnome-keyring,
KeePassXC) on Linux. export uses it when no --password-stdin or --private-key-file is given.
Entries: service "${KEYCHAIN_SERVICE}", account "<profile name>/smtp-password" or
"<profile name>/oauth-private-key" (see docs/keychain.md). Each entry is bound to the server
of the profile it was stored with (host, port and user): export and smtp-test refuse to send
it anywhere else unless --secret-for-new-server is given.

  set      store the secret given with --password-stdin or --private-key-file FILE
  status   say whether each secret is stored, and for which server; never prints a secret
  delete   remove the profile's entries

Options:
  --profile FILE           the profile JSON; its "name" (default "default") names the entries
  --password-stdin         set: read the SMTP password from standard input (one trailing newline removed)
  --private-key-file FILE  set: the service account's private key (PEM, or its JSON key file)
  --json                   print one JSON object instead of text
  -h, --help               show this help

If the keychain cannot be used (no D-Bus session over SSH, locked, access denied), nothing is
written anywhere; the error lists the choices: give the secret for each run only, or write it
only into the exported secret file ("deploy": {"secrets": "file"}).
Exit codes: 0 success, 2 invalid input, 1 anything else (such as an unusable keychain).
`;

const ACTIONS = ['set', 'status', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

export async function secretCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') return io.stdout(SECRET_HELP), action === undefined ? 2 : 0;
  if (!(ACTIONS as readonly string[]).includes(action)) throw invalidArgument(`secret: unknown action "${action}".`, 'Use one of: secret set, secret status, secret delete.');
  const { values } = parseCommandArgs(`secret ${action}`, rest, {
    profile: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    'private-key-file': { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return io.stdout(SECRET_HELP), 0;
  if (!values.profile) throw invalidArgument(`secret ${action}: --profile FILE is required.`, 'Pass the profile JSON, e.g. --profile production.json.');
  if (action !== 'set' && (values['password-stdin'] || values['private-key-file'])) {
    throw invalidArgument(`secret ${action}: --password-stdin and --private-key-file belong to "secret set".`);
  }
  const loaded = await readProfileFile(resolve(io.cwd, values.profile));
  const store = io.secretStore ?? systemSecretStore();
  const json = Boolean(values.json);
  const run: Record<Action, () => Promise<number>> = {
    set: () => setSecret(io, store, loaded, values, json),
    status: () => showStatus(io, store, loaded, json),
    delete: () => deleteSecrets(io, store, loaded, json),
  };
  return run[action as Action]();
}

async function setSecret(io: CliIo, store: SecretStore, loaded: LoadedProfile, values: { 'password-stdin'?: boolean; 'private-key-file'?: string }, json: boolean): Promise<number> {
  const { kind, endpoint } = kindToSet(loaded, values);
  const given = await readGivenSecrets(io, values);
  const variable = secretVariableOfKind(kind);
  // The rules export applies: a password n8n would alter is refused now, not after it was stored.
  const secret = normalizeSecretValue(variable, given[variable] ?? '');
  const account = await storeProfileSecret(store, loaded.resolved.name, kind, secret, endpoint);
  if (json) io.stdout(`${JSON.stringify({ ok: true, profile: loaded.resolved.name, stored: { kind, service: KEYCHAIN_SERVICE, account, boundTo: endpoint }, backend: store.backend })}\n`);
  else io.stdout(`Stored the ${SECRET_KINDS[kind].label} of profile "${loaded.resolved.name}" for ${describeSmtpEndpoint(endpoint)} in ${store.backend} (service "${KEYCHAIN_SERVICE}", account "${account}").\n`);
  return 0;
}

/** Exactly one option, and the one the profile's auth type uses (a key stored for a password profile is a mistake), with the server it is for. */
function kindToSet(loaded: LoadedProfile, values: { 'password-stdin'?: boolean; 'private-key-file'?: string }): { kind: SecretKind; endpoint: SmtpEndpoint } {
  const chosen = SECRET_KIND_NAMES.filter((kind) => (kind === 'smtp-password' ? values['password-stdin'] : values['private-key-file']));
  const [kind, other] = chosen;
  if (!kind || other) throw invalidArgument('secret set: give exactly one of --password-stdin and --private-key-file FILE.', "e.g. printf '%s' \"$SMTP_PASS\" | n8n-setup secret set --profile FILE --password-stdin");
  const needed = secretKindsFor(loaded.resolved);
  const endpoint = smtpEndpointOf(loaded.resolved);
  if (!endpoint || !needed.includes(kind)) {
    const uses = needed[0] ? `uses the ${SECRET_KINDS[needed[0]].label} (${SECRET_KINDS[needed[0]].option})` : 'needs no secret';
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'email.auth.type', message: `secret set: profile "${loaded.resolved.name}" ${uses}, so its ${SECRET_KINDS[kind].label} would never be used.`, fix: 'Check the profile\'s "email.auth" or the option.' });
  }
  return { kind, endpoint };
}

async function showStatus(io: CliIo, store: SecretStore, loaded: LoadedProfile, json: boolean): Promise<number> {
  const states = await profileSecretStatus(store, loaded.resolved);
  if (json) {
    io.stdout(`${JSON.stringify({ ok: true, profile: loaded.resolved.name, backend: store.backend, service: KEYCHAIN_SERVICE, secrets: states })}\n`);
    return 0;
  }
  const lines = [`Profile "${loaded.resolved.name}" in ${store.backend} (service "${KEYCHAIN_SERVICE}"):`];
  for (const state of states) {
    const use = state.needed ? 'used by this profile' : 'not used by this profile';
    lines.push(`  ${state.account.padEnd(28)} ${(state.stored ? 'stored' : 'not stored').padEnd(11)} (${use})`);
    if (state.stored) lines.push(`  ${''.padEnd(28)} ${boundToLine(state)}`);
  }
  const missing = states.find((s) => s.needed && !s.stored);
  if (missing) lines.push('', `Store it with: n8n-setup secret set --profile FILE ${SECRET_KINDS[missing.kind].option}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function boundToLine(state: ProfileSecretState): string {
  const where = state.boundTo ? `for ${describeSmtpEndpoint(state.boundTo)}` : 'for no server yet (stored by an earlier version)';
  return state.matchesProfile || !state.needed ? where : `${where}: not this profile's server, so export and smtp-test ask for --secret-for-new-server`;
}

async function deleteSecrets(io: CliIo, store: SecretStore, loaded: LoadedProfile, json: boolean): Promise<number> {
  const name = loaded.resolved.name;
  const deleted = await deleteProfileSecrets(store, name);
  if (json) io.stdout(`${JSON.stringify({ ok: true, profile: name, deleted: deleted.map((kind) => secretAccount(name, kind)) })}\n`);
  else if (deleted.length) io.stdout(`Deleted from ${store.backend}: ${deleted.map((kind) => `"${secretAccount(name, kind)}"`).join(', ')}.\n`);
  else io.stdout(`Nothing was stored for profile "${name}" in ${store.backend}.\n`);
  return 0;
}
