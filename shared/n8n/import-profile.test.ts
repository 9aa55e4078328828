import { describe, expect, it } from 'vitest';
import { importProfile } from './import-profile.js';

function codes(environment: Record<string, string>) {
  return importProfile({ environment }).findings.map((f) => `${f.code}:${f.variable}`);
}

describe('importProfile', () => {
  it('rebuilds an SMTP profile from n8n variables', () => {
    const { profile, findings } = importProfile({
      environment: {
        N8N_SMTP_HOST: 'smtp.example.com',
        N8N_SMTP_PORT: '587',
        N8N_SMTP_SSL: 'false',
        N8N_SMTP_STARTTLS: 'true',
        N8N_SMTP_USER: 'apikey',
        N8N_SMTP_PASS: 'x',
        N8N_SMTP_SENDER: 'n8n <n8n@example.com>',
        N8N_EDITOR_BASE_URL: 'https://n8n.example.com/',
        N8N_PROXY_HOPS: '1',
        GENERIC_TIMEZONE: 'Europe/Berlin',
      },
    });
    expect(findings).toEqual([]);
    expect(profile).toMatchObject({
      email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
      url: { public: 'https://n8n.example.com/', proxyHops: 1 },
      deploy: { timezone: 'Europe/Berlin', secrets: 'env', encryptionKey: 'keep' },
    });
    expect(JSON.stringify(profile)).not.toContain('"x"');
  });

  it('reports booleans n8n does not accept and keeps its default', () => {
    const { profile, findings } = importProfile({ environment: { N8N_SMTP_HOST: 'h.example.com', N8N_SMTP_PORT: '465', N8N_SMTP_SSL: 'yes' } });
    expect(findings[0]).toMatchObject({ code: 'IGNORED_VALUE', variable: 'N8N_SMTP_SSL', message: expect.stringMatching(/only true, false, 1 or 0.*default \(true\)/) });
    expect(profile.email).toMatchObject({ security: 'tls' });
    expect(codes({ N8N_SMTP_HOST: 'h', N8N_SMTP_STARTTLS: 'true ' })).toContain('IGNORED_VALUE:N8N_SMTP_STARTTLS');
  });

  it('reports an uppercase protocol, which falls back to http', () => {
    const { profile, findings } = importProfile({ environment: { N8N_PROTOCOL: 'HTTPS', N8N_HOST: 'n8n.example.com' } });
    expect(findings.map((f) => f.code)).toContain('IGNORED_VALUE');
    expect(profile.url.public).toBe('http://n8n.example.com:5678/');
  });

  it('reports _FILE shadowed by a defined plain variable, even an empty one', () => {
    expect(codes({ N8N_SMTP_PASS: '', N8N_SMTP_PASS_FILE: '/run/secrets/p' })).toContain('FILE_SHADOWED:N8N_SMTP_PASS_FILE');
  });

  it('reports names n8n does not read', () => {
    expect(codes({ N8N_SMTP_PASSWORD: 'x', N8N_TRUST_PROXY: 'true', N8N_BASIC_AUTH_ACTIVE: 'true', WEBHOOK_TUNNEL_URL: 'x' })).toEqual(
      expect.arrayContaining(['UNKNOWN_VARIABLE:N8N_SMTP_PASSWORD', 'UNKNOWN_VARIABLE:N8N_TRUST_PROXY', 'UNKNOWN_VARIABLE:N8N_BASIC_AUTH_ACTIVE', 'UNKNOWN_VARIABLE:WEBHOOK_TUNNEL_URL']),
    );
  });

  it('reports values n8n trims or unquotes', () => {
    const { findings, profile } = importProfile({ environment: { N8N_SMTP_HOST: '"smtp.example.com"', N8N_SMTP_SENDER: ' n8n@example.com ' } });
    expect(findings.filter((f) => f.code === 'ALTERED_VALUE').map((f) => f.variable)).toEqual(['N8N_SMTP_HOST', 'N8N_SMTP_SENDER']);
    expect(profile.email).toMatchObject({ host: 'smtp.example.com', sender: 'n8n@example.com' });
  });

  it('reports invite links hidden while no SMTP is set up', () => {
    const { profile, findings } = importProfile({ environment: { N8N_INVITE_LINKS_EMAIL_ONLY: 'true' } });
    expect(profile.email).toEqual({ mode: 'none' });
    expect(findings.map((f) => f.code)).toContain('INVITE_LINKS_EMAIL_ONLY_WITHOUT_SMTP');
  });

  it('reports the classic SSL-on-587 mistake and localhost links', () => {
    expect(codes({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PORT: '587' })).toEqual(expect.arrayContaining(['SSL_ON_PLAIN_PORT:N8N_SMTP_SSL', 'LOCALHOST_LINKS:N8N_HOST']));
  });

  it('maps template and CA paths back through the mounts, and reports unmounted ones', () => {
    const mounts = [{ source: './templates', target: '/opt/n8n-templates' }];
    const { profile, findings } = importProfile({
      environment: { N8N_SMTP_HOST: 'h.example.com', N8N_UM_EMAIL_TEMPLATES_INVITE: '/opt/n8n-templates/invite.html', N8N_UM_EMAIL_TEMPLATES_PWRESET: '/data/reset.html' },
      mounts,
    });
    expect(profile.email).toMatchObject({ templates: { invite: { file: './templates/invite.html' } } });
    expect(findings.map((f) => `${f.code}:${f.variable}`)).toContain('TEMPLATE_NOT_MOUNTED:N8N_UM_EMAIL_TEMPLATES_PWRESET');
  });
});
