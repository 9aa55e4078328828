import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareInstance, type Finding } from './compare-instance.js';
import { readPublicSettings } from './public-settings.js';

const recorded: unknown = JSON.parse(readFileSync(new URL('../../test/fixtures/n8n/public-settings-2.41.1.json', import.meta.url), 'utf8'));
const byTopic = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.topic, f]));

describe('readPublicSettings', () => {
  it("reads n8n 2.41.1's recorded answer: SMTP, the instance URL from the OIDC login URL, the cookie", () => {
    expect(readPublicSettings(recorded)).toEqual({ smtpSetup: false, instanceUrl: 'http://localhost:5690', secureCookie: true });
  });

  it('keeps a sub-path and a custom REST endpoint out of the instance URL', () => {
    const body = { data: { settingsMode: 'public', sso: { oidc: { loginUrl: 'https://example.com/tools/n8n/api/sso/oidc/login' } } } };
    expect(readPublicSettings(body)?.instanceUrl).toBe('https://example.com/tools/n8n');
  });

  it('leaves out what an older n8n does not publish', () => {
    expect(readPublicSettings({ data: { settingsMode: 'public', userManagement: { smtpSetup: true } } })).toEqual({ smtpSetup: true });
  });

  it('says "not n8n" (undefined) for anything else', () => {
    expect(readPublicSettings(undefined)).toBeUndefined();
    expect(readPublicSettings({ status: 'ok' })).toBeUndefined();
    expect(readPublicSettings('<html>')).toBeUndefined();
  });
});

describe('compareInstance', () => {
  const expected = { publicUrl: 'https://n8n.example.com/', email: 'smtp' as const };

  it('finds nothing wrong when n8n runs as the profile says, whatever the spelling of the URL', () => {
    const findings = compareInstance({ instanceUrl: 'https://N8N.example.com:443', smtpSetup: true, secureCookie: true }, expected);
    expect(findings.map((f) => [f.code, f.status])).toEqual([
      ['URL_MATCHES', 'ok'],
      ['SMTP_SET_UP', 'ok'],
      ['COOKIE_MATCHES', 'ok'],
    ]);
  });

  it("blames a container not recreated, or .env not passed, when n8n uses its built-in localhost URL", () => {
    const { url, smtp } = byTopic(compareInstance({ instanceUrl: 'http://localhost:5678', smtpSetup: false, secureCookie: true }, expected));
    expect(url).toMatchObject({ code: 'URL_DEFAULT', status: 'mismatch', expected: 'https://n8n.example.com', actual: 'http://localhost:5678' });
    expect(url?.causes?.[0]).toMatch(/not recreated/);
    expect(url?.causes?.[1]).toMatch(/env_file: \.env/);
    expect(url?.fix).toMatch(/docker compose up -d/);
    expect(smtp).toMatchObject({ code: 'SMTP_NOT_SET_UP', status: 'mismatch', expected: true, actual: false });
  });

  it('names the proxy variables when n8n knows the host but not the scheme, port or sub-path', () => {
    const { url } = byTopic(compareInstance({ instanceUrl: 'http://n8n.example.com:5678' }, expected));
    expect(url).toMatchObject({ code: 'URL_PROXY_VARIABLES_MISSING', status: 'mismatch' });
    expect(url?.causes?.[0]).toMatch(/N8N_EDITOR_BASE_URL/);
    const subPath = byTopic(compareInstance({ instanceUrl: 'https://example.com' }, { publicUrl: 'https://example.com/tools/n8n/' })).url;
    expect(subPath?.code).toBe('URL_PROXY_VARIABLES_MISSING');
  });

  it('points at an older value elsewhere when n8n believes in another address', () => {
    const { url } = byTopic(compareInstance({ instanceUrl: 'https://old.example.com' }, expected));
    expect(url?.code).toBe('URL_OTHER_ADDRESS');
    expect(url?.causes?.[0]).toMatch(/environment:/);
  });

  it('reports email still on when the profile chose manual invite links', () => {
    const { smtp } = byTopic(compareInstance({ instanceUrl: 'https://n8n.example.com', smtpSetup: true }, { ...expected, email: 'none' }));
    expect(smtp).toMatchObject({ code: 'SMTP_STILL_SET_UP', status: 'mismatch' });
  });

  it('compares no email setting without a profile, but still the URL and the cookie', () => {
    const findings = compareInstance({ instanceUrl: 'https://n8n.example.com', smtpSetup: false, secureCookie: true }, { publicUrl: 'https://n8n.example.com' });
    expect(findings.map((f) => [f.code, f.status])).toEqual([
      ['URL_MATCHES', 'ok'],
      ['SMTP_OFF_AS_EXPECTED', 'ok'],
      ['COOKIE_MATCHES', 'ok'],
    ]);
  });

  it('wants a Secure cookie over https, none over plain http, and accepts either on localhost', () => {
    const cookie = (publicUrl: string, secureCookie: boolean) => byTopic(compareInstance({ secureCookie }, { publicUrl })).cookie?.code;
    expect(cookie('https://n8n.example.com', true)).toBe('COOKIE_MATCHES');
    expect(cookie('https://n8n.example.com', false)).toBe('COOKIE_INSECURE_OVER_HTTPS');
    expect(cookie('http://n8n.lan:5678', true)).toBe('COOKIE_SECURE_OVER_HTTP');
    expect(cookie('http://n8n.lan:5678', false)).toBe('COOKIE_MATCHES');
    expect(cookie('http://localhost:5678', true)).toBe('COOKIE_MATCHES');
    expect(cookie('http://localhost:5678', false)).toBe('COOKIE_MATCHES');
  });

  it('says "unknown", not "mismatch", for what n8n does not publish', () => {
    const findings = compareInstance({}, expected);
    expect(findings.map((f) => [f.code, f.status])).toEqual([
      ['URL_UNKNOWN', 'unknown'],
      ['SMTP_UNKNOWN', 'unknown'],
      ['COOKIE_UNKNOWN', 'unknown'],
    ]);
  });
});
