/**
 * The test email's stages say what happened: the stage a test failed at is marked failed, never ✓; a result
 * goes away when a setting it was sent with changes; "Apply fix" runs the test again by itself.
 */
import { expect, test, type Page } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../../test/smtp/test-certificates.js';
import { startServe } from './support/serve-app.js';
import { walkToTestEmail } from './support/walk-to.js';
import { atStep } from './support/wizard-page.js';

const USER = 'n8n@example.com';

/** Each stage as the page lists it: its name and state, read from the marks and the words a screen reader gets. */
async function stageStates(page: Page): Promise<string[]> {
  return (await page.getByRole('list', { name: 'Progress' }).getByRole('listitem').allInnerTexts()).map((text) => {
    const [mark, ...rest] = text.split(/\s+/);
    const name = rest.join(' ').replace(/\s*\d+ ms.*$/, '');
    return `${mark} ${name}`;
  });
}

test('a failed login is marked failed on "Log in"; a changed setting clears the result; the stages before it passed', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: 'the-right-one' } });
  const app = await startServe();
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile }, async () => {
      await atStep(page, 'Login');
      await page.getByRole('radio', { name: /^User name and password/ }).check();
      await page.getByRole('radio', { name: /^I type it when asked/ }).check();
      await page.getByRole('textbox', { name: 'User name' }).fill(USER);
    });
    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByLabel('SMTP password', { exact: true }).fill('a-wrong-one');
    // Enter in the field sends the test; focus then moves to the result.
    await page.getByLabel('SMTP password', { exact: true }).press('Enter');
    await expect(page.getByText(/^The test failed: AUTH_FAILED/)).toBeVisible();
    await expect(page.getByRole('group', { name: 'Result of the test' })).toBeFocused();

    const states = await stageStates(page);
    expect(states.at(-1)).toBe('✗ Log in (failed)');
    expect(states.slice(0, -1).every((state) => state.startsWith('✓ ') && state.endsWith('(passed)')), states.join(' | ')).toBe(true);
    expect(states.map((state) => state.split(' ')[0])).not.toContain('…');
    expect(smtp.messages).toHaveLength(0);

    // Another recipient: the old verdict no longer answers for these settings.
    await page.getByLabel('Send the test to').fill('someone@example.com');
    await expect(page.getByText(/^The test failed/)).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Progress' })).toHaveCount(0);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});

test('a certificate the test cannot trust fails on the encryption stage, marked failed', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.valid });
  const app = await startServe();
  try {
    await page.goto(app.url);
    // No CA file: the server's certificate comes from a private CA the test does not know.
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: '' });
    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText(/^The test failed: CERT_/)).toBeVisible();
    const states = await stageStates(page);
    expect(states.at(-1)).toMatch(/^✗ (Upgrade \(STARTTLS\)|Encrypt \(TLS\)) \(failed\)$/);
    expect(states.filter((state) => state.startsWith('✗'))).toHaveLength(1);
    expect(smtp.messages).toHaveLength(0);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});
