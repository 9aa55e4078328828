import type { VariableName } from './n8n-variables.js';

/**
 * n8n's email template kinds. `kind` is the profile key (the variable's suffix in camel case, as older
 * loaders named the fields); `loaderKey` is the name the current loader (@n8n/config TemplateConfig) uses,
 * accepted in profiles too. `placeholders` are the Handlebars values a template of that kind must use
 * for the email to be useful (the link the recipient needs).
 */
export interface TemplateKind {
  kind: string;
  loaderKey: string;
  variable: VariableName;
  fileName: string;
  placeholders: readonly string[];
  purpose: string;
}

export const TEMPLATE_KINDS = [
  { kind: 'invite', loaderKey: 'user-invited', variable: 'N8N_UM_EMAIL_TEMPLATES_INVITE', fileName: 'invite.html', placeholders: ['inviteAcceptUrl'], purpose: 'user invited' },
  { kind: 'passwordReset', loaderKey: 'password-reset-requested', variable: 'N8N_UM_EMAIL_TEMPLATES_PWRESET', fileName: 'password-reset.html', placeholders: ['passwordResetUrl'], purpose: 'password reset' },
  { kind: 'workflowShared', loaderKey: 'workflow-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_SHARED', fileName: 'workflow-shared.html', placeholders: ['workflowUrl'], purpose: 'workflow shared' },
  { kind: 'workflowDeactivated', loaderKey: 'workflow-deactivated', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_AUTODEACTIVATED', fileName: 'workflow-deactivated.html', placeholders: [], purpose: 'workflow deactivated automatically' },
  { kind: 'credentialsShared', loaderKey: 'credentials-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_CREDENTIALS_SHARED', fileName: 'credentials-shared.html', placeholders: ['credentialsListUrl'], purpose: 'credential shared' },
  { kind: 'projectShared', loaderKey: 'project-shared', variable: 'N8N_UM_EMAIL_TEMPLATES_PROJECT_SHARED', fileName: 'project-shared.html', placeholders: ['projectUrl'], purpose: 'added to a project' },
  { kind: 'workflowFailure', loaderKey: 'workflow-failure', variable: 'N8N_UM_EMAIL_TEMPLATES_WORKFLOW_FAILURE', fileName: 'workflow-failure.html', placeholders: [], purpose: 'workflow failed' },
  { kind: 'apiKeyRevoked', loaderKey: 'api-key-revoked', variable: 'N8N_UM_EMAIL_TEMPLATES_API_KEY_REVOKED', fileName: 'api-key-revoked.html', placeholders: [], purpose: 'API key revoked' },
  { kind: 'mcpClientRevoked', loaderKey: 'mcp-client-revoked', variable: 'N8N_UM_EMAIL_TEMPLATES_MCP_CLIENT_REVOKED', fileName: 'mcp-client-revoked.html', placeholders: [], purpose: 'MCP client revoked' },
  { kind: 'emailChangeRequested', loaderKey: 'email-change-requested', variable: 'N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_REQUESTED', fileName: 'email-change-requested.html', placeholders: [], purpose: 'email change requested' },
  { kind: 'emailChangeCompleted', loaderKey: 'email-change-completed', variable: 'N8N_UM_EMAIL_TEMPLATES_EMAIL_CHANGE_COMPLETED', fileName: 'email-change-completed.html', placeholders: [], purpose: 'email change completed' },
] as const satisfies readonly TemplateKind[];

export type TemplateKindName = (typeof TEMPLATE_KINDS)[number]['kind'];

export function templateKind(kindOrLoaderKey: string): TemplateKind | undefined {
  return TEMPLATE_KINDS.find((t) => t.kind === kindOrLoaderKey || t.loaderKey === kindOrLoaderKey);
}

/** Placeholders from the template's kind that the HTML does not use (`{{ name }}` or `{{{name}}}`). */
export function missingPlaceholders(kind: TemplateKind, html: string): string[] {
  return kind.placeholders.filter((name) => !new RegExp(`\\{\\{\\{?\\s*${name}\\s*\\}?\\}\\}`).test(html));
}
