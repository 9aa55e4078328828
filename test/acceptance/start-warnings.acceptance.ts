import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startWarningsAbout } from './start-warnings.js';

// n8n 2.41.1 started with N8N_SMTP_SSL=yes, N8N_PROTOCOL=HTTPS, WEBHOOK_URL and a secret file ending in a newline.
const log = readFileSync(new URL('../fixtures/n8n/start-log-warnings-2.41.1.txt', import.meta.url), 'utf8');

describe('startWarningsAbout', () => {
  it("finds n8n's invalid-value, trimmed-file and deprecation warnings about the variables given", () => {
    expect(startWarningsAbout(log, ['N8N_SMTP_SSL', 'N8N_PROTOCOL', 'N8N_SMTP_PASS_FILE', 'WEBHOOK_URL'])).toEqual([
      'Invalid boolean value for N8N_SMTP_SSL: yes',
      '[n8n] Warning: The file specified by N8N_SMTP_PASS_FILE contained leading or trailing whitespace; the value was trimmed.',
      "Invalid value for N8N_PROTOCOL - Invalid enum value. Expected 'http' | 'https', received 'HTTPS'. Falling back to default value.",
      '- WEBHOOK_URL -> Use N8N_WEBHOOK_URL instead, which sets the base URL for both test and production webhooks.',
    ]);
  });

  it('ignores warnings about variables not given, and advice that only mentions one', () => {
    expect(startWarningsAbout(log, ['N8N_WEBHOOK_URL', 'N8N_RUNNERS_AUTH_TOKEN', 'N8N_HOST'])).toEqual([]);
  });
});
