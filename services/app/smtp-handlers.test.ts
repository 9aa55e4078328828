import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Auth, Profile } from '../../shared/profile/profile-schema.js';
import { storeProfileSecret } from '../secrets/profile-secrets.js';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { startSilentListener } from '../../test/smtp/unresponsive-listeners.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

const profileFor = (port: number, auth: Auth = { type: 'none' }): Profile => ({
  version: 1,
  name: 'prod',
  email: { mode: 'smtp', host: '127.0.0.1', port, security: 'none', auth, sender: 'n8n <n8n@example.com>' },
  url: { public: 'https://n8n.example.com/' },
});

describe('SMTP channels', () => {
  let app: AppUnderTest;
  let fixture: SmtpFixture | undefined;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
    await app.remove();
  });

  it('sends a real test message, streaming each stage to the caller tagged with its runId', async () => {
    fixture = await startSmtpFixture();
    const result = await app.table.testSmtp({ runId: 'run-1', profile: profileFor(fixture.port), to: 'admin@example.com' }, app.context);
    expect(result).toMatchObject({ ok: true, data: { ok: true, class: null, accepted: ['admin@example.com'] } });
    expect(fixture.messages).toHaveLength(1);
    const stages = app.context.events.map((e) => (e.payload as { stage: string }).stage);
    expect(stages).toEqual(expect.arrayContaining(['resolve', 'connect', 'greeting', 'mail-from', 'rcpt-to', 'data', 'done']));
    expect(app.context.events.every((e) => e.event === 'smtpStage' && (e.payload as { runId: string }).runId === 'run-1')).toBe(true);
  });

  it("logs in with the password stored in the profile's keychain entry", async () => {
    fixture = await startSmtpFixture({ users: { apikey: 'from-the-keychain' }, allowInsecureAuth: true });
    await storeProfileSecret(app.secrets, 'prod', 'smtp-password', 'from-the-keychain', { host: '127.0.0.1', port: fixture.port, user: 'apikey' });
    const result = await app.table.testSmtp({ runId: 'run-2', profile: profileFor(fixture.port, { type: 'password', user: 'apikey' }), to: 'admin@example.com' }, app.context);
    expect(result).toMatchObject({ ok: true, data: { ok: true } });
    expect(fixture.messages[0]?.user).toBe('apikey');
    expect(JSON.stringify(result)).not.toContain('from-the-keychain');
  });

  it('sends a password saved for another server only with secretForNewServer, and binds it to this one after an accepted message', async () => {
    fixture = await startSmtpFixture({ users: { apikey: 'from-the-keychain' }, allowInsecureAuth: true });
    await storeProfileSecret(app.secrets, 'prod', 'smtp-password', 'from-the-keychain', { host: 'smtp.old.example', port: 587, user: 'apikey' });
    const profile = profileFor(fixture.port, { type: 'password', user: 'apikey' });
    const refused = await app.table.testSmtp({ runId: 'run-4', profile, to: 'admin@example.com' }, app.context);
    expect(refused).toMatchObject({ ok: false, error: { code: 'SECRET_ENDPOINT_CHANGED', field: 'email.host' } });
    expect(fixture.openedSessions).toBe(0);
    expect(await app.table.testSmtp({ runId: 'run-5', profile, to: 'admin@example.com', secretForNewServer: true }, app.context)).toMatchObject({ ok: true, data: { ok: true } });
    expect(JSON.parse((await app.secrets.get('prod/smtp-password')) ?? '')).toMatchObject({ host: '127.0.0.1', port: fixture.port });
    expect(await app.table.testSmtp({ runId: 'run-6', profile, to: 'admin@example.com' }, app.context)).toMatchObject({ ok: true, data: { ok: true } });
  });

  it('stops a running test on cancelSmtp: the result is CANCELLED within a second', async () => {
    const silent = await startSilentListener();
    try {
      const started = performance.now();
      const running = app.table.testSmtp({ runId: 'run-3', profile: profileFor(silent.port), to: 'admin@example.com' }, app.context);
      await expect.poll(() => silent.connections).toBe(1);
      expect(await app.table.testSmtp({ runId: 'run-3', profile: profileFor(silent.port), to: 'a@example.com' }, app.context)).toMatchObject({ ok: false, error: { code: 'RUN_ID_IN_USE' } });
      expect(await app.table.cancelSmtp({ runId: 'run-3' }, app.context)).toEqual({ ok: true, data: { cancelled: true } });
      expect(await running).toMatchObject({ ok: true, data: { ok: false, class: 'CANCELLED' } });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(await app.table.cancelSmtp({ runId: 'run-3' }, app.context)).toEqual({ ok: true, data: { cancelled: false } });
    } finally {
      await silent.close();
    }
  });

  it('refuses a profile without SMTP, and a recipient that is not one address', async () => {
    const none: Profile = { version: 1, email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' } };
    expect(await app.table.testSmtp({ runId: 'r', profile: none, to: 'a@example.com' }, app.context)).toMatchObject({ ok: false, error: { code: 'INVALID_PROFILE', field: 'email.mode' } });
    expect(await app.table.testSmtp({ runId: 'r', profile: profileFor(25), to: 'a@example.com, b@example.com' }, app.context)).toMatchObject({ ok: false, error: { field: 'to' } });
  });

  it('detect also probes the port the admin typed, in the security chosen for it, and can recommend it', async () => {
    const custom = await startSmtpFixture({ address: '127.0.0.1' });
    try {
      const result = await app.table.detectSmtp({ host: '127.0.0.1', runId: 'detect-2', port: custom.port, security: 'starttls' }, app.context);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.data.ports.map((p) => p.port)).toEqual([465, 587, 2525, 25, custom.port]);
      expect(result.data.ports.at(-1)).toMatchObject({ port: custom.port, reachable: true });
      // A typed port that is one of the usual four is not probed twice.
      const usual = await app.table.detectSmtp({ host: '127.0.0.1', port: 587, security: 'tls' }, app.context);
      expect(usual.ok && usual.data.ports.map((p) => p.port)).toEqual([465, 587, 2525, 25]);
    } finally {
      await custom.close();
    }
  });

  it('detects what the ports of a host offer, as a contract-shaped result', async () => {
    const result = await app.table.detectSmtp({ host: '127.0.0.1', runId: 'detect-1' }, app.context);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.ports.map((p) => p.port)).toEqual([465, 587, 2525, 25]);
    expect(result.data.host).toBe('127.0.0.1');
  });
});
