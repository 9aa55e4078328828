import { describe, expect, it } from 'vitest';
import { acmeEmailSuggestion, addressIn, prefillFor } from './prefill.js';
import { EMPTY_DRAFT, type WizardDraft } from './wizard-draft.js';

const draft = (patch: Partial<WizardDraft>): WizardDraft => ({ ...EMPTY_DRAFT, ...patch });

describe('fields filled in from what the admin typed', () => {
  it('the sender from a login that is an address, never over a sender already given, never from a login that is no address', () => {
    expect(prefillFor('sender', draft({ user: 'ops@example.com' }))).toEqual({ sender: 'ops@example.com' });
    expect(prefillFor('sender', draft({ user: 'ops@example.com', sender: 'n8n <n8n@example.com>' }))).toEqual({});
    expect(prefillFor('sender', draft({ user: 'apikey' }))).toEqual({});
    expect(prefillFor('sender', draft({ user: 'ops@example.com', authType: 'none' }))).toEqual({});
  });

  it('the test recipient from the login, else the sender address', () => {
    expect(prefillFor('test-email', draft({ user: 'ops@example.com', sender: 'n8n <n8n@example.com>' }))).toEqual({ testTo: 'ops@example.com' });
    expect(prefillFor('test-email', draft({ user: 'apikey', sender: 'n8n <n8n@example.com>' }))).toEqual({ testTo: 'n8n@example.com' });
    expect(prefillFor('test-email', draft({ user: 'apikey', sender: 'n8n', testTo: '' }))).toEqual({});
    expect(prefillFor('test-email', draft({ user: 'ops@example.com', testTo: 'me@example.org' }))).toEqual({});
  });

  it("the Let's Encrypt email only for Caddy or Traefik, from the test recipient first", () => {
    expect(acmeEmailSuggestion(draft({ proxy: 'caddy', testTo: 'me@example.org', user: 'ops@example.com' }))).toBe('me@example.org');
    expect(acmeEmailSuggestion(draft({ proxy: 'traefik', user: 'ops@example.com' }))).toBe('ops@example.com');
    expect(acmeEmailSuggestion(draft({ proxy: 'external', user: 'ops@example.com' }))).toBeUndefined();
    expect(acmeEmailSuggestion(draft({ proxy: 'caddy', user: 'ops@example.com', acmeEmail: 'x@example.com' }))).toBeUndefined();
  });

  it('reads the address of "Name <addr>" and refuses what is none', () => {
    expect([addressIn('n8n <n8n@example.com>'), addressIn(' a@b.example '), addressIn('apikey'), addressIn('a@b'), addressIn('<x>')]).toEqual(['n8n@example.com', 'a@b.example', undefined, undefined, undefined]);
  });
});
