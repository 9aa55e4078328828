import type { Warning } from '../errors.js';
import type { ProxySpec } from '../compose/compose-spec.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { bundledCaddyfile, CADDYFILE_MARKER } from '../proxy/caddyfile.js';
import { proxySnippets } from '../proxy/proxy-snippets.js';
import type { ResolvedProfile } from '../profile/resolve-profile.js';
import type { ExistingFiles } from './existing-deployment.js';
import type { PlannedFile } from './plan-export.js';

/**
 * The bundled Caddy needs its Caddyfile; an external proxy gets snippets to paste. Traefik lives in labels.
 * A Caddyfile the admin wrote (their own caddy service, other sites) is never replaced: the n8n site goes
 * beside it as a snippet to add.
 */
export function proxyFiles(profile: ResolvedProfile, proxy: ProxySpec, existing: Pick<ExistingFiles, 'caddyfile' | 'caddyfilePath' | 'caddyfileOutside'>, warnings: Warning[]): PlannedFile[] {
  if (proxy.kind === 'caddy') {
    const content = bundledCaddyfile(proxy);
    const snippet: PlannedFile = { path: 'proxy/Caddyfile.n8n', content, mode: 0o644, holdsSecret: false, kind: 'proxy' };
    if (existing.caddyfileOutside !== undefined) {
      warnings.push({ code: 'WARN_CADDYFILE_OUTSIDE', message: `Caddy reads ${existing.caddyfileOutside}, which is outside this folder and was not touched; add the n8n site from proxy/Caddyfile.n8n to it and reload Caddy.` });
      return [snippet];
    }
    // Where the caddy service mounts its Caddyfile (./Caddyfile unless the compose file says otherwise).
    const path = existing.caddyfilePath ?? 'Caddyfile';
    if (existing.caddyfile === undefined || existing.caddyfile.includes(CADDYFILE_MARKER)) return [{ path, content, mode: 0o644, holdsSecret: false, kind: 'proxy' }];
    warnings.push({ code: 'WARN_CADDYFILE_KEPT', message: `Your ${path} was left as it is; add the n8n site from proxy/Caddyfile.n8n to it and reload Caddy.` });
    return [snippet];
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
