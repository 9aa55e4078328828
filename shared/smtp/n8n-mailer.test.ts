import { describe, expect, it } from 'vitest';
import { parseProfile } from '../profile/parse-profile.js';
import { resolveProfile } from '../profile/resolve-profile.js';
import { describeMailer, n8nMailerFromVariables, smtpVariablesFromProfile } from './n8n-mailer.js';

function resolved(email: unknown) {
  const parsed = parseProfile({ version: 1, email, url: { public: 'https://n8n.example.com/' } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return resolveProfile(parsed.value);
}

describe('n8nMailerFromVariables', () => {
  it('takes n8n\'s defaults for what is unset: port 465 with TLS, STARTTLS on, no login', () => {
    const mailer = n8nMailerFromVariables({ N8N_SMTP_HOST: 'smtp.example.com' });
    expect(mailer).toMatchObject({ enabled: true, transport: { host: 'smtp.example.com', port: 465, secure: true, ignoreTLS: false }, login: 'none', sender: '' });
    expect(mailer.transport.auth).toBeUndefined();
    expect([...mailer.given]).toEqual(['N8N_SMTP_HOST']);
  });

  it('logs in only when user and password are both set, and uses an address-like user as sender', () => {
    expect(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_USER: 'me@example.com' })).toMatchObject({ login: 'none', sender: 'me@example.com' });
    expect(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_USER: 'apikey', N8N_SMTP_PASS: 'x' })).toMatchObject({ login: 'password', sender: '', transport: { auth: { user: 'apikey', pass: 'x' } } });
  });

  it('lets service-account OAuth2 replace the password and turns the two characters \\n into newlines', () => {
    const mailer = n8nMailerFromVariables({ N8N_SMTP_HOST: 'smtp.gmail.com', N8N_SMTP_USER: 'a@b.c', N8N_SMTP_PASS: 'pw', N8N_SMTP_OAUTH_SERVICE_CLIENT: '42', N8N_SMTP_OAUTH_PRIVATE_KEY: 'L1\\nL2' });
    expect(mailer.transport.auth).toEqual({ type: 'OAuth2', user: 'a@b.c', serviceClient: '42', privateKey: 'L1\nL2' });
  });

  it('says which values n8n ignores or alters, without repeating a secret', () => {
    const mailer = n8nMailerFromVariables({ N8N_SMTP_HOST: ' smtp.example.com', N8N_SMTP_SSL: 'yes', N8N_SMTP_PASS: ' hunter22 ', N8N_SMTP_USER: 'u' });
    expect(mailer.readNotes.map((n) => `${n.kind}:${n.variable}`)).toEqual(['altered:N8N_SMTP_HOST', 'altered:N8N_SMTP_PASS', 'ignored:N8N_SMTP_SSL']);
    expect(JSON.stringify(mailer.readNotes)).not.toContain('hunter22');
  });

  it('is not enabled without a host or with N8N_EMAIL_MODE empty', () => {
    expect(n8nMailerFromVariables({}).enabled).toBe(false);
    expect(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_EMAIL_MODE: '' }).enabled).toBe(false);
  });
});

describe('smtpVariablesFromProfile', () => {
  it('gives the variables export writes, with this run\'s secret', () => {
    const profile = resolved({ mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' });
    const variables = smtpVariablesFromProfile(profile, { N8N_SMTP_PASS: 's3cret' });
    expect(variables).toEqual({
      N8N_EMAIL_MODE: 'smtp',
      N8N_SMTP_HOST: 'smtp.example.com',
      N8N_SMTP_PORT: '587',
      N8N_SMTP_SSL: 'false',
      N8N_SMTP_STARTTLS: 'true',
      N8N_SMTP_USER: 'apikey',
      N8N_SMTP_PASS: 's3cret',
      N8N_SMTP_SENDER: 'n8n <n8n@example.com>',
    });
    expect(n8nMailerFromVariables(variables).transport).toEqual({ host: 'smtp.example.com', port: 587, secure: false, ignoreTLS: false, auth: { user: 'apikey', pass: 's3cret' } });
  });

  it('maps security "none" to STARTTLS off and "tls" to SSL on', () => {
    const none = smtpVariablesFromProfile(resolved({ mode: 'smtp', host: 'relay', port: 25, security: 'none', auth: { type: 'none' }, sender: 'n8n@example.com' }), {});
    expect(n8nMailerFromVariables(none).transport).toMatchObject({ secure: false, ignoreTLS: true });
    const tls = smtpVariablesFromProfile(resolved({ mode: 'smtp', host: 'relay', port: 465, security: 'tls', auth: { type: 'none' }, sender: 'n8n@example.com' }), {});
    expect(n8nMailerFromVariables(tls).transport).toMatchObject({ secure: true });
  });
});

describe('describeMailer', () => {
  it('lists the settings the way .env spells them, secrets only as "(set, not shown)"', () => {
    const rows = describeMailer(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: '587', N8N_SMTP_USER: 'u', N8N_SMTP_PASS: 'hunter22' }));
    expect(rows.map((r) => `${r.variable}=${r.value}`)).toEqual([
      'N8N_SMTP_HOST=h',
      'N8N_SMTP_PORT=587',
      'N8N_SMTP_SSL=true',
      'N8N_SMTP_STARTTLS=true',
      'N8N_SMTP_USER=u',
      'N8N_SMTP_PASS=(set, not shown)',
      'N8N_SMTP_SENDER=',
    ]);
  });
});
