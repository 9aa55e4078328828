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
  if (!check.ok || !isAbsolute(draft.outDir)) return undefined;
  const secrets = typedSecrets(draft, secret);
  return {
    profile: { ...check.profile, name: PROFILE_NAME },
    outDir: draft.outDir,
    ...(Object.keys(secrets).length > 0 && { secrets }),
    ...(secretForNewServer && { secretForNewServer }),
    ...(removeUnusedSecrets.length > 0 && { removeUnusedSecrets: [...removeUnusedSecrets] }),
  };
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
