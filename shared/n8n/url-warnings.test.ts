/** What the public URL and proxy settings cost, said when the profile is read: sub-paths, plain http, proxy hops. */
import { describe, expect, it } from 'vitest';
import type { Profile } from '../profile/profile-schema.js';
import { resolveProfile } from '../profile/resolve-profile.js';
import { deriveN8nSettings } from './derive-n8n-settings.js';

const warnings = (url: Profile['url'], deploy: Profile['deploy'] = { proxy: 'external' }) =>
  deriveN8nSettings(resolveProfile({ version: 1, name: 't', email: { mode: 'none' }, url, deploy } as Profile)).warnings;

describe('public URL warnings', () => {
  it('a sub-path names what breaks behind a stripping proxy (resume-link signatures) and the way out', () => {
    const [subpath] = warnings({ public: 'https://example.com/n8n/' }).filter((w) => w.code === 'WARN_SUBPATH');
    expect(subpath?.message).toMatch(/Human-in-the-Loop and Wait nodes .* fail their signature check/);
    expect(subpath?.message).toContain('#19635');
    expect(subpath?.message).toContain('n8n.example.com');
  });

  it('plain http names the secure cookie and the OAuth callbacks that need https', () => {
    const [http] = warnings({ public: 'http://n8n.example.com/' }).filter((w) => w.code === 'WARN_INSECURE_COOKIE');
    expect(http?.message).toMatch(/OAuth2 credentials .* need an https:\/\/ callback/);
  });

  it('a proxy with hops 0 names the rate limit and the resume links', () => {
    const [hops] = warnings({ public: 'https://n8n.example.com/', proxyHops: 0 }).filter((w) => w.code === 'WARN_PROXY_HOPS_ZERO');
    expect(hops?.message).toMatch(/rate-limits everyone as one client/);
    expect(hops?.message).toMatch(/resume links fail their signature check/);
  });
});
