/**
 * What the admin typed once is offered again where it fits: a login that is an address becomes the sender
 * (n8n itself sends from the login when no sender is set), the test recipient and the Let's Encrypt email;
 * a value the admin typed is never replaced.
 */
import { expect, test } from '@playwright/test';
import { startServe } from './support/serve-app.js';
import { atStep, next } from './support/wizard-page.js';

test('the login address fills the sender, the test recipient and the Let\'s Encrypt email; a typed value stays', async ({ page }) => {
  const app = await startServe();
  try {
    await page.goto(app.url);
    await next(page);
    await next(page);
    await atStep(page, 'Which mail provider?');
    await page.getByRole('radio', { name: /^Another server/ }).check();
    await next(page);
    await page.getByRole('textbox', { name: 'Host' }).fill('smtp.example.com');
    await page.getByRole('textbox', { name: 'Port' }).fill('587');
    await next(page);
    await atStep(page, 'Login');
    await page.getByRole('radio', { name: /^User name and password/ }).check();
    await page.getByRole('radio', { name: /^I type it when asked/ }).check();
    await page.getByRole('textbox', { name: 'User name' }).fill('ops@example.com');
    await next(page);

    await atStep(page, 'Sender');
    await expect(page.getByLabel('From')).toHaveValue('ops@example.com');
    await page.getByLabel('From').fill('n8n <n8n@example.com>');
    await next(page);
    await atStep(page, 'Send a test email');
    await expect(page.getByLabel('Send the test to')).toHaveValue('ops@example.com');
    await page.getByLabel('Send the test to').fill('me@example.org');

    // Back and forth: what was typed stays.
    await page.getByRole('button', { name: 'Sender', exact: true }).click();
    await atStep(page, 'Sender');
    await expect(page.getByLabel('From')).toHaveValue('n8n <n8n@example.com>');
    await next(page);
    await atStep(page, 'Send a test email');
    await expect(page.getByLabel('Send the test to')).toHaveValue('me@example.org');
    await next(page);

    await atStep(page, 'Public URL');
    await page.getByLabel('Public URL').fill('https://n8n.example.com/');
    // An https address with nothing in front: said here, not first at the review.
    await expect(page.getByText('Something must provide https')).toBeVisible();
    await page.getByRole('radio', { name: /^Caddy/ }).check();
    await expect(page.getByText('Something must provide https')).toHaveCount(0);
    await expect(page.getByLabel("Email for Let's Encrypt")).toHaveValue('me@example.org');
    await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled();
    // Enter in a field moves on, as Next does.
    await page.getByLabel('Public URL').press('Enter');
    await atStep(page, 'Email templates');
  } finally {
    await app.stop();
  }
});
