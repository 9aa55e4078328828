import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { traefikDynamicConfig, traefikLabels } from './traefik-routing.js';

const secure = { entryPoint: 'websecure', certResolver: 'letsencrypt' };

describe('traefikLabels', () => {
  it('routes the host to n8n\'s port over TLS', () => {
    expect(traefikLabels({ hostname: 'n8n.example.com', pathPrefix: '', ...secure }, 5678)).toEqual({
      'traefik.enable': 'true',
      'traefik.http.routers.n8n.rule': 'Host(`n8n.example.com`)',
      'traefik.http.routers.n8n.entrypoints': 'websecure',
      'traefik.http.routers.n8n.tls.certresolver': 'letsencrypt',
      'traefik.http.services.n8n.loadbalancer.server.port': '5678',
    });
  });

  it('on a sub-path, matches the prefix exactly or with a slash, adds the slash, then strips the prefix', () => {
    const labels = traefikLabels({ hostname: 'example.com', pathPrefix: '/my.n8n', ...secure }, 5678);
    expect(labels['traefik.http.routers.n8n.rule']).toBe('Host(`example.com`) && (Path(`/my.n8n`) || PathPrefix(`/my.n8n/`))');
    expect(labels['traefik.http.routers.n8n.middlewares']).toBe('n8n-addslash,n8n-stripprefix');
    expect(labels['traefik.http.middlewares.n8n-addslash.redirectregex.regex']).toBe('^(https?://[^/]+/my\\.n8n)$');
    expect(labels['traefik.http.middlewares.n8n-stripprefix.stripprefix.prefixes']).toBe('/my.n8n');
  });
});

describe('traefikDynamicConfig', () => {
  it('is a file-provider configuration with the router, middlewares and a service pointing at n8n', () => {
    const config = parse(traefikDynamicConfig({ hostname: 'example.com', pathPrefix: '/n8n', ...secure }, '127.0.0.1:5678'));
    expect(config.http.routers.n8n).toEqual({
      rule: 'Host(`example.com`) && (Path(`/n8n`) || PathPrefix(`/n8n/`))',
      entryPoints: ['websecure'],
      middlewares: ['n8n-addslash', 'n8n-stripprefix'],
      tls: { certResolver: 'letsencrypt' },
      service: 'n8n',
    });
    expect(config.http.middlewares['n8n-stripprefix']).toEqual({ stripPrefix: { prefixes: ['/n8n'] } });
    expect(config.http.middlewares['n8n-addslash'].redirectRegex).toEqual({ regex: '^(https?://[^/]+/n8n)$', replacement: '${1}/', permanent: true });
    expect(config.http.services.n8n).toEqual({ loadBalancer: { servers: [{ url: 'http://127.0.0.1:5678' }] } });
  });

  it('has no TLS section for a plain-http route', () => {
    const config = parse(traefikDynamicConfig({ hostname: 'n8n.lan', pathPrefix: '', entryPoint: 'web' }, '127.0.0.1:5678'));
    expect(config.http.routers.n8n.tls).toBeUndefined();
    expect(config.http.middlewares).toBeUndefined();
  });
});
