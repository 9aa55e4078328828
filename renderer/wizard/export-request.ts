/** What previewExport and writeExport receive: the checked profile, the folder, and a secret typed for this run. */
import type { RequestOf } from '../../shared/ipc/contract.js';
import { checkDraft, PROFILE_NAME } from './profile-from-draft.js';
import { typedSecrets } from './typed-secret.js';
import type { WizardDraft } from './wizard-draft.js';

export function exportRequest(draft: WizardDraft, secret: string): RequestOf<'previewExport'> | undefined {
  const check = checkDraft(draft);
  if (!check.ok || !isAbsolute(draft.outDir)) return undefined;
  const secrets = typedSecrets(draft, secret);
  return { profile: { ...check.profile, name: PROFILE_NAME }, outDir: draft.outDir, ...(Object.keys(secrets).length > 0 && { secrets }) };
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
