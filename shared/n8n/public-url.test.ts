import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicUrlParts } from '../proxy/public-url.js';
import { proxySnippets } from '../proxy/proxy-snippets.js';
import { readsN8nWebhookUrl, imageVersion } from './image-version.js';
import { checkPublicUrl, deriveUrlSettings, inviteLinkPreview } from './public-url.js';

describe('deriveUrlSettings', () => {
  it('splits a root URL into the variables n8n reads', () => {
    expect(deriveUrlSettings('https://n8n.example.com')).toEqual({
      host: 'n8n.example.com',
      protocol: 'https',
      path: '/',
      baseUrl: 'https://n8n.example.com/',
      instanceUrl: 'https://n8n.example.com',
      isLocalhost: false,
    });
  });

  it('gives N8N_PATH a slash at both ends and keeps a non-default port in the base URL', () => {
    const s = deriveUrlSettings('https://example.com:8443/tools/n8n');
    expect(s.path).toBe('/tools/n8n/');
    expect(s.baseUrl).toBe('https://example.com:8443/tools/n8n/');
  });

  it('previews the invite link without a doubled slash', () => {
    expect(inviteLinkPreview('https://n8n.example.com/')).toBe('https://n8n.example.com/signup?token=<token>');
    expect(inviteLinkPreview('https://example.com/n8n/', 'abc')).toBe('https://example.com/n8n/signup?token=abc');
  });
});

describe('imageVersion', () => {
  it('reads the version from a tag and tells which webhook variable the image reads', () => {
    expect(imageVersion('docker.n8n.io/n8nio/n8n:2.41.1')).toEqual({ major: 2, minor: 41, patch: 1 });
    expect(imageVersion('n8nio/n8n:latest')).toBeUndefined();
    expect(readsN8nWebhookUrl('n8nio/n8n:1.90.2')).toBe(false);
    expect(readsN8nWebhookUrl('n8nio/n8n:2.41.1')).toBe(true);
    expect(readsN8nWebhookUrl('registry.local:5000/n8nio/n8n@sha256:' + 'a'.repeat(64))).toBe(true);
  });
});

describe('checkPublicUrl: the one check of the public URL', () => {
  it('accepts only what n8n and the proxy snippets can both use (the wizard, the profile and export agree)', () => {
    const part = fc.stringMatching(/^[a-zA-Z0-9._~%-]{0,6}$/);
    const candidate = fc.tuple(fc.constantFrom('https://', 'http://', 'ftp://', ''), fc.constantFrom('n8n.example.com', 'EXAMPLE.com', 'xn--bcher-kva.example', '[::1]', '"q".example'), fc.constantFrom('', ':8443'), fc.array(part, { maxLength: 3 }), fc.constantFrom('', '/', '?a=1', '#x'));
    fc.assert(
      fc.property(candidate, ([scheme, host, port, segments, tail]) => {
        const value = `${scheme}${host}${port}${segments.length ? `/${segments.join('/')}` : ''}${tail}`;
        if (checkPublicUrl(value)) return;
        expect(() => publicUrlParts(value)).not.toThrow();
        expect(() => proxySnippets({ publicUrl: value, upstream: '127.0.0.1:5678' })).not.toThrow();
        expect(deriveUrlSettings(value).baseUrl.endsWith('/')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a sub-path a proxy cannot pass on exactly, at the field, not first at export', () => {
    expect(checkPublicUrl('https://example.com/my%20n8n/')?.message).toMatch(/sub-path "\/my%20n8n\/"/);
    expect(checkPublicUrl('https://example.com/n8n/')).toBeUndefined();
  });
});
