import { describe, expect, it } from 'vitest';
import { checkDraft, FIELD_LABELS, PROFILE_NAME, problemIn, profileFromDraft } from './profile-from-draft.js';
import { EMPTY_DRAFT, type WizardDraft } from './wizard-draft.js';

/** A draft the model accepts: SMTP with a password login, no proxy. */
const SMTP: WizardDraft = {
  ...EMPTY_DRAFT,
  presetId: 'custom',
  host: 'smtp.example.com',
  port: '587',
  security: 'starttls',
  authType: 'password',
  user: 'apikey',
  sender: 'n8n <n8n@example.com>',
  publicUrl: 'https://n8n.example.com/',
  templates: {},
};

const draft = (patch: Partial<WizardDraft>): WizardDraft => ({ ...SMTP, ...patch });

describe('profileFromDraft', () => {
  it('maps an SMTP draft to the profile, field by field', () => {
    expect(profileFromDraft(SMTP)).toEqual({
      version: 1,
      name: PROFILE_NAME,
      email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
      url: { public: 'https://n8n.example.com/' },
      deploy: { proxy: 'none', secrets: 'env' },
    });
  });

  it('says only the mode for manual invite links, whatever SMTP fields the draft still holds', () => {
    expect((profileFromDraft(draft({ emailMode: 'none', caFile: '/ca.pem', templates: { invite: '/i.html' } })) as { email: unknown }).email).toEqual({ mode: 'none' });
  });

  it('maps each login type', () => {
    const auth = (patch: Partial<WizardDraft>) => (profileFromDraft(draft(patch)) as { email: { auth: unknown } }).email.auth;
    expect(auth({ authType: 'none', user: 'left-over' })).toEqual({ type: 'none' });
    expect(auth({ authType: 'password', serviceClient: '123' })).toEqual({ type: 'password', user: 'apikey' });
    expect(auth({ authType: 'google-service-account', user: 'admin@example.com', serviceClient: '123' })).toEqual({ type: 'google-service-account', user: 'admin@example.com', serviceClient: '123' });
  });

  it('adds the CA file and the chosen templates only when given', () => {
    const email = (profileFromDraft(draft({ caFile: '/srv/ca.pem', templates: { invite: '/srv/invite.html', passwordReset: '' } })) as { email: Record<string, unknown> }).email;
    expect(email.caFile).toBe('/srv/ca.pem');
    expect(email.templates).toEqual({ invite: { file: '/srv/invite.html' } });
    expect(profileFromDraft(draft({ templates: { invite: '' } }))).not.toHaveProperty('email.templates');
  });

  it('turns typed numbers into numbers and leaves anything else as text for the schema to name', () => {
    const email = (port: string) => (profileFromDraft(draft({ port })) as { email: { port: unknown } }).email.port;
    expect(email(' 465 ')).toBe(465);
    expect(email('46a')).toBe('46a');
    expect(email('')).toBe('');
    expect(profileFromDraft(draft({ proxyHops: '2' }))).toHaveProperty('url.proxyHops', 2);
    expect(profileFromDraft(draft({ proxyHops: 'two' }))).toHaveProperty('url.proxyHops', 'two');
    expect(profileFromDraft(draft({ proxyHops: '' }))).not.toHaveProperty('url.proxyHops');
  });

  it('puts secrets in a file when the admin chose the secret file, else where the draft says', () => {
    const secrets = (patch: Partial<WizardDraft>) => (profileFromDraft(draft(patch)) as { deploy: { secrets: unknown } }).deploy.secrets;
    expect(secrets({ secretHandling: 'file-only', secretsIn: 'env' })).toBe('file');
    expect(secrets({ secretHandling: 'each-time', secretsIn: 'env' })).toBe('env');
    expect(secrets({ secretHandling: 'keychain', secretsIn: 'file' })).toBe('file');
  });

  it('names the ACME email only for the proxies that request certificates', () => {
    expect(profileFromDraft(draft({ proxy: 'caddy', acmeEmail: 'ops@example.com' }))).toHaveProperty('deploy', { proxy: 'caddy', secrets: 'env', acmeEmail: 'ops@example.com' });
    expect(profileFromDraft(draft({ proxy: 'traefik', acmeEmail: 'ops@example.com' }))).toHaveProperty('deploy.acmeEmail', 'ops@example.com');
    expect(profileFromDraft(draft({ proxy: 'external', acmeEmail: 'ops@example.com' }))).not.toHaveProperty('deploy.acmeEmail');
  });

  it('leaves out what the profile does not hold: the start, files to import, preset, test recipient and folder', () => {
    const text = JSON.stringify(profileFromDraft(draft({ start: 'existing', envFile: '/x/.env', composeFile: '/x/compose.yaml', presetId: 'mailgun', testTo: 'me@example.com', outDir: '/x' })));
    for (const value of ['existing', '/x/.env', '/x/compose.yaml', 'mailgun', 'me@example.com', '"/x"']) expect(text).not.toContain(value);
  });
});

describe('checkDraft', () => {
  it('accepts a complete draft and returns the parsed profile', () => {
    const check = checkDraft(SMTP);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.profile).toMatchObject({ name: PROFILE_NAME, email: { host: 'smtp.example.com', port: 587 } });
  });

  it.each<[Partial<WizardDraft>, string]>([
    [{ host: 'http://smtp.example.com' }, 'host'],
    [{ port: 'abc' }, 'port'],
    [{ port: '70000' }, 'port'],
    [{ user: '' }, 'user'],
    [{ authType: 'google-service-account', serviceClient: 'not-a-number' }, 'serviceClient'],
    [{ sender: 'not an address' }, 'sender'],
    [{ publicUrl: 'n8n.example.com' }, 'publicUrl'],
    [{ proxyHops: '11' }, 'proxyHops'],
    [{ proxy: 'caddy', acmeEmail: '' }, 'acmeEmail'],
  ])('maps the model\'s message for %o to the %s field', (patch, field) => {
    const check = checkDraft(draft(patch));
    expect(check.ok).toBe(false);
    expect(check.problems.map((p) => p.field)).toContain(field);
    expect(check.problems.find((p) => p.field === field)?.message).toMatch(/\S/);
  });

  it('names the field by its label on the page, e.g. Host', () => {
    expect(problemIn(draft({ host: 'http://smtp.example.com' }), ['host'])?.message).toMatch(/^Host contains a scheme/);
  });
});

describe('problemIn', () => {
  it('finds a problem only among the fields asked about', () => {
    const bad = draft({ host: '', publicUrl: 'nope' });
    expect(problemIn(bad, ['publicUrl'])?.field).toBe('publicUrl');
    expect(problemIn(bad, ['sender', 'user'])).toBeUndefined();
  });
});

describe('problems in the wizard', () => {
  const PROFILE_PATH = /\b(email|url|deploy)\.[A-Za-z]/;
  const wrong: Array<Partial<WizardDraft>> = [
    { host: '', user: '', sender: '', publicUrl: '' },
    { host: 'smtp://x:25/', port: 'abc', sender: 'nope', user: ' u ', publicUrl: 'ftp://x', proxy: 'caddy', acmeEmail: 'x', proxyHops: '-1' },
    { authType: 'google-service-account', serviceClient: 'not-a-number' },
  ];

  it.each(wrong.map((patch) => [JSON.stringify(patch), patch] as const))('name the field by its label on the page, never the profile path: %s', (_name, patch) => {
    const check = checkDraft(draft(patch));
    expect(check.ok).toBe(false);
    for (const problem of check.problems) {
      expect(`${problem.message} ${problem.fix ?? ''}`, problem.field).not.toMatch(PROFILE_PATH);
      if (problem.field !== 'other' && problem.field !== 'templates') expect(problem.message.startsWith(FIELD_LABELS[problem.field]!), problem.message).toBe(true);
    }
  });

  it('reads as a sentence: "Host is empty.", "From: "nope" is not an email address."', () => {
    const messages = (patch: Partial<WizardDraft>) => (checkDraft(draft(patch)) as { problems: Array<{ message: string }> }).problems.map((p) => p.message);
    expect(messages({ host: '' })).toEqual(['Host is empty.']);
    expect(messages({ sender: 'nope' })).toEqual(['From: "nope" is not an email address.']);
    expect(messages({ proxy: 'traefik', acmeEmail: 'x' })).toEqual(["Email for Let's Encrypt must be an email address."]);
  });
});
