import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProfile } from './parse-profile.js';
import { profileJsonSchemaText } from './profile-json-schema.js';
import { resolveProfile } from './resolve-profile.js';

const example = JSON.parse(readFileSync('test/fixtures/profiles/production.json', 'utf8'));

function withChange(mutate: (p: any) => void): unknown {
  const copy = structuredClone(example);
  mutate(copy);
  return copy;
}

function errorsOf(input: unknown) {
  const result = parseProfile(input);
  if (result.ok) throw new Error('expected the profile to be refused');
  return result.errors;
}

function expectRefused(input: unknown, field: string, message: RegExp) {
  const errors = errorsOf(input);
  const error = errors.find((e) => e.field === field);
  expect(error, `no error for ${field}; got ${JSON.stringify(errors)}`).toBeDefined();
  expect(error?.code).toBe('INVALID_PROFILE');
  expect(error?.message.startsWith(field)).toBe(true);
  expect(error?.message).toMatch(message);
  return error;
}

describe('parseProfile', () => {
  it('accepts the documented example unchanged', () => {
    const result = parseProfile(example);
    expect(result.ok).toBe(true);
  });

  it('accepts manual invite-link mode with nothing else under email', () => {
    expect(parseProfile({ version: 1, email: { mode: 'none' }, url: { public: 'https://n8n.example.com' } }).ok).toBe(true);
  });

  it('requires version, email.mode and url.public', () => {
    const errors = errorsOf({});
    expect(errors.map((e) => e.field)).toEqual(expect.arrayContaining(['version', 'email', 'url']));
    expectRefused({ version: 1, email: { mode: 'none' }, url: {} }, 'url.public', /is required/);
  });

  it('names an unknown key so typos do not pass silently', () => {
    const error = expectRefused(withChange((p) => (p.email.sendr = 'x')), 'email', /unknown key "sendr"/);
    expect(error?.fix).toMatch(/spelling/);
    expectRefused(withChange((p) => (p.deploy.proxyy = 'caddy')), 'deploy', /unknown key "proxyy"/);
  });

  it('refuses SMTP fields in manual mode', () => {
    expectRefused({ version: 1, email: { mode: 'none', host: 'smtp.example.com' }, url: { public: 'https://a.example' } }, 'email', /unknown key "host"/);
  });

  it('checks the port range and integer', () => {
    expectRefused(withChange((p) => (p.email.port = 0)), 'email.port', /at least 1/);
    expectRefused(withChange((p) => (p.email.port = 65536)), 'email.port', /at most 65535/);
    expectRefused(withChange((p) => (p.email.port = 58.7)), 'email.port', /integer/);
    expectRefused(withChange((p) => (p.email.port = '587')), 'email.port', /must be a number/);
  });

  it('offers the allowed security modes', () => {
    const error = expectRefused(withChange((p) => (p.email.security = 'ssl')), 'email.security', /"tls" or "starttls" or "none"/);
    expect(error?.fix).toMatch(/"tls", "starttls", "none"/);
  });

  it('refuses a line break in the sender (header injection)', () => {
    expectRefused(withChange((p) => (p.email.sender = 'n8n <n8n@example.com>\r\nBcc: x@evil.example')), 'email.sender', /line break/);
    expectRefused(withChange((p) => (p.email.sender = 'n8n@example.com\n')), 'email.sender', /line break/);
  });

  it('refuses a sender that is not an address', () => {
    expectRefused(withChange((p) => (p.email.sender = 'n8n')), 'email.sender', /not an email address/);
    expectRefused(withChange((p) => (p.email.sender = 'n8n <nobody>')), 'email.sender', /not an email address/);
  });

  it.each([
    ['https://user:pw@n8n.example.com/', /user name or password/],
    ['https://n8n.example.com/?x=1', /query/],
    ['https://n8n.example.com/#top', /fragment/],
    ['ftp://n8n.example.com/', /"ftp:"/],
    ['javascript:alert(1)', /no scheme/],
    ['n8n.example.com', /no scheme/],
    ['', /is empty/],
    [' https://n8n.example.com/', /spaces/],
  ])('refuses the public URL %j', (url, message) => {
    expectRefused(withChange((p) => (p.url.public = url)), 'url.public', message);
  });

  it.each([
    ['smtp://smtp.example.com', /scheme/],
    ['smtp.example.com:587', /contains a port/],
    ['smtp example.com', /spaces/],
    ['smtp.example.com/path', /"\/"/],
    ['', /is empty/],
  ])('refuses the host name %j', (host, message) => {
    const error = expectRefused(withChange((p) => (p.email.host = host)), 'email.host', message);
    expect(error?.fix).toBeTruthy();
  });

  it('accepts IPv4 and IPv6 addresses as hosts', () => {
    expect(parseProfile(withChange((p) => (p.email.host = '192.0.2.10'))).ok).toBe(true);
    expect(parseProfile(withChange((p) => (p.email.host = '2001:db8::25'))).ok).toBe(true);
  });

  it('leaves acmeEmail to export, which asks for it only when it adds the proxy (an existing one keeps its own)', () => {
    expect(parseProfile(withChange((p) => delete p.deploy.acmeEmail)).ok).toBe(true);
    expect(parseProfile(withChange((p) => ((p.deploy.proxy = 'platform'), delete p.deploy.acmeEmail))).ok).toBe(true);
    expectRefused(withChange((p) => (p.deploy.acmeEmail = 'not-an-email')), 'deploy.acmeEmail', /must be an email address/);
  });

  it('checks the time zone and image reference', () => {
    expectRefused(withChange((p) => (p.deploy.timezone = 'Mars/Olympus')), 'deploy.timezone', /not a known time zone/);
    expectRefused(withChange((p) => (p.deploy.image = 'n8n io/n8n')), 'deploy.image', /not an image reference/);
  });

  it('checks the auth forms', () => {
    expectRefused(withChange((p) => (p.email.auth = { type: 'password' })), 'email.auth.user', /is required/);
    expectRefused(withChange((p) => (p.email.auth = { type: 'password', user: ' apikey' })), 'email.auth.user', /starts or ends with white space .*which n8n removes, so n8n would log in as a different user/);
    expectRefused(withChange((p) => (p.email.auth = { type: 'google-service-account', user: 'a@b.example', serviceClient: 'abc' })), 'email.auth.serviceClient', /numeric client ID/);
    expect(parseProfile(withChange((p) => (p.email.auth = { type: 'none' }))).ok).toBe(true);
  });

  it('refuses a user or sender n8n would read without its quotes, and keeps quotes n8n keeps', () => {
    expectRefused(withChange((p) => (p.email.auth = { type: 'password', user: "'user'" })), 'email.auth.user', /wrapped in matching single quotes, which n8n removes/);
    expectRefused(withChange((p) => (p.email.auth = { type: 'password', user: '"user"' })), 'email.auth.user', /double quotes/);
    expectRefused(withChange((p) => (p.email.sender = "'n8n@example.com'")), 'email.sender', /quotes, which n8n removes .*different address/);
    // n8n strips quotes only when no line break is inside: these reach it as written.
    for (const user of ['"a\nb"', "'a\rb'", "'\u2028'", "'it's'x"]) expect(parseProfile(withChange((p) => (p.email.auth = { type: 'password', user }))).ok).toBe(true);
  });

  it('refuses NUL characters and broken surrogates in any text field', () => {
    expectRefused(withChange((p) => (p.email.auth = { type: 'password', user: 'ap\0ikey' })), 'email.auth.user', /NUL character/);
    expectRefused(withChange((p) => (p.deploy.acmeEmail = 'ops\0@example.com')), 'deploy.acmeEmail', /NUL character/);
    expectRefused(withChange((p) => (p.email.sender = 'n8n\ud800@example.com')), 'email.sender', /lone UTF-16 surrogate/);
  });

  it('refuses a public URL whose host name n8n would unquote', () => {
    expectRefused(withChange((p) => (p.url.public = "https://'n8n.example.com'/")), 'url.public', /host name that is wrapped in matching single quotes/);
  });

  it('accepts template kinds by profile name or loader name, but not both for one kind', () => {
    expect(parseProfile(withChange((p) => (p.email.templates = { 'password-reset-requested': { file: 'r.html' } }))).ok).toBe(true);
    expectRefused(withChange((p) => (p.email.templates = { invite: { file: 'a.html' }, 'user-invited': { file: 'b.html' } })), 'email.templates.user-invited', /same template/);
    expectRefused(withChange((p) => (p.email.templates = { invitation: { file: 'a.html' } })), 'email.templates', /unknown key "invitation"/);
  });
});

describe('resolveProfile', () => {
  it('fills defaults: name, proxy hops by proxy, secrets, encryption key; leaves image and zone to the target', () => {
    const result = parseProfile({ version: 1, email: { mode: 'none' }, url: { public: 'https://n8n.example.com' }, deploy: { proxy: 'external' } });
    if (!result.ok) throw new Error('refused');
    const resolved = resolveProfile(result.value);
    expect(resolved).toMatchObject({ name: 'default', url: { proxyHops: 1 }, deploy: { proxy: 'external', secrets: 'env', encryptionKey: 'keep' } });
    expect(resolved.deploy.image).toBeUndefined();
    expect(resolved.deploy.timezone).toBeUndefined();
    const direct = parseProfile({ version: 1, email: { mode: 'none' }, url: { public: 'http://localhost:5678' } });
    if (!direct.ok) throw new Error('refused');
    expect(resolveProfile(direct.value).url.proxyHops).toBe(0);
  });

  it('maps loader template names to profile kinds', () => {
    const result = parseProfile(withChange((p) => (p.email.templates = { 'user-invited': { file: 'i.html' } })));
    if (!result.ok) throw new Error('refused');
    const email = resolveProfile(result.value).email;
    expect(email.mode === 'smtp' && email.templates).toEqual({ invite: { file: 'i.html' } });
  });
});

describe('docs/profile.schema.json', () => {
  it('is generated from the schemas (run npm run schema after changing them)', () => {
    expect(readFileSync('docs/profile.schema.json', 'utf8')).toBe(profileJsonSchemaText());
  });
});
