/**
 * The SMTP test must describe what n8n will do, so its mapping is checked against n8n itself: @n8n/config
 * reads the same environment in a child process, and node-mailer.ts's few lines turn that into transport
 * options. Generated hostile values (untrimmed booleans, quoted strings, "yes", empty values) included.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { n8nMailerFromVariables, type SmtpVariable, type SmtpVariables } from '../../shared/smtp/n8n-mailer.js';

interface N8nSmtpConfig {
  mode: string;
  smtp: { host: string; port: number; secure: boolean; startTLS: boolean; sender: string; auth: { user: string; pass: string; serviceClient: string; privateKey: string } };
}

const ORACLE = `
require('reflect-metadata');
console.warn = () => {};
const { Container } = require('@n8n/di');
const { GlobalConfig } = require('@n8n/config');
const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const out = cases.map((env) => {
  for (const key of Object.keys(process.env)) if (key.startsWith('N8N_')) delete process.env[key];
  Object.assign(process.env, env);
  Container.reset();
  const emails = Container.get(GlobalConfig).userManagement.emails;
  return { mode: emails.mode, smtp: emails.smtp };
});
process.stdout.write(JSON.stringify(out));`;

function readByN8n(cases: SmtpVariables[]): N8nSmtpConfig[] {
  return JSON.parse(execFileSync(process.execPath, ['-e', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } })) as N8nSmtpConfig[];
}

/** packages/cli/src/user-management/email/node-mailer.ts, restated. */
function transportLikeNodeMailer({ smtp }: N8nSmtpConfig) {
  const transport: Record<string, unknown> = { host: smtp.host, port: smtp.port, secure: smtp.secure, ignoreTLS: !smtp.startTLS };
  if (smtp.auth.user && smtp.auth.pass) transport.auth = { user: smtp.auth.user, pass: smtp.auth.pass };
  if (smtp.auth.serviceClient && smtp.auth.privateKey) transport.auth = { type: 'OAuth2', user: smtp.auth.user, serviceClient: smtp.auth.serviceClient, privateKey: smtp.auth.privateKey.replace(/\\n/g, '\n') };
  return { transport, sender: smtp.sender || (smtp.auth.user.includes('@') ? smtp.auth.user : '') };
}

const values: Record<SmtpVariable, fc.Arbitrary<string>> = {
  N8N_EMAIL_MODE: fc.constantFrom('smtp', '', 'SMTP', ' smtp', '"smtp"', 'none'),
  N8N_SMTP_HOST: fc.constantFrom('smtp.example.com', ' smtp.example.com ', '"smtp.example.com"', "'x'", ''),
  N8N_SMTP_PORT: fc.constantFrom('587', ' 465 ', '25', 'abc', '', '"587"', '2525.0', '0x24B'),
  N8N_SMTP_SSL: fc.constantFrom('true', 'false', 'TRUE', '0', '1', 'yes', ' true', 'false\n', ''),
  N8N_SMTP_STARTTLS: fc.constantFrom('true', 'false', 'False', 'no', ''),
  N8N_SMTP_USER: fc.constantFrom('apikey', 'user@example.com', ' user@example.com ', '', '"quoted"'),
  N8N_SMTP_PASS: fc.constantFrom('secret', ' padded ', '"quoted"', '', 'p=ss$word'),
  N8N_SMTP_SENDER: fc.constantFrom('n8n <n8n@example.com>', '', ' n8n@example.com', "'n8n@example.com'"),
  N8N_SMTP_OAUTH_SERVICE_CLIENT: fc.constantFrom('', '1234567890'),
  N8N_SMTP_OAUTH_PRIVATE_KEY: fc.constantFrom('', '-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----'),
};

const environments = fc.record(values, { requiredKeys: [] });

describe('n8nMailerFromVariables against n8n\'s own config loader', () => {
  it('builds the transport and sender n8n builds, for generated environments', () => {
    const cases = fc.sample(environments, { numRuns: 300, seed: 20261128 });
    const n8n = readByN8n(cases);
    cases.forEach((variables, i) => {
      const theirs = n8n[i];
      if (!theirs) throw new Error('oracle returned fewer cases');
      const ours = n8nMailerFromVariables(variables);
      const expected = transportLikeNodeMailer(theirs);
      expect({ transport: ours.transport, sender: ours.sender }, JSON.stringify(variables)).toEqual(expected);
      expect(ours.enabled, JSON.stringify(variables)).toBe(theirs.mode === 'smtp' && theirs.smtp.host !== '');
    });
  });
});
