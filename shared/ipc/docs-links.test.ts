import { describe, expect, it } from 'vitest';
import { isAllowedDocsUrl } from './docs-links.js';

describe('isAllowedDocsUrl', () => {
  it.each(['https://docs.n8n.io/hosting/configuration/user-management-self-hosted/', 'https://docs.docker.com/compose/', 'https://support.google.com/accounts/answer/185833'])(
    'opens %s',
    (url) => expect(isAllowedDocsUrl(url)).toBe(true),
  );

  it.each([
    ['plain http', 'http://docs.n8n.io/'],
    ['a look-alike host', 'https://docs.n8n.io.evil.example/'],
    ['user info hiding the host', 'https://docs.n8n.io@evil.example/'],
    ['credentials', 'https://user:pw@docs.n8n.io/'],
    ['a port', 'https://docs.n8n.io:8443/'],
    ['a path outside the prefix', 'https://github.com/evil/n8n-io/'],
    ['a program-starting scheme', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['a custom scheme', 'ms-settings:'],
    ['not a URL', 'docs.n8n.io'],
  ])('refuses %s', (_why, url) => expect(isAllowedDocsUrl(url)).toBe(false));
});
