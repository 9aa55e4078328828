import type { ProxySpec } from '../compose/compose-spec.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { bundledCaddyfile } from '../proxy/caddyfile.js';
import { proxySnippets } from '../proxy/proxy-snippets.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import type { PlannedFile } from './plan-export.js';

/** The bundled Caddy needs its Caddyfile; an external proxy gets snippets to paste. Traefik lives in labels. */
export function proxyFiles(profile: ResolvedProfile, proxy: ProxySpec): PlannedFile[] {
  if (proxy.kind === 'caddy') {
    return [{ path: 'Caddyfile', content: bundledCaddyfile(proxy), mode: 0o644, holdsSecret: false, kind: 'proxy' }];
  }
  if (proxy.kind === 'external') {
    return proxySnippets({ publicUrl: profile.url.public, upstream: `127.0.0.1:${CONTAINER.listenPort}` }).map((s) => ({
      path: `proxy/${s.fileName}`,
      content: s.text,
      mode: 0o644,
      holdsSecret: false,
      kind: 'proxy' as const,
    }));
  }
  return [];
}
