import { describe, expect, it } from 'vitest';
import { normalizePathPrefix, publicUrlParts } from './public-url.js';

describe('publicUrlParts', () => {
  it('splits the URL into what a proxy listens on and the sub-path it strips', () => {
    expect(publicUrlParts('https://N8N.Example.com/')).toEqual({ scheme: 'https', hostname: 'n8n.example.com', port: '', pathPrefix: '' });
    expect(publicUrlParts('http://10.0.0.5:8080/tools/n8n')).toEqual({ scheme: 'http', hostname: '10.0.0.5', port: '8080', pathPrefix: '/tools/n8n' });
    expect(publicUrlParts('https://example.com:443/n8n/').port).toBe('');
  });

  it('refuses URLs a proxy cannot serve n8n at', () => {
    for (const url of ['n8n.example.com', 'ftp://example.com/', 'https://user:pw@example.com/', 'https://example.com/?a=1', 'https://example.com/#x', 'https://example.com/a b/', 'https://example.com/$x/']) {
      expect(() => publicUrlParts(url), url).toThrow(expect.objectContaining({ code: 'INVALID_VALUE', field: 'url.public' }));
    }
  });
});

describe('normalizePathPrefix', () => {
  it('drops trailing slashes and treats the root as no prefix', () => {
    expect(['/n8n/', '/n8n', '/', '', undefined].map(normalizePathPrefix)).toEqual(['/n8n', '/n8n', '', '', '']);
  });
});
