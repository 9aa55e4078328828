/**
 * What a keychain entry holds: the secret together with the server it was stored for, as the JSON text
 * `{"v":1,"host":…,"port":…,"user":…,"secret":…}`. A value stored before entries were bound is the bare
 * secret; it decodes without an endpoint and counts as bound to no server (see profile-secrets.ts).
 */
import { SetupError } from '../../shared/errors.js';
import type { SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';

export interface StoredSecret {
  secret: string;
  /** Absent for a bare value stored by an earlier version. */
  endpoint?: SmtpEndpoint;
}

export function encodeStoredSecret(secret: string, { host, port, user }: SmtpEndpoint): string {
  return JSON.stringify({ v: 1, host, port, user, secret });
}

/** `account` only names the entry in the error for an envelope this version cannot read. */
export function decodeStoredSecret(entry: string, account: string): StoredSecret {
  const envelope = parseEnvelope(entry);
  if (envelope === undefined) return { secret: entry };
  const { v, host, port, user, secret } = envelope;
  if (v === 1 && typeof host === 'string' && typeof port === 'number' && typeof user === 'string' && typeof secret === 'string') return { secret, endpoint: { host, port, user } };
  // Never fall back to sending the envelope's text as a password.
  throw new SetupError({
    code: 'SECRET_UNREADABLE',
    message: `The keychain entry "${account}" holds a format this version of n8n-setup does not read (version ${JSON.stringify(v)}).`,
    fix: 'Update n8n-setup, or store the secret again with `n8n-setup secret set`.',
  });
}

/** The entry's fields when it is an envelope (a JSON object with "v" and "secret"), else undefined. */
function parseEnvelope(entry: string): Record<string, unknown> | undefined {
  if (!entry.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(entry);
    return value !== null && typeof value === 'object' && 'v' in value && 'secret' in value ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
