/** Shortcuts through the first steps, for flows that are about what comes later. */
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { next } from './wizard-page.js';

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

/** On the first step: import the existing instance in `project` (its .env and docker-compose.yml). */
export async function importExistingInstance(page: Page, project: string): Promise<void> {
  await page.getByRole('radio', { name: /^An existing instance/ }).check();
  await page.getByLabel('.env file').fill(join(project, '.env'));
  await page.getByLabel('Compose file (optional)').fill(join(project, 'docker-compose.yml'));
  await page.getByRole('button', { name: 'Import' }).click();
}
