import { describe, expect, it } from 'vitest';
import { exportRequest } from './export-request.js';
import { readServiceAccountKey, typedSecretKind, typedSecrets } from './typed-secret.js';
import { EMPTY_DRAFT, type WizardDraft } from './wizard-draft.js';

const draft = (change: Partial<WizardDraft>): WizardDraft => ({ ...EMPTY_DRAFT, emailMode: 'smtp', ...change });

describe('typedSecretKind', () => {
  it('asks for the secret of the login type unless the keychain holds it', () => {
    expect(typedSecretKind(draft({ authType: 'password', secretHandling: 'each-time' }))).toBe('smtp-password');
    expect(typedSecretKind(draft({ authType: 'google-service-account', secretHandling: 'file-only' }))).toBe('oauth-private-key');
    expect(typedSecretKind(draft({ authType: 'password', secretHandling: 'keychain' }))).toBeUndefined();
    expect(typedSecretKind(draft({ authType: 'none', secretHandling: 'each-time' }))).toBeUndefined();
    expect(typedSecretKind(draft({ emailMode: 'none', authType: 'password', secretHandling: 'each-time' }))).toBeUndefined();
  });

  it('sends a typed service-account key under its own kind, never as a password', () => {
    expect(typedSecrets(draft({ authType: 'google-service-account', secretHandling: 'each-time' }), 'KEY')).toEqual({ 'oauth-private-key': 'KEY' });
    expect(typedSecrets(draft({ authType: 'password', secretHandling: 'each-time' }), '')).toEqual({});
  });

  it('puts the typed secret into the export request', () => {
    const d = draft({
      authType: 'google-service-account',
      secretHandling: 'each-time',
      host: 'smtp.gmail.com',
      port: '587',
      security: 'starttls',
      user: 'n8n@example.com',
      serviceClient: '123',
      sender: 'n8n@example.com',
      publicUrl: 'https://n8n.example.com/',
      outDir: '/srv/n8n',
    });
    expect(exportRequest(d, 'KEY', false)?.secrets).toEqual({ 'oauth-private-key': 'KEY' });
    expect(exportRequest(d, 'KEY', false)).not.toHaveProperty('secretForNewServer');
    expect(exportRequest(d, 'KEY', true)?.secretForNewServer).toBe(true);
  });
});

describe('readServiceAccountKey', () => {
  it('takes private_key and client_id from the JSON key file', async () => {
    const file = new File([JSON.stringify({ type: 'service_account', private_key: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n', client_id: '42' })], 'key.json');
    await expect(readServiceAccountKey(file)).resolves.toEqual({ privateKey: '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n', clientId: '42' });
  });

  it('refuses a file that is not a service-account key', async () => {
    await expect(readServiceAccountKey(new File(['{"a":1}'], 'x.json'))).rejects.toThrow(/private_key/);
  });
});
