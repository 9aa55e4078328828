/** What previewExport and writeExport receive: the checked profile, the folder, and a secret typed for this run. */
import type { RequestOf } from '../../shared/ipc/contract.js';
import { checkDraft, PROFILE_NAME } from './profile-from-draft.js';
import type { WizardDraft } from './wizard-draft.js';

export function needsTypedSecret(draft: WizardDraft): boolean {
  return draft.emailMode === 'smtp' && draft.authType === 'password' && draft.secretHandling !== 'keychain';
}

export function exportRequest(draft: WizardDraft, password: string): RequestOf<'previewExport'> | undefined {
  const check = checkDraft(draft);
  if (!check.ok || !isAbsolute(draft.outDir)) return undefined;
  return { profile: { ...check.profile, name: PROFILE_NAME }, outDir: draft.outDir, ...(needsTypedSecret(draft) && password && { secrets: { 'smtp-password': password } }) };
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
