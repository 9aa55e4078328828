/**
 * The Content-Security-Policy and companion headers, the same for the app's app:// responses and for
 * `serve`. renderer/index.html carries a <meta> copy of the strict policy (the build writes it from here).
 */
const STRICT_POLICY: Record<string, string> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

/** Vite's dev server injects inline scripts and styles and reloads over a WebSocket; never in a package. */
const DEV_RELAXATION: Record<string, string> = {
  'script-src': "'self' 'unsafe-inline'",
  'style-src': "'self' 'unsafe-inline'",
  'connect-src': "'self' ws:",
};

export function contentSecurityPolicy(options: { dev: boolean }): string {
  const policy = options.dev ? { ...STRICT_POLICY, ...DEV_RELAXATION } : STRICT_POLICY;
  return Object.entries(policy)
    .map(([directive, value]) => `${directive} ${value}`)
    .join('; ');
}

/** The <meta> copy: browsers ignore frame-ancestors there (and log an error), so only the header carries it. */
export function metaContentSecurityPolicy(options: { dev: boolean }): string {
  return contentSecurityPolicy(options)
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors '))
    .join('; ');
}

export function securityHeaders(options: { dev: boolean }): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    // The serve link carries its token in the query; no page we serve ever sends a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
