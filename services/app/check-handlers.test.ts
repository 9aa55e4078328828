import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { startFakeN8n, type FakeServer } from '../check/test-support/fake-n8n-server.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const manualProfile: Profile = { version: 1, name: 'default', email: { mode: 'none' }, url: { public: 'https://n8n.example.com' } };

describe('checkInstance', () => {
  let app: AppUnderTest;
  let n8n: FakeServer | undefined;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(async () => {
    await n8n?.close();
    n8n = undefined;
    await app.remove();
  });

  it('reports an n8n that runs as the profile says, finding by finding', async () => {
    n8n = await startFakeN8n({ instanceUrl: 'https://n8n.example.com', smtpSetup: false, secureCookie: true });
    const result = await app.table.checkInstance({ url: n8n.url, profile: manualProfile }, app.context);
    expect(result).toMatchObject({ ok: true, data: { ok: true, url: n8n.url, expected: { publicUrl: 'https://n8n.example.com', email: 'none' } } });
    expect(result.ok && result.data.findings.map((f) => [f.code, f.status])).toEqual([
      ['URL_MATCHES', 'ok'],
      ['SMTP_OFF_AS_EXPECTED', 'ok'],
      ['COOKIE_MATCHES', 'ok'],
      ['PROXY_HOPS_MATCH', 'ok'],
    ]);
  });

  it('gives each mismatch its causes and fix (n8n still on its defaults after `restart`)', async () => {
    n8n = await startFakeN8n({ smtpSetup: true, secureCookie: true });
    const result = await app.table.checkInstance({ url: n8n.url, profile: manualProfile }, app.context);
    expect(result.ok && result.data.ok).toBe(false);
    const mismatches = result.ok ? result.data.findings.filter((f) => f.status === 'mismatch') : [];
    expect(mismatches.map((f) => f.code)).toEqual(['URL_DEFAULT', 'SMTP_STILL_SET_UP']);
    for (const finding of mismatches) {
      expect(finding.causes?.[0]).toMatch(/docker compose restart/);
      expect(finding.fix).toMatch(/docker compose up -d/);
    }
  });

  it('compares with the URL alone when no profile is given', async () => {
    n8n = await startFakeN8n({ instanceUrl: 'http://127.0.0.1', secureCookie: false });
    const result = await app.table.checkInstance({ url: n8n.url }, app.context);
    expect(result).toMatchObject({ ok: true, data: { expected: { publicUrl: n8n.url } } });
    expect(result.ok && result.data.expected).not.toHaveProperty('email');
  });

  it('answers INSTANCE_UNREACHABLE with the fix when nothing listens', async () => {
    n8n = await startFakeN8n();
    const url = n8n.url;
    await n8n.close();
    n8n = undefined;
    expect(await app.table.checkInstance({ url }, app.context)).toMatchObject({ ok: false, error: { code: 'INSTANCE_UNREACHABLE', field: 'url', fix: expect.stringMatching(/docker compose up -d/) } });
  });

  it('refuses an empty URL as invalid input', async () => {
    expect(await app.table.checkInstance({ url: '' }, app.context)).toMatchObject({ ok: false, error: { field: 'url' } });
  });
});
