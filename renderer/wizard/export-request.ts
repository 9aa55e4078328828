/**
 * What previewExport and writeExport receive: the checked profile, the folder, a secret typed for this run,
 * whether a saved one may go to a new server, and the unread secrets of .env the admin ticked for removal.
 */
import type { RequestOf } from '../../shared/ipc/contract.js';
import { checkDraft, PROFILE_NAME } from './profile-from-draft.js';
import { typedSecrets } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

export function exportRequest(draft: WizardDraft, secret: string, secretForNewServer: boolean, removeUnusedSecrets: readonly string[] = []): RequestOf<'previewExport'> | undefined {
  const check = checkDraft(draft);
  if (!check.ok || !folderReady(draft)) return undefined;
  const secrets = typedSecrets(draft, secret);
  return {
    profile: { ...check.profile, name: PROFILE_NAME },
    outDir: draft.outDir,
    ...onServer(draft),
    ...(Object.keys(secrets).length > 0 && { secrets }),
    ...(secretForNewServer && { secretForNewServer }),
    ...(removeUnusedSecrets.length > 0 && { removeUnusedSecrets: [...removeUnusedSecrets] }),
  };
}

/** The folder is given: an absolute path here, or on the server (`/opt/n8n`) with the server named. */
export function folderReady(draft: Pick<WizardDraft, 'where' | 'server' | 'outDir'>): boolean {
  return draft.where === 'server' ? draft.server.trim() !== '' && draft.outDir.startsWith('/') : isAbsolute(draft.outDir);
}

/** `{ server }` for the services when the folder is on a server; nothing for this computer. */
export function onServer(draft: Pick<WizardDraft, 'where' | 'server'>): { server?: string } {
  return draft.where === 'server' && draft.server.trim() ? { server: draft.server.trim() } : {};
}

/** How the folder is named to the admin: `/opt/n8n`, or `root@vps:/opt/n8n` on a server. */
export function shownFolder(draft: Pick<WizardDraft, 'where' | 'server' | 'outDir'>): string {
  if (draft.where !== 'server') return draft.outDir;
  const server = draft.server.trim();
  return server.startsWith('ssh://') ? `${server.replace(/\/$/, '')}${draft.outDir}` : `${server}:${draft.outDir}`;
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
