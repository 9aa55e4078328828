import { describe, expect, it } from 'vitest';
import { holdsSecretByName } from './secret-names.js';

describe('holdsSecretByName', () => {
  it("counts n8n's own secret variables", () => {
    for (const name of ['N8N_SMTP_PASS', 'N8N_SMTP_OAUTH_PRIVATE_KEY', 'N8N_ENCRYPTION_KEY']) expect(holdsSecretByName(name), name).toBe(true);
  });

  it('counts the spellings admins write by hand for the SMTP password', () => {
    for (const name of ['SMTP_PASS', 'SMTP_PASSWORD', 'SMTP_PASSWD', 'SMTP_PWD', 'SMTP_PW', 'MAIL_PASSWORD', 'EMAIL_PASSWORD', 'N8N_SMTP_PASSWORD', 'MAILPASSWORD', 'smtpPassword']) expect(holdsSecretByName(name), name).toBe(true);
  });

  it('counts passwords, tokens, keys and credentials of any service', () => {
    for (const name of ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'RUNNERS_AUTH_TOKEN', 'CLOUDFLARE_TUNNEL_TOKEN', 'ENCRYPTION_KEY', 'API_KEY', 'OPENAI_APIKEY', 'N8N_USER_MANAGEMENT_JWT_SECRET', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_CREDENTIALS', 'SSH_PRIVATE_KEY', 'SESSION_SALT', 'CLIENTSECRET', 'GITHUB_TOKEN', 'BACKUP_PASSPHRASE']) expect(holdsSecretByName(name), name).toBe(true);
  });

  it('does not count what says where a secret is or whom it belongs to', () => {
    for (const name of ['N8N_SMTP_PASS_FILE', 'SMTP_PASSWORD_FILE', 'SSH_KEY_PATH', 'API_KEY_ID', 'TOKEN_URL', 'SECRET_NAME', 'SMTP_USER', 'SMTP_HOST', 'POSTGRES_USER']) expect(holdsSecretByName(name), name).toBe(false);
  });

  it('does not count words that only contain a secret word, nor the shell working folder', () => {
    for (const name of ['BYPASS_PROXY', 'COMPASS_URL', 'KEYBOARD_LAYOUT', 'MONKEY', 'N8N_PASSTHROUGH', 'PWD', 'OLDPWD', 'N8N_HOST', 'SSL_EMAIL', 'GENERIC_TIMEZONE', '']) expect(holdsSecretByName(name), name).toBe(false);
  });
});
