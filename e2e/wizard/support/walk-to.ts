/** Shortcuts through the first steps, for flows that are about what comes later. */
import type { Page } from '@playwright/test';
import { atStep, next } from './wizard-page.js';

export interface CustomServer {
  host: string;
  port: number;
  security: RegExp;
  caFile: string;
}

/** From a fresh start to the test-email step: custom server, no login (unless `login` answers that step), a sender. */
export async function walkToTestEmail(page: Page, server: CustomServer, login?: (page: Page) => Promise<void>): Promise<void> {
  await next(page);
  await next(page);
  await walkFromProviderToTestEmail(page, server, login);
}

/** From the provider step to the test-email step, as walkToTestEmail. */
export async function walkFromProviderToTestEmail(page: Page, server: CustomServer, login?: (page: Page) => Promise<void>): Promise<void> {
  await page.getByRole('radio', { name: /^Another server/ }).check();
  await next(page);
  await page.getByRole('textbox', { name: 'Host' }).fill(server.host);
  await page.getByRole('textbox', { name: 'Port' }).fill(String(server.port));
  await page.getByRole('radio', { name: server.security }).check();
  await page.getByText('Private certificate authority').click();
  await page.getByLabel('CA file (PEM, optional)').fill(server.caFile);
  await next(page);
  if (login) await login(page);
  else await page.getByRole('radio', { name: /^No login/ }).check();
  await next(page);
  await page.getByLabel('From').fill('n8n@example.com');
  await next(page);
}

/** From the test-email step to the review: the public URL https://n8n.example.com/, no templates, the folder `outDir`. */
export async function fromTestToReview(page: Page, outDir: string): Promise<void> {
  await next(page);
  await atStep(page, 'Public URL');
  await page.getByLabel('Public URL').fill('https://n8n.example.com/');
  await next(page);
  await atStep(page, 'Email templates');
  await next(page);
  await atStep(page, 'Review the changes');
  await page.getByLabel('Compose project folder').fill(outDir);
}

/** On the welcome step: an existing instance, its .env and compose file, imported. */
export async function importExisting(page: Page, envFile: string, composeFile: string): Promise<void> {
  await page.getByRole('radio', { name: /^An existing instance/ }).check();
  await page.getByLabel('.env file').fill(envFile);
  await page.getByLabel('Compose file (optional)').fill(composeFile);
  await page.getByRole('button', { name: 'Import' }).click();
}
