/**
 * After a test email is accepted, "Check the sender domain" shows what the domain's DNS says about delivery —
 * exactly the findings the service reads from a real DNS server (dnsmasq on loopback, given to serve with
 * N8N_SETUP_DNS_SERVERS), each warning with its fix.
 */
import { expect, test } from '@playwright/test';
import { checkSenderDomain } from '../../services/check/check-sender-domain.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { startDnsmasq } from '../../test/support/dnsmasq.js';
import { startServe } from './support/serve-app.js';
import { walkToTestEmail } from './support/walk-to.js';
import { atStep, back, next } from './support/wizard-page.js';

test('a sent test offers the sender-domain check; its findings are what the DNS server says, warnings with their fixes', async ({ page }) => {
  const dns = await startDnsmasq([
    'mx-host=nodmarc.example.test,mx.nodmarc.example.test,10',
    'txt-record=nodmarc.example.test,"v=spf1 ip4:127.0.0.1 ~all"',
  ]);
  const smtp = await startSmtpFixture();
  const app = await startServe({ env: { N8N_SETUP_DNS_SERVERS: dns.server } });
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^No encryption/, caFile: '' });
    await back(page);
    await atStep(page, 'Sender');
    await page.getByLabel('From').fill('n8n <n8n@nodmarc.example.test>');
    await next(page);
    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('The test email was accepted')).toBeVisible();

    await page.getByRole('button', { name: 'Check the sender domain' }).click();
    const list = page.getByRole('list', { name: 'Sender domain nodmarc.example.test' });
    await expect(list).toBeVisible();
    const expected = await checkSenderDomain({ sender: 'n8n <n8n@nodmarc.example.test>', smtpHost: '127.0.0.1', dnsServers: [dns.server] });
    const words = { ok: 'in place', warning: 'needs attention', 'not-checked': 'not checked', info: 'note' } as const;
    const shown = (await list.getByRole('listitem').allTextContents()).map((text) => text.replace(/^\S\s*/, '').trim());
    expect(shown).toEqual(expected.findings.map((f) => `${words[f.status]}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`));
    expect(expected.findings.find((f) => f.check === 'dmarc')).toMatchObject({ status: 'warning' });
    await atStep(page, 'Send a test email', '07-test-email-sender-domain');
  } finally {
    await app.stop();
    await smtp.close();
    await dns.stop();
  }
});
