/**
 * (b) 587 with TLS selected: the lint warning, the send still runs, SSL_ON_PLAIN_PORT, "Apply fix" re-runs it, pass.
 * (e) Manual invite links: no SMTP variables exported, the password-reset warning, and the draft surviving a restart;
 *     the export folder picked from the folder list (serve has no native dialog), and "Check my instance" on an n8n still on its defaults.
 */
import { expect, test } from '@playwright/test';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeN8n } from '../../services/check/test-support/fake-n8n-server.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../../test/smtp/test-certificates.js';
import { startServe } from './support/serve-app.js';
import { walkToTestEmail } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

test('(b) port 587 with TLS: a lint warning, SSL_ON_PLAIN_PORT, then "Apply fix" makes the test pass', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ address: '127.0.0.2', port: 587, certificate: certs.valid });
  const app = await startServe();
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.2', port: 587, security: /^TLS from the start/, caFile: certs.caFile });
    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('The test failed: SSL_ON_PLAIN_PORT')).toBeVisible();
    await expect(page.getByText('LINT_TLS_ON_STARTTLS_PORT')).toBeVisible();
    await page.getByText('Conversation with the server (passwords removed)').click();
    await atStep(page, 'Send a test email', '07-test-email-failed');
    expect(smtp.messages).toHaveLength(0);

    // The fix is tried at once: the test runs again by itself, and every stage of the passing run is ✓.
    await page.getByRole('button', { name: /^Apply fix: use STARTTLS/ }).first().click();
    await expect(page.getByText('The test email was accepted')).toBeVisible();
    const marks = await page.getByRole('list', { name: 'Progress' }).locator('.stage-mark').allInnerTexts();
    expect(marks.length).toBeGreaterThan(5);
    expect(new Set(marks)).toEqual(new Set(['✓']));
    expect(smtp.messages.map((m) => m.to)).toEqual([['admin@example.com']]);

    await page.getByRole('button', { name: 'Server', exact: true }).click();
    await expect(page.getByRole('radio', { name: /^STARTTLS/ })).toBeChecked();
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});

test('(e) manual invite links: the password-reset warning, a draft that survives a restart, no SMTP variables', async ({ page }) => {
  const home = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-home-'));
  // Made with the folder browser below: serve's list reaches home, /opt and /srv, and project folders.
  const outDir = join(home, 'n8n');
  let app = await startServe({ home });
  try {
    await page.goto(app.url);
    await next(page);
    await atStep(page, 'How should n8n send email?');
    await page.getByRole('radio', { name: /^No email/ }).check();
    await expect(page.getByText('Nobody can reset a forgotten password')).toBeVisible();
    await atStep(page, 'How should n8n send email?', '02-email-mode-manual');
    await next(page);
    await atStep(page, 'Public URL');
    await page.getByLabel('Public URL').fill('https://n8n.example.com/');
    await expect(page.getByRole('button', { name: 'Provider' })).toHaveCount(0);

    // A restart of serve (a new port, a new page) finds the draft where the admin left it.
    await page.waitForTimeout(600);
    await app.stop();
    app = await startServe({ home });
    await page.goto(app.url);
    await atStep(page, 'Public URL');
    await expect(page.getByLabel('Public URL')).toHaveValue('https://n8n.example.com/');
    await next(page);

    await atStep(page, 'Review the changes');
    await page.getByLabel('Compose project folder').fill(home);
    await page.getByRole('button', { name: 'Choose folder…' }).click();
    await expect(page.getByText('Folders in')).toHaveText(`Folders in ${home}`);
    // Beyond home: the server-software folders this machine has.
    const serverFolders = ['/opt', '/srv'].filter((folder) => existsSync(folder));
    for (const folder of serverFolders) await expect(page.getByRole('button', { name: folder, exact: true })).toBeVisible();
    // A new folder, made here (Enter makes it; it does not run the step's primary button).
    await page.getByLabel(`New folder in ${home}`).fill('n8n');
    await page.getByLabel(`New folder in ${home}`).press('Enter');
    await expect(page.getByText('Folders in')).toHaveText(`Folders in ${outDir}`);
    expect(statSync(outDir).isDirectory()).toBe(true);
    await page.getByRole('button', { name: 'Parent folder' }).click();
    await expect(page.getByText('Folders in')).toHaveText(`Folders in ${home}`);
    await atStep(page, 'Review the changes');
    await page.getByRole('button', { name: 'n8n/' }).click();
    await expect(page.getByText('Folders in')).toHaveText(`Folders in ${outDir}`);
    await page.getByRole('button', { name: 'Use this folder' }).click();
    await expect(page.getByLabel('Compose project folder')).toHaveValue(outDir);
    await expect(page.getByLabel('Compose project folder')).toBeFocused();
    await expect(page.getByRole('table', { name: /Changed keys/ })).toContainText('N8N_EMAIL_MODE');
    await next(page);

    // Export writes exactly where the review looked: the folder is shown, not edited, there.
    await atStep(page, 'Export');
    await expect(page.getByLabel('Compose project folder')).toHaveCount(0);
    await expect(page.getByText(`The files go into ${outDir}.`, { exact: false })).toBeVisible();
    await page.getByRole('button', { name: 'Write the files' }).click();
    await expect(page.getByText('The files are written')).toBeVisible();
    await next(page);
    await atStep(page, 'Done');
    await expect(page.getByText('Password resets are not possible without email.', { exact: false })).toBeVisible();

    const n8n = await startFakeN8n();
    try {
      await page.getByLabel('Address of n8n').fill(n8n.url);
      await page.getByRole('button', { name: 'Check my instance' }).click();
      await expect(page.getByText('Instance URL: mismatch.')).toBeVisible();
      await expect(page.getByText('SMTP set up: as set up.')).toBeVisible();
      await expect(page.getByText(/docker compose restart. keeps the old environment/).first()).toBeVisible();
      await atStep(page, 'Done');
    } finally {
      await n8n.close();
    }

    const env = await readFile(join(outDir, '.env'), 'utf8');
    expect(env).not.toMatch(/^N8N_SMTP_/m);
    expect(env).toMatch(/^N8N_EMAIL_MODE=(''|"")?$/m);
  } finally {
    await app.stop();
    await rm(home, { recursive: true, force: true });
  }
});
