/**
 * What the SMTP acceptance tests share: the test login, the resolver that maps the fixtures' host name to
 * loopback, n8n-style variables for a fixture, and a runner that keeps every result for the secret check.
 */
import { sendTestEmail, type SmtpTestOptions, type SmtpTestRequest } from '../../services/smtp/send-test-email.js';
import type { LookupHost } from '../../services/smtp/open-smtp-socket.js';
import type { SmtpVariables } from '../../shared/smtp/n8n-mailer.js';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { TEST_HOST } from './test-certificates.js';

export const USER = 'n8n-sender@example.test';
/** Quotes, a backslash, non-ASCII, "+" and "/" and "%": every encoding of it differs from the literal. */
export const PASSWORD = 'Tr0ub4dor&3 "quoted" \\ ü/+=%25';
export const RECIPIENT = 'admin@example.test';
export const SENDER = 'n8n <n8n@example.test>';

/** Resolves the fixtures' host name to the given loopback address; anything else does not exist. */
export function loopbackLookup(address = '127.0.0.1'): LookupHost {
  return async (host) => {
    if (host === TEST_HOST) return { address, family: 4 };
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };
}

/** What an admin writes for a STARTTLS server on `port` (override per case). */
export function n8nVariables(port: number, overrides: SmtpVariables = {}): SmtpVariables {
  return {
    N8N_SMTP_HOST: TEST_HOST,
    N8N_SMTP_PORT: String(port),
    N8N_SMTP_SSL: 'false',
    N8N_SMTP_STARTTLS: 'true',
    N8N_SMTP_USER: USER,
    N8N_SMTP_PASS: PASSWORD,
    N8N_SMTP_SENDER: SENDER,
    ...overrides,
  };
}

/** Every result any test produced, for the suite-wide "the password never appears" check. */
export const allResults: SmtpTestResult[] = [];

export async function runTest(request: Omit<SmtpTestRequest, 'to'> & { to?: string }, options: SmtpTestOptions = {}): Promise<SmtpTestResult> {
  const result = await sendTestEmail({ to: RECIPIENT, ...request }, { lookup: loopbackLookup(), ...options });
  allResults.push(result);
  return result;
}

export function warningCodes(result: SmtpTestResult): string[] {
  return result.warnings.map((w) => w.code);
}
