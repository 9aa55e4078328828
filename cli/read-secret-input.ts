import { resolve } from 'node:path';
import { decodeTextInput, readTextFile } from '../services/input/read-text-input.js';
import type { LoadedProfile } from '../services/profile/read-profile-file.js';
import { SetupError } from '../shared/errors.js';
import type { SecretFileVariable } from '../shared/export/secret-files.js';
import { deriveN8nSettings } from '../shared/n8n/derive-n8n-settings.js';
import type { CliIo } from './cli-io.js';

export interface SecretOptions {
  'password-stdin'?: boolean;
  'private-key-file'?: string;
  /** Use a stored secret for a server it was not stored for (and bind it there once the run succeeded). */
  'secret-for-new-server'?: boolean;
}

/**
 * The secrets for this run: the password from stdin (one trailing newline removed), the key from a file,
 * and, when `loaded` is given, whatever the profile needs and neither option gave from the keychain
 * (`n8n-setup secret set`). A secret not stored is simply absent, for the caller to keep an existing one or
 * refuse. A keychain that cannot be used throws its typed error (KEYCHAIN_*): there is no fallback.
 */
export async function readSecretInput(io: CliIo, values: SecretOptions, loaded?: LoadedProfile): Promise<SecretInput> {
  const input = await collectSecretInput(io, values, loaded);
  if (input.keychainProblem) throw input.keychainProblem;
  return input;
}

import type { RunSecrets as SecretInput } from '../services/secrets/secrets-for-run.js';

export type { SecretInput };

/** readSecretInput for export, which can still keep the secret already in its target: the problem is returned. */
export async function collectSecretInput(io: CliIo, values: SecretOptions, loaded?: LoadedProfile): Promise<SecretInput> {
  const secrets = await readGivenSecrets(io, values);
  if (!loaded || deriveN8nSettings(loaded.resolved).secrets.every((variable) => secrets[variable] !== undefined)) return { secrets };
  // Imported here, not at the top; keytar itself is loaded only if a needed secret is still missing.
  const [{ secretsForRun }, { systemSecretStore }] = await Promise.all([
    import('../services/secrets/secrets-for-run.js'),
    import('../services/secrets/keytar-secret-store.js'),
  ]);
  return secretsForRun(io.secretStore ?? systemSecretStore(), loaded.resolved, secrets, { secretForNewServer: Boolean(values['secret-for-new-server']) });
}

/** Only what the command line gives: `secret set` stores exactly this. */
export async function readGivenSecrets(io: CliIo, values: SecretOptions): Promise<Partial<Record<SecretFileVariable, string>>> {
  const secrets: Partial<Record<SecretFileVariable, string>> = {};
  if (values['password-stdin']) {
    const input = decodeTextInput(await io.readStdin(), {
      name: '--password-stdin',
      field: 'password',
      holds: 'the password',
      refuseNul: true,
      fix: "Pipe the password as UTF-8 text, e.g. printf '%s' \"$SMTP_PASS\" | n8n-setup … --password-stdin from a UTF-8 terminal or file (iconv -f latin1 -t utf-8 converts one).",
    });
    secrets.N8N_SMTP_PASS = input.replace(/\r?\n$/, '');
    if (secrets.N8N_SMTP_PASS === '') {
      throw new SetupError({ code: 'MISSING_SECRET', field: 'password', message: '--password-stdin read an empty password.', fix: "Pipe the password in, e.g. printf '%s' \"$SMTP_PASS\" | n8n-setup … --password-stdin" });
    }
  }
  const keyFile = values['private-key-file'];
  if (keyFile) {
    const text = readTextFile(resolve(io.cwd, keyFile), { name: `--private-key-file ${keyFile}`, field: 'privateKey', holds: 'the private key', refuseNul: true });
    if (text === undefined) {
      throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'privateKey', message: `Cannot read --private-key-file ${keyFile}: there is no such file.`, fix: 'Check the path.' });
    }
    secrets.N8N_SMTP_OAUTH_PRIVATE_KEY = privateKeyFrom(text);
    if (!secrets.N8N_SMTP_OAUTH_PRIVATE_KEY.includes('PRIVATE KEY-----')) {
      throw new SetupError({ code: 'INVALID_VALUE', field: 'privateKey', message: `${keyFile} holds no PEM private key.`, fix: 'Use the "private_key" from the service account\'s JSON key, saved as a PEM file.' });
    }
  }
  return secrets;
}

/** Google hands out the key inside a JSON file; accept that as well as a bare PEM. */
function privateKeyFrom(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    const json = JSON.parse(text) as { private_key?: unknown };
    return typeof json.private_key === 'string' ? json.private_key : text;
  } catch {
    return text;
  }
}
