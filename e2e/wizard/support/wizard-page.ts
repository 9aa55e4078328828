/** Steps through the wizard as a person would, checking accessibility and taking a screenshot of each step. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '..', 'docs', 'screenshots');

export interface AxeRecord {
  step: string;
  serious: number;
  ids: string[];
}

export const axeResults: AxeRecord[] = [];

let lastHeading: string | undefined;

/** On arrival, waits for the step's heading to have focus (the wizard moves it there), then runs axe and, if asked, a screenshot. */
export async function atStep(page: Page, heading: string | RegExp, shot?: string): Promise<void> {
  const h1 = page.getByRole('heading', { level: 1, name: heading });
  // Focus is on the heading when a step opens; later checks of the same step follow the admin's input.
  if (String(heading) !== lastHeading) await expect(h1).toBeFocused();
  else await expect(h1).toBeVisible();
  lastHeading = String(heading);
  await expect(page.locator('[aria-current="step"]')).toHaveCount(1);
  // Every state of every step is audited in both colour schemes; the page is left in the one it was in.
  const dark = await page.evaluate(() => (globalThis as unknown as { matchMedia(query: string): { matches: boolean } }).matchMedia('(prefers-color-scheme: dark)').matches);
  for (const scheme of dark ? (['dark', 'light'] as const) : (['light', 'dark'] as const)) {
    await page.emulateMedia({ colorScheme: scheme });
    // The template preview holds the admin's own HTML in a script-less sandbox: not the app's to audit, and axe cannot enter it.
    const results = await new AxeBuilder({ page }).options({ iframes: false }).exclude('iframe.template-preview').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    axeResults.push({ step: `${String(heading)} (${scheme})`, serious: serious.length, ids: serious.map((v) => v.id) });
    expect(serious.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' });
  if (shot) await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: false });
}

export async function back(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Back', exact: true }).click();
}

export async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^(Next|Continue without a passing test)$/ }).click();
}
