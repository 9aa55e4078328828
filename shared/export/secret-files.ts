import { CONTAINER, SECRET_FILES, type SecretFileVariable } from '../n8n/n8n-variables.js';

/** Secrets delivered as Docker secret files: the compose secret names come from the n8n table. */
export { SECRET_FILES, type SecretFileVariable };

export const SECRETS_FOLDER = 'secrets';

export function secretFilePath(variable: SecretFileVariable): string {
  return `${SECRETS_FOLDER}/${SECRET_FILES[variable]}`;
}

export function secretContainerPath(variable: SecretFileVariable): string {
  return `${CONTAINER.secretsDir}/${SECRET_FILES[variable]}`;
}
