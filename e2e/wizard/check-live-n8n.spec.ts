/**
 * (h) The Done step's "Check my instance" on a real n8n started with exactly what the wizard wrote (n8n 2.41.1
 * from scripts/prepare-n8n.sh, in the acceptance tier's container view): signed in as the owner, every finding
 * holds — links, email, cookie, proxy hops and the editor's live connection — and "Send a test invitation"
 * makes n8n's own mailer send one: it arrives at the loopback SMTP server with its link under the public URL,
 * and the invitation is gone from n8n afterwards. Nothing of the owner's password stays in the page's storage.
 */
import { expect, test } from '@playwright/test';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startN8nInFolder } from '../../test/acceptance/launch-setup.js';
import type { N8nInstance } from '../../test/acceptance/n8n-instance.js';
import { N8nRest, OWNER } from '../../test/acceptance/n8n-rest.js';
import { readReceivedMail } from '../../test/acceptance/received-mail.js';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates, type TestCertificates } from '../../test/smtp/test-certificates.js';
import { startServe, type ServedApp } from './support/serve-app.js';
import { fromTestToReview, walkToTestEmail } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

const REPO = join(import.meta.dirname, '..', '..');
const INVITED = 'invite-test@example.com';

let certs: TestCertificates;
let smtp: SmtpFixture;
let app: ServedApp;
let scratch: string;
let n8n: N8nInstance | undefined;

test.beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startSmtpFixture({ certificate: certs.valid });
  app = await startServe();
  // n8n runs as uid 1000 in its container view: it must reach the export folder through here.
  scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-live-'));
  await chmod(scratch, 0o755);
});
test.afterAll(async () => {
  await n8n?.stop();
  await app.stop();
  await smtp.close();
  await rm(scratch, { recursive: true, force: true });
  await rm(certs.dir, { recursive: true, force: true });
});

test('(h) a real n8n on the exported files: signed in, every check holds, and n8n’s own mailer sends the test invitation', async ({ page }) => {
  test.setTimeout(180_000);
  const outDir = join(scratch, 'export');
  await page.goto(app.url);
  await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile });
  await fromTestToReview(page, outDir);
  await next(page);
  await atStep(page, 'Export');
  await page.getByRole('button', { name: 'Write the files' }).click();
  await expect(page.getByText('The files are written')).toBeVisible();
  await next(page);
  await atStep(page, 'Done');

  // `docker compose up -d`, as the Done step says: n8n with exactly these files.
  n8n = (await startN8nInFolder(outDir, scratch, { cliBundle: join(REPO, 'dist', 'n8n-setup.cjs') })).n8n;
  const rest = new N8nRest(n8n.url);
  await rest.setupOwner();

  await page.getByLabel('Address of n8n').fill(n8n.url);
  await page.getByLabel('Owner email').fill(OWNER.email);
  await page.getByLabel('Owner password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Check my instance' }).click();
  await expect(page.getByText('n8n runs as set up.')).toBeVisible({ timeout: 30_000 });
  for (const row of ['Instance URL: as set up.', 'SMTP set up: as set up.', 'Login cookie: as set up.', 'Proxy hops: as set up.', 'Editor connection: as set up.']) {
    await expect(page.getByText(row)).toBeVisible();
  }
  await expect(page.locator('.findings')).toContainText(`The editor's live connection (websocket /rest/push) opens through ${n8n.url}`);

  // One invitation through n8n's own mailer, asked for first.
  const before = smtp.messages.length;
  await page.getByLabel('Invite (an inbox you read)').fill(INVITED);
  await page.getByRole('button', { name: 'Send a test invitation…' }).click();
  const confirm = page.getByRole('group', { name: 'Send this email?' });
  await expect(confirm).toContainText(`n8n at ${n8n.url} sends one invitation to ${INVITED}; it is deleted again right after.`);
  expect(smtp.messages.length, 'nothing is sent before the confirmation').toBe(before);
  await confirm.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByText('Sent:', { exact: false })).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.mail-result')).toContainText('The test invitation was deleted again.');
  await atStep(page, 'Done', '12-done-live-check');

  const arrived = smtp.messages.slice(before).filter((m) => m.to.includes(INVITED));
  expect(arrived).toHaveLength(1);
  const mail = readReceivedMail(arrived[0]?.raw ?? '');
  expect(mail.links.some((href) => href.startsWith('https://n8n.example.com/signup?token=')), mail.links.join(', ')).toBe(true);
  expect(await rest.usersByEmail(INVITED), 'the test invitation is gone from n8n').toEqual([]);

  // The owner's password was typed for this check only: not in the page's storage.
  const stored = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  expect(stored).not.toContain(OWNER.password);
});
