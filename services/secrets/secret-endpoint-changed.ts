/**
 * SECRET_ENDPOINT_CHANGED: a profile would send a stored secret to a server it was not stored for. The
 * message names both servers (never the secret); the wizard shows it as its question, the CLI adds the fix.
 */
import { SetupError } from '../../shared/errors.js';
import { changedEndpointField, describeSmtpEndpoint, type SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';
import { describeSecret, SECRET_KINDS, type SecretKind } from './secret-accounts.js';

export interface EndpointChange {
  profileName: string;
  kind: SecretKind;
  /** Where the stored secret belongs; undefined for a bare value stored by an earlier version. */
  stored: SmtpEndpoint | undefined;
  /** Where the profile would send it. */
  wanted: SmtpEndpoint;
}

export function secretEndpointChanged({ profileName, kind, stored, wanted }: EndpointChange): SetupError {
  const secret = describeSecret(profileName, kind).replace(/^the/, 'The');
  const to = `this profile would send it to ${describeSmtpEndpoint(wanted)}. It was not used.`;
  const { label, option } = SECRET_KINDS[kind];
  const field = stored && changedEndpointField(stored, wanted);
  return new SetupError({
    code: 'SECRET_ENDPOINT_CHANGED',
    ...(field && { field }),
    message: stored ? `${secret} belongs to ${describeSmtpEndpoint(stored)}, but ${to}` : `${secret} was stored without the server it belongs to (by an earlier version of n8n-setup), and ${to}`,
    fix: `If that server should get it, run again with --secret-for-new-server (the stored ${label} is then bound to that server); if not, store this server's ${label} with \`n8n-setup secret set --profile FILE ${option}\`, or give it for this run only with ${option}.`,
  });
}
