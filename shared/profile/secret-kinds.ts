/**
 * The words for each secret the profile supplies (the kinds the n8n table declares): what people call it, the
 * CLI option that gives it and the wizard field that holds it. Errors about a missing or refused secret use
 * these, wherever they are raised.
 */
import { secretKindOfVariable, type SecretKindName, type SecretVariable } from '../n8n/n8n-variables.js';

export const SECRET_KINDS = {
  'smtp-password': { label: 'SMTP password', option: '--password-stdin', field: 'password' },
  'oauth-private-key': { label: 'service-account private key', option: '--private-key-file FILE', field: 'privateKey' },
} as const satisfies Record<SecretKindName, { label: string; option: string; field: string }>;

export function secretWords(variable: SecretVariable): (typeof SECRET_KINDS)[SecretKindName] {
  return SECRET_KINDS[secretKindOfVariable(variable)];
}
