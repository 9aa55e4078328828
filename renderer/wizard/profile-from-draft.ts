/**
 * The profile the services receive, built from the draft, and the model's own verdict on it: every
 * message comes from the shared schemas (field-rules.ts words them), mapped back to the wizard's fields.
 */
import type { Profile } from '../../shared/profile/profile-schema.js';
import { parseProfile } from '../../shared/profile/parse-profile.js';
import type { DraftField, WizardDraft } from './wizard-draft.js';

export const PROFILE_NAME = 'default';

/** What the profile would be; numbers the admin typed stay strings when they are not numbers, so the schema says so. */
export function profileFromDraft(draft: WizardDraft): unknown {
  const url: Record<string, unknown> = { public: draft.publicUrl };
  if (draft.proxyHops !== '') url.proxyHops = numberOrText(draft.proxyHops);
  const deploy: Record<string, unknown> = { proxy: draft.proxy, secrets: draft.secretHandling === 'file-only' ? 'file' : draft.secretsIn };
  if (draft.proxy === 'caddy' || draft.proxy === 'traefik') deploy.acmeEmail = draft.acmeEmail;
  return { version: 1, name: PROFILE_NAME, email: emailFromDraft(draft), url, deploy };
}

function emailFromDraft(draft: WizardDraft): unknown {
  if (draft.emailMode === 'none') return { mode: 'none' };
  const auth =
    draft.authType === 'none'
      ? { type: 'none' }
      : draft.authType === 'password'
        ? { type: 'password', user: draft.user }
        : { type: 'google-service-account', user: draft.user, serviceClient: draft.serviceClient };
  const templates = Object.fromEntries(Object.entries(draft.templates).filter(([, file]) => file).map(([kind, file]) => [kind, { file }]));
  return {
    mode: 'smtp',
    host: draft.host,
    port: numberOrText(draft.port),
    security: draft.security,
    auth,
    sender: draft.sender,
    ...(draft.caFile && { caFile: draft.caFile }),
    ...(Object.keys(templates).length && { templates }),
  };
}

function numberOrText(text: string): number | string {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
}

/** The wizard's field for a profile path (undefined for one the wizard has no field for). */
export const FIELD_OF_PATH: Readonly<Record<string, DraftField>> = {
  'email.host': 'host',
  'email.port': 'port',
  'email.security': 'security',
  'email.auth.user': 'user',
  'email.auth.serviceClient': 'serviceClient',
  'email.sender': 'sender',
  'email.caFile': 'caFile',
  'url.public': 'publicUrl',
  'url.proxyHops': 'proxyHops',
  'deploy.acmeEmail': 'acmeEmail',
};

/** Each field's label on the page: messages name the field the admin sees, not the profile's path. */
export const FIELD_LABELS: Partial<Record<DraftField, string>> = {
  host: 'Host',
  port: 'Port',
  security: 'Security',
  user: 'User name',
  serviceClient: 'Service account client ID',
  sender: 'From',
  caFile: 'CA file',
  publicUrl: 'Public URL',
  proxyHops: 'Proxies in front of n8n',
  acmeEmail: "Email for Let's Encrypt",
};

/** "email.host is empty." → "Host is empty."; "email.sender "x" is not…" → "From: "x" is not…". */
function inWizardWords(path: string | undefined, field: FieldProblem['field'], message: string): string {
  const label = FIELD_LABELS[field as DraftField];
  if (!path || !label || !message.startsWith(`${path} `)) return message;
  const rest = message.slice(path.length + 1);
  return rest.startsWith('"') ? `${label}: ${rest}` : `${label} ${rest}`;
}

export interface FieldProblem {
  field: DraftField | 'templates' | 'other';
  message: string;
  fix?: string;
}

export type DraftCheck = { ok: true; profile: Profile; problems: [] } | { ok: false; problems: FieldProblem[] };

export function checkDraft(draft: WizardDraft): DraftCheck {
  const result = parseProfile(profileFromDraft(draft));
  if (result.ok) return { ok: true, profile: result.value, problems: [] };
  return {
    ok: false,
    problems: result.errors.map((error) => {
      const field = FIELD_OF_PATH[error.field ?? ''] ?? (error.field?.startsWith('email.templates') ? 'templates' : 'other');
      return { field, message: inWizardWords(error.field, field, error.message), ...(error.fix && { fix: error.fix }) };
    }),
  };
}

/** The first problem among these fields, in words, or undefined. */
export function problemIn(draft: WizardDraft, fields: readonly DraftField[]): FieldProblem | undefined {
  const check = checkDraft(draft);
  return check.problems.find((p) => (fields as readonly string[]).includes(p.field));
}
