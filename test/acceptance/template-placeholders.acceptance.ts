/**
 * The placeholder table against n8n 2.41.1 itself: each of its built-in templates uses only names our
 * table says n8n gives that email (none would be reported unknown) and contains the link our table requires.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingPlaceholders, missingRecommended, TEMPLATE_KINDS, unknownPlaceholders } from '../../shared/n8n/email-templates.js';
import { preparedN8n } from './prepared-n8n.js';

const templates = join(preparedN8n().installDir, 'node_modules', 'n8n', 'dist', 'user-management', 'email', 'templates');

describe("n8n's own templates", () => {
  it.each(TEMPLATE_KINDS.map((kind) => [kind.loaderKey, kind] as const))('%s: every name it uses is one n8n gives it, and the required link is there', (loaderKey, kind) => {
    const html = readFileSync(join(templates, `${loaderKey}.handlebars`), 'utf8');
    expect(unknownPlaceholders(kind, html)).toEqual([]);
    expect(missingPlaceholders(kind, html)).toEqual([]);
    expect(missingRecommended(kind, html)).toEqual([]);
  });
});
