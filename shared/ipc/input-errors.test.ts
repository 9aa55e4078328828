import { describe, expect, it } from 'vitest';
import { CONTRACT } from './contract.js';
import { inputError } from './input-errors.js';

function errorFor(channel: keyof typeof CONTRACT, request: unknown) {
  const parsed = CONTRACT[channel].input.safeParse(request, { reportInput: true });
  if (parsed.success) throw new Error('expected the request to be refused');
  return inputError(parsed.error.issues);
}

describe('inputError', () => {
  it('words a problem inside the profile as the profile file would, with the field relative to the profile', () => {
    const profile = { version: 1, email: { mode: 'none' }, url: { public: 'https://n8n.example.com/?x=1' } };
    expect(errorFor('saveProfile', { profile })).toMatchObject({ code: 'INVALID_PROFILE', field: 'url.public', message: expect.stringMatching(/^url\.public contains a query/) });
  });

  it('names other fields by their request path, as invalid arguments', () => {
    expect(errorFor('listBackups', { outDir: 'relative/folder' })).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'outDir', message: 'outDir must be an absolute path.' });
    expect(errorFor('loadProfile', {})).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'name', message: 'name is required.' });
    expect(errorFor('saveProfile', {})).toMatchObject({ code: 'INVALID_ARGUMENT', field: 'profile', message: 'profile is required.' });
  });

  it('refuses unknown keys and says which', () => {
    expect(errorFor('appInfo', { extra: 1 })).toMatchObject({ code: 'INVALID_ARGUMENT', field: '(request)', message: '(request) has unknown key "extra".', fix: 'Remove the key.' });
  });

  it('says how many other problems there are', () => {
    expect(errorFor('renameProfile', { from: 1, to: 2 }).message).toMatch(/\(and 1 more: to\)$/);
  });

  it('refuses a request that is not an object at all', () => {
    expect(errorFor('appInfo', 42)).toMatchObject({ code: 'INVALID_ARGUMENT', field: '(request)', message: '(request) must be an object.' });
  });
});
