/**
 * A mail server with a private CA: the test fails on its certificate, the admin compares the fingerprint and
 * trusts the CA in one click, and the test runs again and passes against the same real loopback server. The
 * trusted file is the CA file from then on (the export mounts it). A name mismatch gets no such offer.
 */
import { expect, test } from '@playwright/test';
import { X509Certificate } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../../test/smtp/test-certificates.js';
import { startServe } from './support/serve-app.js';
import { walkToTestEmail } from './support/walk-to.js';
import { atStep, back } from './support/wizard-page.js';

test('a private CA: "Trust this server\'s certificate" shows its fingerprint, saves it as the CA file, and the test re-runs and passes', async ({ page }) => {
  const certs = makeTestCertificates();
  // The server sends its CA along (Postfix with a full chain file), as private-CA servers commonly do.
  const smtp = await startSmtpFixture({ certificate: { key: certs.valid.key, cert: `${certs.valid.cert.trim()}\n${certs.caPem}` } });
  const app = await startServe();
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: '' });
    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText(/^The test failed: CERT_SELF_SIGNED/)).toBeVisible();
    expect(smtp.messages).toHaveLength(0);

    await page.getByRole('button', { name: "Trust this server's certificate…" }).click();
    const question = page.getByRole('group', { name: 'Which certificate should n8n trust for 127.0.0.1?' });
    await expect(question).toBeVisible();
    const ca = new X509Certificate(certs.caPem);
    await expect(question.getByRole('radio', { name: 'CN=n8n-setup throwaway test CA', exact: true })).toBeChecked();
    await expect(question).toContainText(ca.fingerprint256);
    // The server's own certificate is shown, but it is not a CA: it cannot be chosen.
    await expect(question.getByRole('radio', { name: 'CN=smtp.n8n-setup.test', exact: true })).toBeDisabled();
    await atStep(page, 'Send a test email', '07-test-email-trust');

    await question.getByRole('button', { name: 'Trust it and test again' }).click();
    await expect(page.getByText('The test email was accepted')).toBeVisible();
    expect(smtp.messages.map((m) => m.secure)).toEqual([true]);

    // It is the CA file now: the Mail server step shows its path, and the file holds exactly the CA.
    await back(page);
    await back(page);
    await back(page);
    await atStep(page, 'Mail server');
    const caFile = await page.getByLabel('CA file (PEM, optional)').inputValue();
    expect(caFile).toMatch(/127\.0\.0\.1-\d+-ca\.pem$/);
    expect(new X509Certificate(await readFile(caFile, 'utf8')).fingerprint256).toBe(ca.fingerprint256);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});

test('a certificate for another name is not offered for trust: the fix is the host name', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.wrongHost });
  const app = await startServe();
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile });
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText(/^The test failed: CERT_HOSTNAME_MISMATCH/)).toBeVisible();
    await expect(page.getByRole('button', { name: /Trust this server/ })).toHaveCount(0);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});
