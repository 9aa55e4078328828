/**
 * (i) The test email sent from the server over SSH, through serve: a real sshd on loopback (its own config and
 * host key; the "server" is this machine, reached as root with the test's key) and the loopback STARTTLS
 * server. The new host key is shown with its fingerprint and trusted only on the admin's click; this tool is
 * copied to the server for the run; its stages come back live and the message arrives; the next send does
 * not ask again.
 */
import { expect, test } from '@playwright/test';
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates, type TestCertificates } from '../../test/smtp/test-certificates.js';
import { startSshd, type SshServer } from '../../test/support/sshd.js';
import { startServe, type ServedApp } from './support/serve-app.js';
import { walkToTestEmail } from './support/walk-to.js';
import { atStep } from './support/wizard-page.js';

let certs: TestCertificates;
let smtp: SmtpFixture;
let sshd: SshServer;
let app: ServedApp;

test.beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startSmtpFixture({ certificate: certs.valid });
  sshd = await startSshd({ path: `${dirname(process.execPath)}:/usr/bin:/bin` });
  app = await startServe({ env: { N8N_SETUP_SSH_CONFIG: sshd.configFile } });
});
test.afterAll(async () => {
  await app.stop();
  await sshd.stop();
  await smtp.close();
  await rm(certs.dir, { recursive: true, force: true });
});

test('(i) the test email from the server: the new host key shown and trusted on a click, live stages, the message arrives', async ({ page }) => {
  const server = `ssh://root@127.0.0.1:${sshd.port}`;
  await page.goto(app.url);
  await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile });
  await atStep(page, 'Send a test email');
  await page.getByLabel('Send the test to').fill('admin@example.com');
  await page.getByText('Send it from the server n8n runs on (SSH)').click();
  await page.getByLabel('Server (SSH)').fill(server);
  await page.getByRole('button', { name: 'Send from the server' }).click();

  const newKey = page.getByRole('group', { name: 'New server key' });
  await expect(newKey).toContainText(`[127.0.0.1]:${sshd.port} is new to this computer. It presents ssh-ed25519 ${sshd.hostKeyFingerprint}.`);
  expect(await readFile(sshd.knownHostsFile, 'utf8'), 'nothing is trusted before the click').toBe('');
  expect(smtp.messages).toHaveLength(0);
  await atStep(page, 'Send a test email', '07-test-email-from-server-key');
  await newKey.getByRole('button', { name: `Trust ssh-ed25519 ${sshd.hostKeyFingerprint} and send` }).click();

  await expect(page.getByText('The test email was accepted')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(`Sent from ${server}, with this tool copied there for the test.`)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Progress' })).toContainText('Upgrade (STARTTLS)');
  expect(smtp.messages.map((m) => m.to)).toEqual([['admin@example.com']]);
  expect(await readFile(sshd.knownHostsFile, 'utf8')).toBe(`${sshd.hostKeyLine}\n`);
  await atStep(page, 'Send a test email', '07-test-email-from-server');

  // Known now: the next send goes straight through.
  await page.getByRole('button', { name: 'Send from the server' }).click();
  await expect.poll(() => smtp.messages.length, { timeout: 30_000 }).toBe(2);
  await expect(newKey).toHaveCount(0);
});
