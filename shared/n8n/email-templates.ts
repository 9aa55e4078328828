import type { VariableName } from './n8n-variables.js';

/**
 * n8n's email template kinds. `kind` is the profile key (the variable's suffix in camel case, as older
 * loaders named the fields); `loaderKey` is the name the current loader (@n8n/config TemplateConfig) uses,
 * accepted in profiles too. `placeholders` are the Handlebars values a template of that kind must use
 * for the email to be useful (the link the recipient needs; export refuses a template without it);
 * `recommended` the link an email should carry (a warning; `orInstead` may stand in for it); `provides` is
 * every value n8n 2.41.1 hands that template (user-management-mailer.js and its callers), besides the
 * BASE_PLACEHOLDERS every template gets. Any other name renders as nothing.
 */
export interface TemplateKind {
  kind: string;
  loaderKey: string;
  variable: VariableName;
  fileName: string;
  placeholders: readonly string[];
  /** The link the email should carry, where n8n's own template has it but an email without it still makes sense: a warning. */
  recommended?: readonly string[];
  orInstead?: readonly string[];
  provides: readonly string[];
  purpose: string;
}

/** UserManagementMailer.basePayload: in every template. */
export const BASE_PLACEHOLDERS = ['baseUrl', 'domain', 'currentYear'] as const;

export const TEMPLATE_KINDS = [
  { kind: 'invite', loaderKey: 'user-invited', variable: 'N8N_UM_EMAIL_TEMPLATES_INVITE', fileName: 'invite.html', placeholders: ['inviteAcceptUrl'], provides: ['email', 'inviteAcceptUrl'], purpose: 'user invited' },
  { kind: 'passwordReset', loaderKey: 'password-reset-requested', variable: 'N8N_UM_EMAIL_TEMPLATES_PWRESET', fileName: 'password-reset.html', placeholders: ['passwordResetUrl'], provides: ['email', 'firstName', 'passwordResetUrl'], purpose: 'password reset' },
  { kind: 'workflowShared', loaderKey: 'workflow-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_SHARED', fileName: 'workflow-shared.html', placeholders: ['workflowUrl'], provides: ['workflowName', 'workflowUrl'], purpose: 'workflow shared' },
  { kind: 'workflowDeactivated', loaderKey: 'workflow-deactivated', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_AUTODEACTIVATED', fileName: 'workflow-deactivated.html', placeholders: [], recommended: ['workflowUrl'], provides: ['workflowName', 'workflowUrl'], purpose: 'workflow deactivated automatically' },
  { kind: 'credentialsShared', loaderKey: 'credentials-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_CREDENTIALS_SHARED', fileName: 'credentials-shared.html', placeholders: ['credentialsListUrl'], provides: ['credentialsName', 'credentialsListUrl'], purpose: 'credential shared' },
  { kind: 'projectShared', loaderKey: 'project-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_PROJECT_SHARED', fileName: 'project-shared.html', placeholders: ['projectUrl'], provides: ['role', 'projectName', 'projectUrl'], purpose: 'added to a project' },
  { kind: 'workflowFailure', loaderKey: 'workflow-failure', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_FAILURE', fileName: 'workflow-failure.html', placeholders: [], recommended: ['workflowUrl'], orInstead: ['instanceURL'], provides: ['firstName', 'workflowId', 'workflowName', 'workflowUrl', 'instanceURL'], purpose: 'workflow failed' },
  { kind: 'apiKeyRevoked', loaderKey: 'api-key-revoked', variable: 'N8N_UM_EMAIL_TEMPLATES_API_KEY_REVOKED', fileName: 'api-key-revoked.html', placeholders: [], recommended: ['createApiKeyUrl'], provides: ['email', 'firstName', 'label', 'suffix', 'revokedBy', 'revokedAt', 'createApiKeyUrl'], purpose: 'API key revoked' },
  { kind: 'mcpClientRevoked', loaderKey: 'mcp-client-revoked', variable: 'N8N_UM_EMAIL_TEMPLATES_MCP_CLIENT_REVOKED', fileName: 'mcp-client-revoked.html', placeholders: [], recommended: ['mcpSettingsUrl'], provides: ['email', 'firstName', 'clientName', 'revokedBy', 'revokedAt', 'mcpSettingsUrl'], purpose: 'MCP client revoked' },
  { kind: 'emailChangeRequested', loaderKey: 'email-change-requested', variable: 'N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_REQUESTED', fileName: 'email-change-requested.html', placeholders: [], recommended: ['confirmationUrl'], provides: ['email', 'firstName', 'newEmail', 'confirmationUrl'], purpose: 'email change requested' },
  { kind: 'emailChangeCompleted', loaderKey: 'email-change-completed', variable: 'N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_COMPLETED', fileName: 'email-change-completed.html', placeholders: [], provides: ['email', 'firstName', 'newEmail'], purpose: 'email change completed' },
] as const satisfies readonly TemplateKind[];

export type TemplateKindName = (typeof TEMPLATE_KINDS)[number]['kind'];

export function templateKind(kindOrLoaderKey: string): TemplateKind | undefined {
  return TEMPLATE_KINDS.find((t) => t.kind === kindOrLoaderKey || t.loaderKey === kindOrLoaderKey);
}

/** Required placeholders the HTML does not print (`{{ name }}` or `{{{name}}}`; `{{#if name}}` alone prints nothing). */
export function missingPlaceholders(kind: TemplateKind, html: string): string[] {
  const printed = new Set(usedNames(html, { printedOnly: true }));
  return kind.placeholders.filter((name) => !printed.has(name));
}

/** The recommended link, when the HTML prints neither it nor its stand-in. */
export function missingRecommended(kind: TemplateKind, html: string): string[] {
  const printed = new Set(usedNames(html, { printedOnly: true }));
  if (kind.orInstead?.some((name) => printed.has(name))) return [];
  return (kind.recommended ?? []).filter((name) => !printed.has(name));
}

/** Names the HTML uses that n8n does not give this template: Handlebars renders them as nothing. */
export function unknownPlaceholders(kind: TemplateKind, html: string): string[] {
  const known = new Set<string>([...BASE_PLACEHOLDERS, ...kind.provides]);
  return [...new Set(usedNames(html))].filter((name) => !known.has(name));
}

const HELPERS = new Set(['if', 'unless', 'each', 'with', 'else', 'lookup', 'log', 'this']);

/**
 * The data names a Handlebars template reads: `{{name}}`, `{{{name}}}`, `{{name.path}}` (its first segment),
 * and the arguments of block helpers (`{{#if name}}`). Comments, partials, `@data` and `this` are not data names.
 */
function usedNames(html: string, options: { printedOnly?: boolean } = {}): string[] {
  const names: string[] = [];
  for (const match of html.matchAll(/\{\{\{?~?\s*([^}]*?)\s*~?\}?\}\}/g)) {
    const body = match[1]!;
    if (/^(!|>|\/)/.test(body)) continue;
    if (options.printedOnly && /^[#^]|^else\b/.test(body)) continue;
    const words = body.replace(/^[#^]/, '').split(/\s+/).filter(Boolean);
    for (const word of words) {
      if (/^[@"'\d(]/.test(word) || word.includes('=')) continue;
      const name = word.split(/[./[]/)[0]!;
      if (name && !HELPERS.has(name) && /^[A-Za-z_$][\w$-]*$/.test(name)) names.push(name);
    }
  }
  return names;
}
