import { CONTAINER, type VariableName } from '../n8n/n8n-variables.js';

/** Secrets that can be delivered as Docker secret files, with their compose secret names. */
export const SECRET_FILES = {
  N8N_SMTP_PASS: 'n8n_smtp_pass',
  N8N_SMTP_OAUTH_PRIVATE_KEY: 'n8n_smtp_oauth_private_key',
  N8N_ENCRYPTION_KEY: 'n8n_encryption_key',
} as const satisfies Partial<Record<VariableName, string>>;

export type SecretFileVariable = keyof typeof SECRET_FILES;

export const SECRETS_FOLDER = 'secrets';

export function secretFilePath(variable: SecretFileVariable): string {
  return `${SECRETS_FOLDER}/${SECRET_FILES[variable]}`;
}

export function secretContainerPath(variable: SecretFileVariable): string {
  return `${CONTAINER.secretsDir}/${SECRET_FILES[variable]}`;
}
