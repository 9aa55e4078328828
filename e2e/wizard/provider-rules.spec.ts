/**
 * A provider's rules show where the admin is looking: on the row below its card, scrolled into view; the
 * login offers a Google service account only for Google's servers, and a service account's key file fills
 * the client ID it holds.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from './support/serve-app.js';
import { importExisting } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

test.use({ viewport: { width: 900, height: 640 } });

test('Microsoft 365: its rules right below its card and in view; no Google service account at the login', async ({ page }) => {
  const app = await startServe();
  try {
    await page.goto(app.url);
    await next(page);
    await next(page);
    await atStep(page, 'Which mail provider?');
    const card = page.locator('label.choice', { hasText: 'Microsoft 365' });
    await card.getByRole('radio').check();
    const rules = page.getByRole('region', { name: 'Microsoft 365' });
    await expect(rules).toBeInViewport();
    const [cardBox, rulesBox, lastBox] = await Promise.all([card.boundingBox(), rules.boundingBox(), page.locator('label.choice', { hasText: 'Another server' }).boundingBox()]);
    // Below the chosen card's row, above the cards that follow it.
    expect(rulesBox!.y).toBeGreaterThanOrEqual(cardBox!.y + cardBox!.height);
    expect(rulesBox!.y - (cardBox!.y + cardBox!.height)).toBeLessThan(40);
    expect(lastBox!.y).toBeGreaterThan(rulesBox!.y + rulesBox!.height);

    await next(page);
    await atStep(page, 'Mail server');
    await next(page);
    await atStep(page, 'Login');
    await expect(page.getByRole('radio', { name: /^User name and password/ })).toBeVisible();
    await expect(page.getByRole('radio', { name: /^Google service account/ })).toHaveCount(0);
  } finally {
    await app.stop();
  }
});

test("Gmail: a service account's key file fills the client ID it holds", async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-key-'));
  const keyFile = join(dir, 'service-account.json');
  await writeFile(keyFile, JSON.stringify({ type: 'service_account', client_id: '109876543210987654321', client_email: 'n8n-mailer@project.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n' }));
  const app = await startServe();
  try {
    await page.goto(app.url);
    await next(page);
    await next(page);
    await page.locator('label.choice', { hasText: 'Gmail' }).first().getByRole('radio').check();
    await next(page);
    await atStep(page, 'Mail server');
    await next(page);
    await atStep(page, 'Login');
    await page.getByRole('radio', { name: /^Google service account/ }).check();
    await page.getByLabel('Key file (JSON)').setInputFiles(keyFile);
    await expect(page.getByLabel('Service account client ID')).toHaveValue('109876543210987654321');
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an imported setup that sends through smtp.sendgrid.net is SendGrid on the provider step, with its rules', async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-sendgrid-'));
  await writeFile(join(dir, '.env'), 'N8N_SMTP_HOST=smtp.sendgrid.net\nN8N_SMTP_PORT=587\nN8N_SMTP_USER=apikey\nN8N_SMTP_SENDER=n8n@example.com\n');
  await writeFile(join(dir, 'docker-compose.yml'), 'services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n    env_file: .env\n    ports:\n      - "5678:5678"\n');
  const app = await startServe();
  try {
    await page.goto(app.url);
    await atStep(page, 'Set up n8n email and links');
    await importExisting(page, join(dir, '.env'), join(dir, 'docker-compose.yml'));
    await expect(page.locator('.findings')).toBeVisible();
    await next(page);
    await next(page);
    await atStep(page, 'Which mail provider?');
    await expect(page.getByRole('radio', { name: /^SendGrid/ })).toBeChecked();
    await expect(page.getByRole('region', { name: 'SendGrid' })).toBeInViewport();
  } finally {
    await app.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('at 900×640, a provider card reached with the arrow keys is never under the sticky footer', async ({ page }) => {
  const app = await startServe();
  try {
    await page.goto(app.url);
    await next(page);
    await next(page);
    await atStep(page, 'Which mail provider?');
    await page.getByRole('radio', { name: /^Gmail/ }).focus();
    const footer = page.locator('.step-nav');
    // Through every card: the focused one is in view and above the footer.
    for (let i = 0; i < 17; i++) {
      await page.keyboard.press('ArrowDown');
      const focused = page.locator('label.choice:has(input:focus)');
      const [card, bar] = await Promise.all([focused.boundingBox(), footer.boundingBox()]);
      expect(card!.y + card!.height, `card ${i}`).toBeLessThanOrEqual(bar!.y + 1);
      expect(card!.y, `card ${i}`).toBeGreaterThanOrEqual(0);
    }
  } finally {
    await app.stop();
  }
});
