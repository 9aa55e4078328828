/**
 * A queue-mode deployment as n8n-io publishes it (main, worker, two task runners, Postgres, Redis — the corpus
 * case n8n-hosting-with-postgres-and-worker), copied to a folder of its own. The welcome step imports it and
 * says what it runs, service by service; after SMTP and a public URL the review groups the changes by service;
 * then the export writes the files, and what the review showed must be true of them: each service's container
 * reads the values its rows say, the line each row names sets that key, and the services said to be unchanged
 * read what they read before.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from '../../shared/deployment/deployment.js';
import { MASK } from '../../shared/export/key-changes.js';
import { copyOf, corpusCases, deploymentIn } from '../../test/real-world/corpus.js';
import { setsKey } from '../../test/real-world/sets-key.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../../test/smtp/test-certificates.js';
import { startServe } from './support/serve-app.js';
import { importExisting, walkFromProviderToTestEmail } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

const USER = 'apikey';
const PASSWORD = 'e2e-queue-pass-4Rt8wZ2m';
const PUBLIC_URL = 'https://n8n.example.com/';

/** One row of a service's group as the review shows it. */
interface ShownRow {
  key: string;
  writtenIn: Array<{ file: string; line: number; key: string; removed: boolean }>;
  before?: string;
  after?: string;
}

/** The review's groups, read from the page: service name, its heading, and its rows. */
async function shownGroups(page: Page): Promise<Array<{ name: string; heading: string; rows: ShownRow[] }>> {
  const groups: Array<{ name: string; heading: string; rows: ShownRow[] }> = [];
  for (const group of await page.locator('section.service-changes').all()) {
    const heading = (await group.getByRole('heading', { level: 3 }).textContent()) ?? '';
    const rows: ShownRow[] = [];
    for (const row of await group.locator('tbody tr').all()) rows.push(await shownRow(row));
    groups.push({ name: heading.split(' — ')[0] ?? '', heading, rows });
  }
  return groups;
}

async function shownRow(row: Locator): Promise<ShownRow> {
  const key = (await row.locator('th').textContent()) ?? '';
  const cells = row.locator('td');
  const value = async (cell: Locator) => ((await cell.locator('code').count()) > 0 ? ((await cell.locator('code').textContent()) ?? '') : undefined);
  const writtenIn = (await cells.nth(0).locator('li').allTextContents()).map((text) => {
    const match = /^(.+?) line (\d+)(?: \(([A-Za-z_][A-Za-z0-9_]*)\))?(, removed)?$/.exec(text);
    if (!match) throw new Error(`unreadable "written in": ${text}`);
    return { file: match[1]!, line: Number(match[2]), key: match[3] ?? key, removed: match[4] !== undefined };
  });
  return { key, writtenIn, before: await value(cells.nth(1)), after: await value(cells.nth(2)) };
}

const values = (deployment: Deployment, name: string) => Object.fromEntries(Object.entries(deployment.services.find((s) => s.name === name)?.environment ?? {}).map(([key, v]) => [key, v.value]));

test('a queue-mode folder: the welcome step lists its services with their roles, the review groups the changes by service, and the export writes exactly those', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  const scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-queue-'));
  const { dir, composeFile } = copyOf(corpusCases().find((c) => c.name === 'n8n-hosting-with-postgres-and-worker')!, scratch);
  const before = deploymentIn(dir, composeFile);
  const app = await startServe();
  try {
    await page.goto(app.url);
    await atStep(page, 'Set up n8n email and links');
    await importExisting(page, join(dir, '.env'), join(dir, composeFile));
    const runs = page.getByRole('region', { name: 'What this folder runs' });
    await expect(runs).toContainText('docker-compose.yml — plain Docker Compose, no proxy: n8n answers on its published port');
    const services = (await runs.getByRole('list', { name: 'Services' }).getByRole('listitem').allTextContents()).map((text) => text.split(' · ')[0]);
    expect(services).toEqual([
      'n8n — main (editor, sends invites)',
      'n8n-worker — worker (runs executions)',
      'n8n-runner — task runner (runs Code node scripts for n8n)',
      'n8n-worker-runner — task runner (runs Code node scripts for n8n)',
      'postgres, redis — other services, left as they are',
    ]);
    await expect(runs.getByRole('listitem').first()).toContainText('image docker.n8n.io/n8nio/n8n:${N8N_VERSION} · publishes ports');
    await atStep(page, 'Set up n8n email and links');
    await next(page);

    // The case sends no email yet: SMTP through the test's STARTTLS server, with a login typed for each use.
    await atStep(page, 'How should n8n send email?');
    await page.getByRole('radio', { name: /^Through an SMTP server/ }).check();
    await next(page);
    await atStep(page, 'Which mail provider?');
    await walkFromProviderToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile }, async () => {
      await atStep(page, 'Login');
      await page.getByRole('radio', { name: /^User name and password/ }).check();
      await page.getByRole('textbox', { name: 'User name' }).fill(USER);
    });
    await atStep(page, 'Send a test email');
    await page.getByLabel('SMTP password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('The test email was accepted')).toBeVisible();
    await next(page);
    await atStep(page, 'Public URL');
    await page.getByLabel('Public URL').fill(PUBLIC_URL);
    await next(page);
    await atStep(page, 'Email templates');
    await next(page);

    await atStep(page, 'Review the changes');
    await expect(page.getByLabel('Compose project folder')).toHaveValue(dir);
    // Typed once for the test: held for this server, not asked again.
    await expect(page.getByText(/^The SMTP password given earlier for .* is used\./)).toBeVisible();
    const byService = page.getByRole('region', { name: 'Changes by service' });
    await expect(byService.getByRole('heading', { level: 3 })).toHaveText(['n8n — main (editor, sends invites)', 'n8n-worker — worker (runs executions)']);
    await expect(byService.locator('.unchanged')).toHaveText('n8n-runner, n8n-worker-runner, postgres, redis — unchanged');
    const groups = await shownGroups(page);
    await expect(page.getByRole('table', { name: /Changed keys/ })).toHaveCount(0);
    await atStep(page, 'Review the changes');
    await next(page);

    await atStep(page, 'Export');
    await page.getByRole('button', { name: 'Write the files' }).click();
    await expect(page.getByText('The files are written')).toBeVisible();

    // What the UI showed must be true of the files as written.
    const after = deploymentIn(dir, composeFile);
    const texts = new Map<string, string>();
    const text = async (file: string) => texts.get(file) ?? texts.set(file, await readFile(join(dir, file), 'utf8')).get(file)!;
    const changed = after.services.map((s) => s.name).filter((name) => JSON.stringify(values(before, name)) !== JSON.stringify(values(after, name)));
    expect(groups.map((g) => g.name)).toEqual(changed);
    for (const group of groups) {
      const was = values(before, group.name);
      const is = values(after, group.name);
      const differing = Object.keys({ ...was, ...is }).filter((key) => was[key] !== is[key]);
      expect(group.rows.map((row) => row.key).sort(), group.name).toEqual(differing.sort());
      for (const row of group.rows) {
        const secret = row.after === MASK;
        expect(row.after === undefined ? undefined : secret ? PASSWORD : row.after, `${group.name} ${row.key}`).toBe(is[row.key]);
        expect(row.before, `${group.name} ${row.key} before`).toBe(was[row.key]);
        expect(row.writtenIn.length).toBeGreaterThan(0);
        for (const line of row.writtenIn.filter((l) => !l.removed)) {
          expect(setsKey(await text(line.file), line.line, line.key, line.file), `${group.name} ${row.key}: ${line.file} line ${line.line} sets ${line.key}`).toBe(true);
        }
      }
    }
    // The password is shown masked, and written where its row says.
    const password = groups[0]!.rows.find((row) => row.key === 'N8N_SMTP_PASS')!;
    expect(password.after).toBe(MASK);
    const envLine = password.writtenIn.find((line) => line.file === '.env')!;
    expect((await text('.env')).split('\n')[envLine.line - 1]).toBe(`N8N_SMTP_PASS=${PASSWORD}`);
    for (const name of ['n8n-runner', 'n8n-worker-runner', 'postgres', 'redis']) expect(values(after, name), name).toEqual(values(before, name));
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  }
});
