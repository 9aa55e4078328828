/**
 * (j) n8n on a server: the wizard works on its folder over SSH, through serve. A real sshd on loopback (its
 * own config and host key; the "server" is this machine, reached as root with the test's key) and, as the
 * existing setup, n8n-hosting's "with-postgres" example (test/fixtures/real-world). "Where does n8n run?" →
 * a server: its new host key is shown and trusted only on a click; the setup is imported from the server;
 * the test email goes from there; the review is the server's files; the export writes them there with
 * backups, and is undone and written again from the page; the Done step's command runs through ssh, and
 * "Run it now" runs it there after a confirmation (Debian's Docker CLI; no daemon can run here, and that is
 * what the page reports).
 */
import { expect, test } from '@playwright/test';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { copyOf, corpusCases } from '../../test/real-world/corpus.js';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates, type TestCertificates } from '../../test/smtp/test-certificates.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { startSshd, type SshServer } from '../../test/support/sshd.js';
import { startServe, type ServedApp } from './support/serve-app.js';
import { importExisting, walkFromProviderToTestEmail } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

/** How long a step that goes over SSH may take on a loaded machine. */
const REMOTE = 30_000;

let certs: TestCertificates;
let smtp: SmtpFixture;
let sshd: SshServer;
let app: ServedApp;
let scratch: string;
const SLOW_SYNC = () => join(scratch, 'slow-sync');

test.beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startSmtpFixture({ certificate: certs.valid });
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-e2e-remote-'));
  // Debian's Docker CLI is on the server's PATH; no Docker daemon can run here, so DOCKER_HOST names a socket that is not there.
  // The server's `sync` takes 10 s while SLOW_SYNC exists: long enough to press Stop during a write.
  const slow = join(scratch, 'slow-bin');
  await mkdir(slow);
  await writeFile(join(slow, 'sync'), `#!/bin/sh\nif [ -e '${SLOW_SYNC()}' ]; then ${testProgram('sleep')} 10; fi\nexec ${testProgram('sync')} "$@"\n`, { mode: 0o755 });
  sshd = await startSshd({ path: `${slow}:${dirname(process.execPath)}:/usr/bin:/bin`, env: { DOCKER_HOST: `unix://${join(scratch, 'no-docker-daemon.sock')}` } });
  app = await startServe({ env: { N8N_SETUP_SSH_CONFIG: sshd.configFile } });
});
test.afterAll(async () => {
  await app.stop();
  await sshd.stop();
  await smtp.close();
  await rm(certs.dir, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

test('(j) a folder on a server: host key trusted on a click, imported, tested, reviewed, written, undone and written again over SSH', async ({ page }) => {
  // Every step that reads or writes goes over SSH (a few round trips each): on a loaded machine that adds up.
  test.setTimeout(300_000);
  const server = `ssh://root@127.0.0.1:${sshd.port}`;
  const { dir } = copyOf(corpusCases().find((c) => c.name === 'n8n-hosting-with-postgres')!, scratch);
  const original = { env: await readFile(join(dir, '.env'), 'utf8'), compose: await readFile(join(dir, 'docker-compose.yml'), 'utf8'), envMode: (await stat(join(dir, '.env'))).mode & 0o777 };

  await page.goto(app.url);
  await atStep(page, 'Set up n8n email and links');
  await page.getByRole('radio', { name: /^A server, over SSH/ }).check();
  await page.getByLabel('Server (SSH)').fill(server);
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'Check the server’s key' }).click();
  const newKey = page.getByRole('group', { name: 'New server key' });
  await expect(newKey).toContainText(`[127.0.0.1]:${sshd.port} is new to this computer. It presents ssh-ed25519 ${sshd.hostKeyFingerprint}.`, { timeout: REMOTE });
  expect(await readFile(sshd.knownHostsFile, 'utf8'), 'nothing is trusted before the click').toBe('');
  await newKey.getByRole('button', { name: `Trust ssh-ed25519 ${sshd.hostKeyFingerprint}` }).click();
  await expect(page.getByText(`${server} is known to this computer`)).toBeVisible({ timeout: REMOTE });
  // Logged in once at once: the login's user, from the server.
  await expect(page.getByText('Logged in as root.')).toBeVisible({ timeout: REMOTE });
  expect(await readFile(sshd.knownHostsFile, 'utf8')).toBe(`${sshd.hostKeyLine}\n`);
  await atStep(page, 'Set up n8n email and links', '01-welcome-server');

  await importExisting(page, join(dir, '.env'), join(dir, 'docker-compose.yml'));
  // What the folder on the server runs, read there.
  await expect(page.getByText(/postgres/).first()).toBeVisible({ timeout: REMOTE });
  await atStep(page, 'Set up n8n email and links');
  await next(page);

  await atStep(page, 'How should n8n send email?');
  // The example sets no mail server: n8n would show invite links only.
  await expect(page.getByRole('radio', { name: /^No email/ })).toBeChecked();
  await page.getByRole('radio', { name: /^Through an SMTP server/ }).check();
  await next(page);
  await walkFromProviderToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile });
  await atStep(page, 'Send a test email');
  await page.getByLabel('Send the test to').fill('admin@example.com');
  // The wizard's server is the one the test goes from: known already, no question.
  await page.getByText('Send it from the server n8n runs on (SSH)').click();
  await expect(page.getByLabel('Server (SSH)')).toHaveValue(server);
  await page.getByRole('button', { name: 'Send from the server' }).click();
  await expect(page.getByText('The test email was accepted')).toBeVisible({ timeout: REMOTE });
  expect(smtp.messages.map((m) => m.to)).toEqual([['admin@example.com']]);
  await next(page);

  await atStep(page, 'Public URL');
  await page.getByLabel('Public URL').fill('https://n8n.example.com/');
  await next(page);
  await atStep(page, 'Email templates');
  await next(page);
  await atStep(page, 'Review the changes');
  await expect(page.getByLabel('Folder on the server')).toHaveValue(dir);
  const changes = page.getByRole('region', { name: 'Changes by service' });
  await expect(changes).toContainText('N8N_SMTP_HOST', { timeout: REMOTE });
  await expect(changes.locator('.unchanged')).toContainText('postgres', { timeout: REMOTE });
  await atStep(page, 'Review the changes', '10-review-server');
  await next(page);

  await atStep(page, 'Export');
  await expect(page.getByText(`The files go into ${server}${dir}.`)).toBeVisible();
  await page.getByRole('button', { name: 'Write the files' }).click();
  await expect(page.getByText('The files are written')).toBeVisible({ timeout: REMOTE });
  // The write's steps on the server, each as the server reported it.
  const onServer = page.getByRole('list', { name: 'On the server' });
  await expect(onServer.getByRole('listitem')).toHaveText([/Folder locked/, /New contents on the server/, /Files replaced/]);
  await expect(onServer).not.toContainText('(not yet)');
  const written = await readFile(join(dir, '.env'), 'utf8');
  expect(written).toContain('N8N_SMTP_HOST=127.0.0.1');
  const names = await readdir(dir);
  const envBackups = names.filter((n) => /^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/.test(n));
  expect(envBackups).toHaveLength(1);
  expect(await readFile(join(dir, envBackups[0]!), 'utf8')).toBe(original.env);
  // No login, so no password in it: .env keeps the mode the admin gave it.
  expect((await stat(join(dir, '.env'))).mode & 0o777).toBe(original.envMode);
  await expect(page.getByRole('heading', { name: 'Earlier exports in this folder' })).toBeVisible({ timeout: REMOTE });
  await atStep(page, 'Export', '11-export-server');

  // Undone from the page, after the confirmation listing each file: the server's folder is as it was.
  await page.getByRole('button', { name: /^Undo the export of / }).click();
  const confirm = page.getByRole('group', { name: 'Confirm the restore' });
  await expect(confirm.getByRole('listitem').filter({ hasText: '.env — put back as it was before' })).toHaveCount(1, { timeout: REMOTE });
  const count = await confirm.getByRole('listitem').count();
  await confirm.getByRole('button', { name: `Restore ${count} files` }).click();
  await expect(page.getByText(`Restored ${count} files as they were before that export.`)).toBeVisible({ timeout: REMOTE });
  expect(await readFile(join(dir, '.env'), 'utf8')).toBe(original.env);
  expect(await readFile(join(dir, 'docker-compose.yml'), 'utf8')).toBe(original.compose);

  // Stop while the server is still staging (its sync is slow now): said so, and the folder stays as it was.
  const before = (await readdir(dir)).sort();
  await writeFile(SLOW_SYNC(), '');
  await page.getByRole('button', { name: 'Write the files' }).click();
  await expect(onServer.getByRole('listitem').first()).not.toContainText('(not yet)', { timeout: REMOTE });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.getByText(`Stopped before anything in ${server}${dir} was replaced`)).toBeVisible({ timeout: REMOTE });
  await rm(SLOW_SYNC());
  // The script on the server notices the closed connection when it next speaks, and removes what it staged.
  await expect.poll(async () => (await readdir(dir)).sort(), { timeout: REMOTE }).toEqual(before);
  expect(await readFile(join(dir, '.env'), 'utf8')).toBe(original.env);
  expect(await readFile(join(dir, 'docker-compose.yml'), 'utf8')).toBe(original.compose);

  await page.getByRole('button', { name: 'Write the files' }).click();
  await expect(page.getByText('The files are written')).toBeVisible({ timeout: REMOTE });
  expect(await readFile(join(dir, '.env'), 'utf8')).toBe(written);
  await next(page);

  await atStep(page, 'Done');
  await expect(page.getByText(`The files are in place on ${server}, in ${dir}. From this computer:`)).toBeVisible();
  await expect(page.getByLabel('Recreate n8n', { exact: true })).toContainText(`ssh -p ${sshd.port} root@127.0.0.1 'cd ${dir} && docker compose`);
  await atStep(page, 'Done', '13-done-server');

  // Run from the page, after a confirmation naming the exact command: the server's docker cannot reach a daemon, and says so.
  await page.getByRole('button', { name: 'Run it now…' }).click();
  const ask = page.getByRole('group', { name: 'Run docker compose' });
  await expect(ask).toContainText(`This runs, on ${server}: ssh -p ${sshd.port} root@127.0.0.1 'cd ${dir} && docker compose up -d'.`);
  await ask.getByRole('button', { name: 'Run docker compose up -d' }).click();
  await expect(page.getByText(`cannot reach its daemon (Cannot connect to the Docker daemon at unix://${join(scratch, 'no-docker-daemon.sock')}. Is the docker daemon running?)`)).toBeVisible({ timeout: REMOTE });
  await expect(page.getByText('sudo systemctl start docker')).toBeVisible();
  await atStep(page, 'Done', '13-done-server-apply');
});
