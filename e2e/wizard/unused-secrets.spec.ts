/**
 * (h) A secret nothing reads any more: a hand setup passed SMTP to n8n through SMTP_* variables; choosing
 * manual invite links takes them off n8n, so SMTP_PASS stays in .env with nobody reading it. The review
 * offers it with a checkbox, unticked; an export without the tick keeps it; with the tick, the review shows
 * the removal and the write removes that line and nothing else, with a backup. The value never reaches the page.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineDiff } from './support/line-diff.js';
import { startServe } from './support/serve-app.js';
import { importExisting } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

const SMTP_SECRET = 'Hand-set-smtp-7a1c';
const PG_SECRET = 'Postgres-pw-93be';

const ENV = `# n8n, set up by hand from a blog post
N8N_HOST=old.example.com
SMTP_HOST=mail.example.com
SMTP_USER=n8n@example.com
SMTP_PASS=${SMTP_SECRET}

# Database
POSTGRES_PASSWORD=${PG_SECRET}
`;

const COMPOSE = `services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:2.41.1
    ports:
      - "5678:5678"
    environment:
      - N8N_HOST=\${N8N_HOST}
      - N8N_SMTP_HOST=\${SMTP_HOST}
      - N8N_SMTP_USER=\${SMTP_USER}
      - N8N_SMTP_PASS=\${SMTP_PASS}
  postgres:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
`;

const envBackups = async (dir: string) => (await readdir(dir)).filter((name) => /^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/.test(name)).sort();

/** The review's rows for .env: key and what comes after ("(removed)" for a removal). */
async function envRows(page: Page): Promise<Array<{ key: string; before: string; after: string }>> {
  const rows = page.getByRole('table', { name: /Changed keys/ }).locator('tbody tr');
  const all = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
  return all.filter(([file]) => file === '.env').map(([, key, before, after]) => ({ key: key!, before: before!, after: after! }));
}

async function expectNoSecretOnPage(page: Page): Promise<void> {
  const html = await page.content();
  expect(html).not.toContain(SMTP_SECRET);
  expect(html).not.toContain(PG_SECRET);
}

test('(h) a secret no service reads any more: offered unticked, kept unless ticked, then removed line by line with a backup', async ({ page }) => {
  const project = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-unused-'));
  await writeFile(join(project, '.env'), ENV);
  await writeFile(join(project, 'docker-compose.yml'), COMPOSE);
  const app = await startServe();
  try {
    await page.goto(app.url);
    await atStep(page, 'Set up n8n email and links');
    await importExisting(page, join(project, '.env'), join(project, 'docker-compose.yml'));
    await expect(page.locator('.findings')).toBeVisible();
    await next(page);
    await atStep(page, 'How should n8n send email?');
    await page.getByRole('radio', { name: /^No email/ }).check();
    await next(page);
    await atStep(page, 'Public URL');
    await page.getByLabel('Public URL').fill('https://n8n.example.com/');
    await next(page);

    await atStep(page, 'Review the changes');
    await expect(page.getByLabel('Compose project folder')).toHaveValue(project);
    const offered = page.getByRole('region', { name: 'Secrets no service reads any more' });
    const tick = offered.getByRole('checkbox', { name: /^Remove SMTP_PASS from \.env/ });
    await expect(tick).not.toBeChecked();
    await expect(offered).toContainText('SMTP_PASS in .env (line 5) holds a secret and no service reads it any more.');
    // Still read by the database: never offered.
    await expect(offered.getByRole('checkbox')).toHaveCount(1);
    await expect(page.getByRole('table', { name: 'Changes for n8n, secrets masked' })).toContainText('N8N_EMAIL_MODE');
    // Unticked, .env keeps it: no change outside the services' rows.
    await expect(page.getByRole('heading', { name: 'Changed keys no service reads' })).toHaveCount(0);
    expect((await envRows(page)).map((row) => row.key)).not.toContain('SMTP_PASS');
    await atStep(page, 'Review the changes');
    await expectNoSecretOnPage(page);
    await next(page);

    // Unticked: the export keeps the line.
    await atStep(page, 'Export');
    await page.getByRole('button', { name: 'Write the files' }).click();
    await expect(page.getByText('The files are written')).toBeVisible();
    const kept = await readFile(join(project, '.env'), 'utf8');
    expect(kept).toContain(`SMTP_PASS=${SMTP_SECRET}\n`);
    const backupsBefore = await envBackups(project);
    await expectNoSecretOnPage(page);

    // Ticked: the review shows the removal, masked, and the write does exactly that.
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    await atStep(page, 'Review the changes');
    await expect(tick).not.toBeChecked();
    await tick.check();
    // No service reads it, so its removal is listed beside the services' rows.
    await expect(page.getByRole('table', { name: /^Changed keys no service reads/ }).getByRole('rowheader', { name: 'SMTP_PASS', exact: true })).toBeVisible();
    const reviewed = await envRows(page);
    expect(reviewed).toEqual([{ key: 'SMTP_PASS', before: '••••••••', after: '(removed)' }]);
    await atStep(page, 'Review the changes');
    await expectNoSecretOnPage(page);
    await next(page);

    await atStep(page, 'Export');
    await page.getByRole('button', { name: 'Write again' }).click();
    await expect(page.getByRole('table', { name: /^Changed keys no service reads/ }).getByRole('rowheader', { name: 'SMTP_PASS', exact: true })).toBeVisible();
    const written = await readFile(join(project, '.env'), 'utf8');
    const diff = lineDiff(kept, written);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([`SMTP_PASS=${SMTP_SECRET}`]);
    expect(diff.removed.map((line) => line.split('=')[0])).toEqual(reviewed.filter((row) => row.after === '(removed)').map((row) => row.key));
    expect(written).toBe(kept.replace(`SMTP_PASS=${SMTP_SECRET}\n`, ''));

    const backups = (await envBackups(project)).filter((name) => !backupsBefore.includes(name));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(project, backups[0]!), 'utf8')).toBe(kept);
    expect((await stat(join(project, backups[0]!))).mode & 0o777).toBe(0o600);
    await expectNoSecretOnPage(page);
  } finally {
    await app.stop();
    await rm(project, { recursive: true, force: true });
  }
});
