import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy, securityHeaders } from './security-headers.js';

const STRICT =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('contentSecurityPolicy', () => {
  it('is the strict policy outside development', () => {
    expect(contentSecurityPolicy({ dev: false })).toBe(STRICT);
    expect(securityHeaders({ dev: false })['Content-Security-Policy']).toBe(STRICT);
  });

  it("relaxes only what Vite's dev server needs: inline scripts and styles, and its socket", () => {
    const dev = contentSecurityPolicy({ dev: true });
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("style-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws:");
    expect(dev).not.toContain('unsafe-eval');
    expect(dev).toContain("default-src 'none'");
  });

  it('is the policy the source index.html carries as <meta>, less frame-ancestors, which only works as a header', () => {
    expect(metaContentSecurityPolicy({ dev: false })).toBe(STRICT.replace("; frame-ancestors 'none'", ''));
    expect(readFileSync('renderer/index.html', 'utf8')).toContain(`content="${metaContentSecurityPolicy({ dev: false })}"`);
  });
});
