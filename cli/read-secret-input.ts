import { readFile } from 'node:fs/promises';
import { SetupError } from '../shared/errors.js';
import type { SecretFileVariable } from '../shared/export/secret-files.js';
import type { CliIo } from './cli-io.js';

/** Secrets given on this run: the password from stdin (one trailing newline removed), the key from a file. */
export async function readSecretInput(io: CliIo, values: { 'password-stdin'?: boolean; 'private-key-file'?: string }): Promise<Partial<Record<SecretFileVariable, string>>> {
  const secrets: Partial<Record<SecretFileVariable, string>> = {};
  if (values['password-stdin']) {
    const input = await io.readStdin();
    secrets.N8N_SMTP_PASS = input.replace(/\r?\n$/, '');
    if (secrets.N8N_SMTP_PASS === '') {
      throw new SetupError({ code: 'MISSING_SECRET', field: 'password', message: '--password-stdin read an empty password.', fix: "Pipe the password in, e.g. printf '%s' \"$SMTP_PASS\" | n8n-setup export …" });
    }
  }
  const keyFile = values['private-key-file'];
  if (keyFile) {
    try {
      secrets.N8N_SMTP_OAUTH_PRIVATE_KEY = await readFile(keyFile, 'utf8');
    } catch (error) {
      throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'privateKey', message: `Cannot read --private-key-file ${keyFile}: ${(error as Error).message}`, fix: 'Check the path.' }, { cause: error });
    }
    secrets.N8N_SMTP_OAUTH_PRIVATE_KEY = privateKeyFrom(secrets.N8N_SMTP_OAUTH_PRIVATE_KEY);
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
