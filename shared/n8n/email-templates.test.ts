import { describe, expect, it } from 'vitest';
import { missingPlaceholders, missingRecommended, templateKind, unknownPlaceholders } from './email-templates.js';

const kind = (name: string) => templateKind(name)!;

describe('template placeholders (n8n 2.41.1)', () => {
  it('finds a name n8n does not give the email, in every Handlebars spelling, and nothing else', () => {
    const html = '<p>Hi {{ firstName }}, {{{inviteUrl}}}</p>{{#if workflowName}}{{workflowName}}{{else}}x{{/if}}{{! {{comment}} }}{{> partial}}{{@index}}{{currentYear}}';
    expect(unknownPlaceholders(kind('invite'), html)).toEqual(['firstName', 'inviteUrl', 'workflowName']);
    expect(unknownPlaceholders(kind('passwordReset'), '{{#if firstName}}Hi {{firstName}}{{/if}} {{passwordResetUrl}} {{domain}}')).toEqual([]);
  });

  it('the invite and reset links are required where printed (an {{#if}} around nothing does not count); the newer emails recommend theirs', () => {
    expect(missingPlaceholders(kind('invite'), '{{#if inviteAcceptUrl}}Welcome{{/if}}')).toEqual(['inviteAcceptUrl']);
    expect(missingPlaceholders(kind('invite'), '<a href="{{inviteAcceptUrl}}">Join</a>')).toEqual([]);
    expect(missingPlaceholders(kind('apiKeyRevoked'), 'x')).toEqual([]);
    expect(missingRecommended(kind('apiKeyRevoked'), '<a href="{{baseUrl}}">n8n</a>')).toEqual(['createApiKeyUrl']);
    expect(missingRecommended(kind('mcpClientRevoked'), '{{mcpSettingsUrl}}')).toEqual([]);
    expect(missingRecommended(kind('emailChangeRequested'), 'x')).toEqual(['confirmationUrl']);
    expect(missingRecommended(kind('workflowFailure'), '{{instanceURL}}')).toEqual([]);
    expect(missingRecommended(kind('workflowFailure'), '{{baseUrl}}')).toEqual(['workflowUrl']);
    expect(missingRecommended(kind('emailChangeCompleted'), 'Your email changed.')).toEqual([]);
  });
});
