import { describe, expect, it } from 'vitest';
import { draftFromJson, EMPTY_DRAFT, keychainFallbackPatch, type WizardDraft } from './wizard-draft.js';

const FILLED: WizardDraft = {
  where: 'server',
  server: 'deploy@vps.example.com',
  start: 'existing',
  envFile: '/srv/n8n/.env',
  composeFile: '/srv/n8n/docker-compose.yml',
  emailMode: 'none',
  presetId: 'mailgun',
  host: 'smtp.mailgun.org',
  port: '465',
  security: 'tls',
  caFile: '/srv/n8n/ca.pem',
  authType: 'google-service-account',
  user: 'admin@example.com',
  serviceClient: '1234567890',
  secretHandling: 'file-only',
  keychainFallback: 'yes',
  secretsIn: 'file',
  sender: 'n8n <n8n@example.com>',
  testTo: 'me@example.com',
  publicUrl: 'https://n8n.example.com/',
  proxy: 'caddy',
  proxyHops: '2',
  acmeEmail: 'ops@example.com',
  templates: { invite: '/srv/n8n/invite.html', passwordReset: '/srv/n8n/reset.html' },
  outDir: '/srv/n8n',
};

describe('draftFromJson', () => {
  it('gives the empty draft for an empty object', () => {
    expect(draftFromJson({})).toEqual(EMPTY_DRAFT);
  });

  it('keeps every field of a stored draft', () => {
    expect(draftFromJson(JSON.parse(JSON.stringify(FILLED)) as Record<string, unknown>)).toEqual(FILLED);
  });

  it('covers every field of the draft in this test', () => {
    expect(Object.keys(FILLED).sort()).toEqual(Object.keys(EMPTY_DRAFT).sort());
    for (const key of Object.keys(EMPTY_DRAFT) as Array<keyof WizardDraft>) expect(FILLED[key], key).not.toEqual(EMPTY_DRAFT[key]);
  });

  it('drops keys the draft does not have, such as a password', () => {
    const draft = draftFromJson({ host: 'smtp.example.com', password: 'hunter2-typed', smtpPass: 'hunter2-typed' });
    expect(draft).toEqual({ ...EMPTY_DRAFT, host: 'smtp.example.com' });
    expect(JSON.stringify(draft)).not.toContain('hunter2-typed');
  });

  it('keeps the default for a wrongly typed value', () => {
    expect(draftFromJson({ port: 465, start: null, user: ['a'], outDir: { path: '/srv' } })).toEqual(EMPTY_DRAFT);
  });

  it('keeps only templates given as text, and no templates from an array or a string', () => {
    expect(draftFromJson({ templates: { invite: '/a.html', passwordReset: 42, workflowShared: null } }).templates).toEqual({ invite: '/a.html' });
    expect(draftFromJson({ templates: ['/a.html'] }).templates).toEqual({});
    expect(draftFromJson({ templates: '/a.html' }).templates).toEqual({});
  });

  it('never shares its templates with the empty draft', () => {
    const draft = draftFromJson({});
    (draft.templates as Record<string, string>).invite = '/a.html';
    expect(EMPTY_DRAFT.templates).toEqual({});
  });
});

describe('keychainFallbackPatch', () => {
  it('moves the keychain choice aside while the keychain cannot be used, and back when it answers again', () => {
    const down = keychainFallbackPatch({ secretHandling: 'keychain', keychainFallback: '' }, false);
    expect(down).toEqual({ secretHandling: 'each-time', keychainFallback: 'yes' });
    // Still down: nothing more to change.
    expect(keychainFallbackPatch({ secretHandling: 'each-time', keychainFallback: 'yes' }, false)).toBeUndefined();
    expect(keychainFallbackPatch({ secretHandling: 'each-time', keychainFallback: 'yes' }, true)).toEqual({ secretHandling: 'keychain', keychainFallback: '' });
  });

  it('never changes what the admin chose', () => {
    for (const secretHandling of ['each-time', 'file-only'] as const) {
      for (const available of [true, false]) expect(keychainFallbackPatch({ secretHandling, keychainFallback: '' }, available), `${secretHandling} ${available}`).toBeUndefined();
    }
    expect(keychainFallbackPatch({ secretHandling: 'keychain', keychainFallback: '' }, true)).toBeUndefined();
  });
});
