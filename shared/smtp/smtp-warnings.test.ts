import { describe, expect, it } from 'vitest';
import { n8nMailerFromVariables, type SmtpVariables } from './n8n-mailer.js';
import { NO_SESSION } from './smtp-session.js';
import { lintMailer, sessionWarnings } from './smtp-warnings.js';

const lint = (variables: SmtpVariables) => lintMailer(n8nMailerFromVariables({ N8N_SMTP_SENDER: 'n8n@example.com', ...variables })).map((w) => w.code);

describe('lintMailer', () => {
  it('flags 465 without TLS, with the patch to turn TLS on', () => {
    const [warning] = lintMailer(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: '465', N8N_SMTP_SSL: 'false', N8N_SMTP_SENDER: 'a@b.c' }));
    expect(warning).toMatchObject({ code: 'LINT_465_WITHOUT_TLS', variables: ['N8N_SMTP_SSL'], patch: { email: { security: 'tls' } } });
  });

  it.each([25, 587, 2525])('flags TLS on the STARTTLS port %i, also when SSL is only n8n\'s default', (port) => {
    expect(lint({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: String(port) })).toEqual(['LINT_TLS_ON_STARTTLS_PORT']);
    const [explicit] = lintMailer(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: String(port), N8N_SMTP_SSL: 'true', N8N_SMTP_SENDER: 'a@b.c' }));
    expect(explicit?.message).toContain('N8N_SMTP_SSL is true');
  });

  it('flags n8n\'s 465/TLS defaults left in place for a provider that only offers 587', () => {
    const warnings = lintMailer(n8nMailerFromVariables({ N8N_SMTP_HOST: 'smtp.office365.com', N8N_SMTP_USER: 'me@contoso.com', N8N_SMTP_PASS: 'x' }));
    expect(warnings.map((w) => w.code)).toEqual(['LINT_N8N_DEFAULTS']);
    expect(warnings[0]?.patch).toEqual({ email: { port: 587, security: 'starttls' } });
  });

  it('does not flag the defaults for a provider that offers 465', () => {
    expect(lint({ N8N_SMTP_HOST: 'smtp.gmail.com' })).toEqual([]);
  });

  it('flags a missing sender when the user is not an address, a user without password, and values n8n ignores', () => {
    expect(lintMailer(n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: '465', N8N_SMTP_USER: 'apikey', N8N_SMTP_STARTTLS: 'yes' })).map((w) => w.code)).toEqual([
      'LINT_VALUE_IGNORED',
      'LINT_NO_SENDER',
      'LINT_LOGIN_INCOMPLETE',
    ]);
  });

  it('marks Outlook.com as unsupported', () => {
    expect(lint({ N8N_SMTP_HOST: 'smtp-mail.outlook.com', N8N_SMTP_PORT: '587', N8N_SMTP_SSL: 'false' })).toEqual(['LINT_PROVIDER_UNSUPPORTED']);
  });
});

describe('sessionWarnings', () => {
  const login = n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_PORT: '587', N8N_SMTP_SSL: 'false', N8N_SMTP_USER: 'u', N8N_SMTP_PASS: 'p' });

  it('warns when the session stayed unencrypted and when the login was skipped', () => {
    expect(sessionWarnings(login, NO_SESSION).map((w) => w.code)).toEqual(['WARN_PLAINTEXT', 'WARN_AUTH_SKIPPED']);
  });

  it('says nothing for an encrypted, authenticated session', () => {
    expect(sessionWarnings(login, { ...NO_SESSION, encrypted: true, authenticated: true })).toEqual([]);
  });

  it('offers the STARTTLS patch when STARTTLS was switched off', () => {
    const off = n8nMailerFromVariables({ N8N_SMTP_HOST: 'h', N8N_SMTP_STARTTLS: 'false', N8N_SMTP_SSL: 'false' });
    expect(sessionWarnings(off, NO_SESSION)[0]).toMatchObject({ code: 'WARN_PLAINTEXT', patch: { email: { security: 'starttls' } } });
  });
});
