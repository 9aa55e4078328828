import { describe, expect, it } from 'vitest';
import { missingPlaceholders, templateKind, unknownPlaceholders } from './email-templates.js';

const kind = (name: string) => templateKind(name)!;

describe('template placeholders (n8n 2.41.1)', () => {
  it('finds a name n8n does not give the email, in every Handlebars spelling, and nothing else', () => {
    const html = '<p>Hi {{ firstName }}, {{{inviteUrl}}}</p>{{#if workflowName}}{{workflowName}}{{else}}x{{/if}}{{! {{comment}} }}{{> partial}}{{@index}}{{currentYear}}';
    expect(unknownPlaceholders(kind('invite'), html)).toEqual(['firstName', 'inviteUrl', 'workflowName']);
    expect(unknownPlaceholders(kind('passwordReset'), '{{#if firstName}}Hi {{firstName}}{{/if}} {{passwordResetUrl}} {{domain}}')).toEqual([]);
  });

  it('each link kind requires its link; the workflow-failure email may use the instance URL instead', () => {
    expect(missingPlaceholders(kind('apiKeyRevoked'), '<a href="{{baseUrl}}">n8n</a>')).toEqual(['createApiKeyUrl']);
    expect(missingPlaceholders(kind('mcpClientRevoked'), '{{mcpSettingsUrl}}')).toEqual([]);
    expect(missingPlaceholders(kind('emailChangeRequested'), 'x')).toEqual(['confirmationUrl']);
    expect(missingPlaceholders(kind('workflowFailure'), '{{instanceURL}}')).toEqual([]);
    expect(missingPlaceholders(kind('workflowFailure'), '{{baseUrl}}')).toEqual(['workflowUrl']);
    expect(missingPlaceholders(kind('emailChangeCompleted'), 'Your email changed.')).toEqual([]);
  });
});
