/**
 * The server a secret is sent to: host, port and the user it logs in as. A stored secret is bound to one
 * (services/secrets/secret-envelope.ts), so a profile that would send it elsewhere is caught first.
 */
import type { ResolvedProfile } from '../profile/resolve-profile.js';

export interface SmtpEndpoint {
  host: string;
  port: number;
  user: string;
}

/** The endpoint a profile logs in to; undefined when it sends no email or logs in with nothing. */
export function smtpEndpointOf(profile: ResolvedProfile): SmtpEndpoint | undefined {
  const email = profile.email;
  if (email.mode !== 'smtp' || email.auth.type === 'none') return undefined;
  return { host: email.host, port: email.port, user: email.auth.user };
}

/** The profile field of the first part that differs, or undefined when both are the same (host names ignore case). */
export function changedEndpointField(from: SmtpEndpoint, to: SmtpEndpoint): 'email.host' | 'email.port' | 'email.auth.user' | undefined {
  if (from.host.toLowerCase() !== to.host.toLowerCase()) return 'email.host';
  if (from.port !== to.port) return 'email.port';
  if (from.user !== to.user) return 'email.auth.user';
  return undefined;
}

/** `smtp.example.com:587 (user "apikey")`, `[2001:db8::1]:25 (user "n8n")`: for messages. */
export function describeSmtpEndpoint({ host, port, user }: SmtpEndpoint): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port} (user "${user}")`;
}
