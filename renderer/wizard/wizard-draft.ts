/**
 * The wizard's answers as typed so far: flat, non-secret, and kept by the services between runs
 * (saveDraft). Passwords and private keys never enter it; they live only in their form field.
 */
import type { TemplateKindName } from '../../shared/n8n/email-templates.js';

export type SecretHandling = 'keychain' | 'each-time' | 'file-only';

export interface WizardDraft {
  /** Where n8n runs: its folder is on this computer, or on a server reached over SSH (`server`). */
  where: 'here' | 'server';
  /** user@host, a Host of ~/.ssh/config, or ssh://user@host:port. */
  server: string;
  start: 'new' | 'existing';
  envFile: string;
  composeFile: string;
  emailMode: 'smtp' | 'none';
  presetId: string;
  host: string;
  port: string;
  security: 'tls' | 'starttls' | 'none';
  caFile: string;
  authType: 'none' | 'password' | 'google-service-account';
  user: string;
  serviceClient: string;
  secretHandling: SecretHandling;
  /**
   * 'yes' when secretHandling left 'keychain' because the keychain could not be used, not by the admin's
   * choice: it goes back to 'keychain' once the keychain answers again (keychainFallbackPatch).
   */
  keychainFallback: '' | 'yes';
  secretsIn: 'env' | 'file';
  sender: string;
  testTo: string;
  publicUrl: string;
  proxy: 'none' | 'caddy' | 'traefik' | 'external' | 'platform';
  proxyHops: string;
  acmeEmail: string;
  templates: Partial<Record<TemplateKindName, string>>;
  outDir: string;
}

export type DraftField = Exclude<keyof WizardDraft, 'templates'>;

export const EMPTY_DRAFT: WizardDraft = {
  where: 'here',
  server: '',
  start: 'new',
  envFile: '',
  composeFile: '',
  emailMode: 'smtp',
  presetId: '',
  host: '',
  port: '587',
  security: 'starttls',
  caFile: '',
  authType: 'password',
  user: '',
  serviceClient: '',
  secretHandling: 'keychain',
  keychainFallback: '',
  secretsIn: 'env',
  sender: '',
  testTo: '',
  publicUrl: '',
  proxy: 'none',
  proxyHops: '',
  acmeEmail: '',
  templates: {},
  outDir: '',
};

/** A stored draft back into the wizard's shape: unknown keys and wrongly typed values are dropped. */
export function draftFromJson(json: Record<string, unknown>): WizardDraft {
  const draft: WizardDraft = { ...EMPTY_DRAFT, templates: {} };
  for (const key of Object.keys(EMPTY_DRAFT) as Array<keyof WizardDraft>) {
    const value = json[key];
    if (key === 'templates') {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [kind, file] of Object.entries(value)) if (typeof file === 'string') (draft.templates as Record<string, string>)[kind] = file;
      }
    } else if (typeof value === 'string') {
      (draft as unknown as Record<string, string>)[key] = value;
    }
  }
  return draft;
}

/**
 * What the Login step changes when the keychain's availability is known: a keychain that cannot be used
 * moves 'keychain' to 'each-time' (shown, with the other choice, next to the reason), marked as not the
 * admin's choice; once the keychain answers again, that automatic move is undone. A choice the admin made
 * is never changed.
 */
export function keychainFallbackPatch(draft: Pick<WizardDraft, 'secretHandling' | 'keychainFallback'>, keychainAvailable: boolean): Partial<WizardDraft> | undefined {
  if (!keychainAvailable && draft.secretHandling === 'keychain') return { secretHandling: 'each-time', keychainFallback: 'yes' };
  if (keychainAvailable && draft.keychainFallback === 'yes') return { secretHandling: 'keychain', keychainFallback: '' };
  return undefined;
}
