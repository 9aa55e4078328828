import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, type WizardDraft } from './wizard-draft.js';
import { wizardErrorText } from './wizard-errors.js';

const MISSING = { code: 'MISSING_SECRET', message: 'No SMTP password was given and the target folder has none to keep.', fix: 'Pass it with --password-stdin, or store it with `n8n-setup secret set`.' };
const draft = (patch: Partial<WizardDraft>): WizardDraft => ({ ...EMPTY_DRAFT, host: 'smtp.example.com', user: 'apikey', ...patch });

describe('service errors in the wizard', () => {
  it('a missing secret names the field on the page that gives it, never a flag or a command', () => {
    const texts = [
      wizardErrorText(MISSING, draft({ secretHandling: 'each-time', authType: 'password' })),
      wizardErrorText(MISSING, draft({ secretHandling: 'file-only', authType: 'google-service-account' })),
      wizardErrorText(MISSING, draft({ secretHandling: 'keychain', authType: 'password' })),
    ];
    expect(texts).toEqual([
      'No SMTP password was given, and the folder has none to keep: type it in "SMTP password" above, then write again.',
      'No service-account key was given, and the folder has none to keep: load it in "Service-account key file" above, then write again.',
      'No SMTP password was given, and the folder has none to keep: save it in the keychain on the Login step, then write again.',
    ]);
    for (const text of texts) expect(text).not.toMatch(/--|n8n-setup|deploy\./);
  });

  it('an error about a profile field names the field and step of the wizard instead of the profile path', () => {
    const text = wizardErrorText({ code: 'INVALID_PROFILE', field: 'email.caFile', message: 'Cannot read the CA file /x.pem: ENOENT: no such file or directory', fix: "Check email.caFile (relative paths start at the profile's folder)." }, draft({}));
    expect(text).toBe('Cannot read the CA file /x.pem: ENOENT: no such file or directory Check "CA file" on the Server step.');
    expect(text).not.toMatch(/email\.|profile/);
  });

  it('any other error keeps its message and fix', () => {
    expect(wizardErrorText({ code: 'BUSY', message: 'Another export is writing here.', fix: 'Wait for it.' }, draft({}))).toBe('Another export is writing here. Wait for it.');
  });
});
