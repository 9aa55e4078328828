import { SetupError } from '../errors.js';
import type { deriveN8nSettings } from '../n8n/derive-n8n-settings.js';
import { BASE_PLACEHOLDERS, missingPlaceholders, missingRecommended, TEMPLATE_KINDS, unknownPlaceholders, type TemplateKind } from '../n8n/email-templates.js';
import type { Warning } from '../errors.js';
import type { PlannedFile } from './plan-export.js';

/** Copies of the admin's templates and CA bundle, checked before they are mounted into the container. */
export function mountFolder(kind: 'template' | 'certificate'): string {
  return kind === 'template' ? 'templates' : 'certs';
}

export function mountedFiles(mounts: ReturnType<typeof deriveN8nSettings>['mounts'], sources: Record<string, string>, warnings: Warning[] = []): PlannedFile[] {
  return mounts.map((mount) => {
    const content = sources[mount.source];
    const field = mount.kind === 'certificate' ? 'email.caFile' : `email.templates.${TEMPLATE_KINDS.find((t) => t.fileName === mount.fileName)?.kind}.file`;
    if (content === undefined) {
      throw new SetupError({ code: 'INVALID_VALUE', field, message: `${field}: cannot read ${mount.source}.`, fix: 'Check the path; relative paths are relative to the profile file.' });
    }
    if (mount.kind === 'certificate' && !content.includes('-----BEGIN CERTIFICATE-----')) {
      throw new SetupError({ code: 'INVALID_VALUE', field, message: `${field}: ${mount.source} holds no PEM certificate.`, fix: 'Point it at the CA certificate in PEM form (a text file starting with -----BEGIN CERTIFICATE-----).' });
    }
    if (mount.kind === 'template') {
      const kind = TEMPLATE_KINDS.find((t) => t.fileName === mount.fileName);
      const missing = kind ? missingPlaceholders(kind, content) : [];
      if (missing.length) {
        throw new SetupError({
          code: 'INVALID_VALUE',
          field,
          message: `${field}: ${mount.source} does not use ${missing.map((m) => `{{${m}}}`).join(', ')}, so the email would not contain the link the recipient needs.`,
          fix: `Add ${missing.map((m) => `{{${m}}}`).join(', ')} to the template, e.g. <a href="{{${missing[0]}}}">…</a>.`,
        });
      }
      const unknown = kind ? unknownPlaceholders(kind, content) : [];
      if (kind && unknown.length > 0) warnings.push(unknownPlaceholderWarning(kind, mount.source, unknown));
      const noLink = kind ? missingRecommended(kind, content) : [];
      if (kind && noLink.length > 0) {
        warnings.push({ code: 'WARN_TEMPLATE_NO_LINK', message: `The ${kind.purpose} template (${mount.source}) does not print ${noLink.map((name) => `{{${name}}}`).join(', ')}: the email will not carry the link n8n's own one does.` });
      }
    }
    return { path: `${mountFolder(mount.kind)}/${mount.fileName}`, content, mode: 0o644, holdsSecret: false, kind: mount.kind };
  });
}

/** A placeholder n8n does not fill renders as nothing: "Hello {{name}}" becomes "Hello ". */
export function unknownPlaceholderWarning(kind: TemplateKind, source: string, unknown: readonly string[]): Warning {
  return {
    code: 'WARN_TEMPLATE_UNKNOWN_PLACEHOLDER',
    message: `The ${kind.purpose} template (${source}) uses ${unknown.map((name) => `{{${name}}}`).join(', ')}, which n8n does not give this email: ${unknown.length === 1 ? 'it renders' : 'they render'} as nothing. It gets ${[...kind.provides, ...BASE_PLACEHOLDERS].join(', ')}.`,
  };
}
