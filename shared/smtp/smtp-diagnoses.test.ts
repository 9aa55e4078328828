import { describe, expect, it } from 'vitest';
import { N8N_VARIABLES } from '../n8n/n8n-variables.js';
import { parseProfile } from '../profile/parse-profile.js';
import { diagnose, SMTP_DIAGNOSES, SMTP_FAILURE_CLASSES } from './smtp-diagnoses.js';

/** The failure classes of the SMTP reference (reference/smtp.md), in its order. */
const REFERENCE_CLASSES = [
  'DNS_NOT_FOUND', 'DNS_TIMEOUT', 'CONNECTION_REFUSED', 'NETWORK_UNREACHABLE', 'CONNECT_TIMEOUT', 'SSL_ON_PLAIN_PORT', 'PLAIN_ON_SSL_PORT',
  'NO_GREETING', 'TLS_HANDSHAKE_TIMEOUT', 'CERT_SELF_SIGNED', 'CERT_HOSTNAME_MISMATCH', 'CERT_EXPIRED', 'CERT_UNTRUSTED', 'STARTTLS_NOT_OFFERED',
  'TLS_FAILED', 'SERVER_REFUSED', 'CONNECTION_CLOSED', 'CREDENTIALS_MISSING', 'TLS_REQUIRED_FOR_AUTH', 'APP_PASSWORD_REQUIRED', 'SMTP_AUTH_DISABLED',
  'AUTH_TEMPORARY', 'AUTH_FAILED', 'OAUTH2_FAILED', 'TLS_REQUIRED', 'AUTH_REQUIRED', 'HELO_REJECTED', 'RELAY_DENIED', 'SENDER_REJECTED',
  'TEMPORARY_REJECT', 'RECIPIENT_REJECTED', 'ADDRESS_INVALID', 'MESSAGE_REJECTED',
];

const context = { host: 'smtp.example.com', port: 587, sender: 'n8n <n8n@example.com>', to: 'admin@example.com' };

const profile = {
  version: 1,
  email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'none', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' },
  url: { public: 'https://n8n.example.com/' },
};

describe('SMTP_DIAGNOSES', () => {
  it('has exactly the reference\'s classes (at least 25) plus CANCELLED', () => {
    expect(REFERENCE_CLASSES.length).toBeGreaterThanOrEqual(25);
    expect(SMTP_FAILURE_CLASSES).toEqual([...REFERENCE_CLASSES, 'CANCELLED']);
  });

  it.each(SMTP_FAILURE_CLASSES)('%s says in one plain sentence what to change, naming real n8n variables', (failure) => {
    const text = diagnose(failure, context);
    expect(text.message).toMatch(/^[A-Z0-9$].*[.)]$/);
    expect(text.message).not.toMatch(/undefined|\[object/);
    for (const variable of text.variables) expect(Object.keys(N8N_VARIABLES)).toContain(variable);
    expect(['connection', 'auth', 'rejected', 'cancelled']).toContain(text.kind);
  });

  it.each(SMTP_FAILURE_CLASSES.filter((c) => diagnose(c, context).patch))('%s has a patch that makes a valid profile', (failure) => {
    const patch = diagnose(failure, context).patch;
    const patched = { ...profile, email: { ...profile.email, ...patch?.email } };
    expect(parseProfile(patched).ok).toBe(true);
  });

  it('offers the one-click patches the classic mistakes need', () => {
    expect(SMTP_DIAGNOSES.SSL_ON_PLAIN_PORT.patch).toEqual({ email: { security: 'starttls' } });
    expect(SMTP_DIAGNOSES.PLAIN_ON_SSL_PORT.patch).toEqual({ email: { security: 'tls' } });
    expect(diagnose('SSL_ON_PLAIN_PORT', context).message).toContain('N8N_SMTP_SSL=false');
  });

  it('words the message with the host, port and addresses of the test', () => {
    expect(diagnose('CONNECT_TIMEOUT', context).message).toContain('smtp.example.com port 587');
    expect(diagnose('RECIPIENT_REJECTED', context).message).toContain('admin@example.com');
    expect(diagnose('SENDER_REJECTED', context).message).toContain('n8n <n8n@example.com>');
  });
});
