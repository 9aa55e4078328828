/**
 * Where the SMTP password goes. (d) Without a D-Bus session the keychain is unavailable: the login step
 * offers the choices, and the password ends up only where the admin chose. (f) With a real gnome-keyring
 * on a private D-Bus session: saved once, used after a restart without being asked, and in no file but
 * the keyring's own encrypted store. (g) The saved password belongs to its server: pointed at another
 * one, the wizard asks first, sends nothing on "no", and after "use it" binds it to the new server.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingKeyringTools, startKeychainSession } from '../../test/keychain/keychain-session.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates } from '../../test/smtp/test-certificates.js';
import { filesHolding } from './support/files-holding.js';
import { startServe } from './support/serve-app.js';
import { fromTestToReview, walkToTestEmail } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

const USER = 'apikey';
const PASSWORD = 'e2e-smtp-pass-7Qk2vX9d';

const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function sendTest(page: Page): Promise<void> {
  await page.getByLabel('Send the test to').fill('admin@example.com');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByText('The test email was accepted')).toBeVisible();
}

test('(d) no keychain: the choices appear, and the password is only in the exported secret file', async ({ page }) => {
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  const home = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-home-'));
  const outDir = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-out-'));
  // startServe passes no DBUS_SESSION_BUS_ADDRESS: the keychain cannot be reached.
  const app = await startServe({ home });
  try {
    await page.goto(app.url);
    const status = page.waitForResponse((r) => r.url().endsWith('/api/secretStatus'));
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile }, async () => {
      await atStep(page, 'Login');
      await page.getByRole('radio', { name: /^User name and password/ }).check();
      await expect(page.getByText('The system keychain cannot be used')).toBeVisible();
      // Plain words; the keychain's own cause waits behind Details.
      const keychainNotice = page.locator('.notice', { hasText: 'The system keychain cannot be used' });
      await expect(keychainNotice).not.toContainText(/D-Bus|DISPLAY|dbus/, { useInnerText: true });
      await keychainNotice.getByText('Details', { exact: true }).click();
      await expect(keychainNotice).toContainText(/D-Bus/, { useInnerText: true });
      await keychainNotice.getByText('Details', { exact: true }).click();
      await expect(page.getByRole('radio', { name: /^I type it when asked/ })).toBeChecked();
      await page.getByRole('radio', { name: /^Keep it only in the exported secret file/ }).check();
      await page.getByRole('textbox', { name: 'User name' }).fill(USER);
      await expect(page.getByRole('textbox', { name: 'Password' })).toHaveCount(0);
      await atStep(page, 'Login', '05-login-no-keychain');
    });
    expect(await (await status).json()).toMatchObject({ ok: true, data: { keychain: { available: false, error: { code: 'KEYCHAIN_NO_DBUS' } }, secrets: [] } });

    await atStep(page, 'Send a test email');
    await page.getByLabel('SMTP password', { exact: true }).fill(PASSWORD);
    await sendTest(page);
    expect(smtp.messages.map((m) => m.user)).toEqual([USER]);

    // Asked once: the review and the export use the password typed for the test, for this server.
    await fromTestToReview(page, outDir);
    await expect(page.getByText(`The SMTP password given earlier for ${USER} at 127.0.0.1:${smtp.port} is used. It is kept in memory until the app closes and never saved.`)).toBeVisible();
    await expect(page.getByLabel('SMTP password', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Where secrets go' })).toBeVisible();
    await expect(page.locator('section[aria-labelledby="secrets-heading"]')).toContainText('secrets/n8n_smtp_pass');
    await next(page);
    await atStep(page, 'Export');
    await expect(page.getByLabel('SMTP password', { exact: true })).toHaveCount(0);
    await page.getByRole('button', { name: 'Write the files' }).click();
    await expect(page.getByText('The files are written')).toBeVisible();
    // Focus follows to the outcome, not to the page's body.
    await expect(page.getByRole('group', { name: 'Result of the export' })).toBeFocused();
    // Nothing of it in the page's own storage.
    const stored = await page.evaluate(() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]));
    expect(stored).not.toContain(PASSWORD);

    // Another user is another server: its password is asked for, and the one held is not sent there.
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await atStep(page, 'Login');
    await page.getByRole('textbox', { name: 'User name' }).fill('someone-else');
    await page.getByRole('button', { name: 'Test email', exact: true }).click();
    await atStep(page, 'Send a test email');
    await expect(page.getByLabel('SMTP password', { exact: true })).toBeVisible();

    const secretFile = join(outDir, 'secrets', 'n8n_smtp_pass');
    expect(await filesHolding(outDir, PASSWORD)).toEqual([secretFile]);
    // The app data folder (drafts, profiles, uploads) is inside this HOME.
    expect(app.dataFolder.startsWith(home)).toBe(true);
    expect(await filesHolding(home, PASSWORD)).toEqual([]);
    const env = await readFile(join(outDir, '.env'), 'utf8');
    expect(env).not.toMatch(/^N8N_SMTP_PASS=/m);
    expect(`${env}\n${await readFile(join(outDir, 'compose.yaml'), 'utf8')}`).toContain('N8N_SMTP_PASS_FILE');
    // As root the file goes to n8n's uid with 0600; otherwise 0644 inside a folder only the admin can enter.
    expect((await stat(secretFile)).mode & 0o777).toBe(runningAsRoot ? 0o600 : 0o644);
    expect((await stat(join(outDir, 'secrets'))).mode & 0o777).toBe(0o700);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
    await rm(outDir, { recursive: true, force: true });
  }
});

const missingKeyring = missingKeyringTools();
const underCi = Boolean(process.env.CI) && process.env.CI !== 'false';

test('(f) a real gnome-keyring: saved once, not asked again after a restart, in no file but the keyring', async ({ page }) => {
  // Like test/support/external-tools.ts: skipped where the tools are missing, failed under CI.
  test.skip(Boolean(missingKeyring) && !underCi, missingKeyring);
  const certs = makeTestCertificates();
  const smtp = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  const session = await startKeychainSession('unlocked');
  // serve runs inside the private D-Bus session, with the session's HOME (where the keyring keeps its store).
  const serve = () => startServe({ home: session.home, env: session.env });
  let app = await serve();
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: smtp.port, security: /^STARTTLS/, caFile: certs.caFile }, async () => {
      await atStep(page, 'Login');
      await page.getByRole('radio', { name: /^User name and password/ }).check();
      await page.getByRole('textbox', { name: 'User name' }).fill(USER);
      await expect(page.locator('#next-blocker')).toHaveText('To continue: save the password in the keychain.');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Save in keychain' }).click();
      await expect(page.getByRole('status').filter({ hasText: /^Saved in / })).toBeVisible();
      await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
      await expect(page.getByText('The system keychain cannot be used')).toHaveCount(0);
      await atStep(page, 'Login', '05-login-keychain');
    });
    await atStep(page, 'Send a test email');
    await expect(page.getByLabel('SMTP password', { exact: true })).toHaveCount(0);
    await sendTest(page);

    // A restart (new process, new port) finds the draft, and the password in the keychain.
    await page.waitForTimeout(600);
    await app.stop();
    app = await serve();
    await page.goto(app.url);
    await atStep(page, 'Send a test email');
    await page.getByRole('button', { name: 'Login', exact: true }).click();
    await atStep(page, 'Login');
    await expect(page.getByText(`A password is saved in the keychain for 127.0.0.1:${smtp.port} (user "${USER}"); enter a new one to replace it.`)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled();
    await next(page);
    await atStep(page, 'Sender');
    await next(page);
    await atStep(page, 'Send a test email');
    await expect(page.getByLabel('SMTP password', { exact: true })).toHaveCount(0);
    await sendTest(page);
    expect(smtp.messages.map((m) => m.user)).toEqual([USER, USER]);

    const draft = await readFile(join(app.dataFolder, 'draft.json'), 'utf8');
    expect(draft).toContain(USER);
    expect(draft).not.toContain(PASSWORD);
    // The keyring's store is encrypted, so the password is in no file under HOME at all.
    expect(await filesHolding(session.home, PASSWORD)).toEqual([]);
  } finally {
    await app.stop();
    await session.stop();
    await smtp.close();
    await rm(certs.dir, { recursive: true, force: true });
  }
});

test('(g) a real gnome-keyring: the saved password goes to another server only after the admin says so, then belongs to it', async ({ page }) => {
  test.skip(Boolean(missingKeyring) && !underCi, missingKeyring);
  const certs = makeTestCertificates();
  const saved = await startSmtpFixture({ certificate: certs.valid, users: { [USER]: PASSWORD } });
  const other = await startSmtpFixture({ address: '127.0.0.2', certificate: certs.valid, users: { [USER]: PASSWORD } });
  const session = await startKeychainSession('unlocked');
  const serve = () => startServe({ home: session.home, env: session.env });
  let app = await serve();
  const question = page.getByRole('dialog', { name: 'Use the saved password for this server?' });
  const otherGot = () => ({ sessions: other.openedSessions, messages: other.messages.length });
  try {
    await page.goto(app.url);
    await walkToTestEmail(page, { host: '127.0.0.1', port: saved.port, security: /^STARTTLS/, caFile: certs.caFile }, async () => {
      await page.getByRole('radio', { name: /^User name and password/ }).check();
      await page.getByRole('textbox', { name: 'User name' }).fill(USER);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Save in keychain' }).click();
      await expect(page.getByRole('status').filter({ hasText: /^Saved in / })).toBeVisible();
    });
    await sendTest(page);

    // The same profile, now pointing at another server.
    await page.getByRole('button', { name: 'Server', exact: true }).click();
    await atStep(page, 'Mail server');
    await page.getByRole('textbox', { name: 'Host' }).fill('127.0.0.2');
    await page.getByRole('textbox', { name: 'Port' }).fill(String(other.port));
    await next(page);
    await atStep(page, 'Login');
    // Shown once the keychain answers (D-Bus to gnome-keyring): on a loaded machine that took more than 5 s.
    await expect(page.getByText(`A password is saved in the keychain for 127.0.0.1:${saved.port} (user "${USER}"); enter a new one to replace it.`)).toBeVisible({ timeout: 20_000 });
    await next(page);
    await next(page);
    await atStep(page, 'Send a test email');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(question).toBeVisible();
    await expect(question).toContainText(`The SMTP password of profile "default" belongs to 127.0.0.1:${saved.port} (user "${USER}"), but this profile would send it to 127.0.0.2:${other.port} (user "${USER}"). It was not used.`);
    await atStep(page, 'Send a test email', '07-test-email-other-server');
    await question.getByRole('button', { name: "Don't use it" }).click();
    await expect(page.getByText('The saved password was not used')).toBeVisible();
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByRole('button', { name: 'Send test email' })).toBeEnabled();
    await expect(question).toHaveCount(0);
    expect(otherGot()).toEqual({ sessions: 0, messages: 0 });

    await page.getByRole('button', { name: 'Use it for this server after all' }).click();
    await sendTest(page);
    expect(otherGot()).toEqual({ sessions: 1, messages: 1 });
    expect(other.loginAttempts.map((a) => ({ user: a.user, secure: a.secure, saved: a.password === PASSWORD }))).toEqual([{ user: USER, secure: true, saved: true }]);

    // A new session knows no answers: the password now belongs to the new server, so nothing is asked.
    await page.waitForTimeout(600);
    await app.stop();
    app = await serve();
    await page.goto(app.url);
    await atStep(page, 'Send a test email');
    await sendTest(page);
    await expect(question).toHaveCount(0);
    expect(otherGot().messages).toBe(2);
    expect(await filesHolding(session.home, PASSWORD)).toEqual([]);
  } finally {
    await app.stop();
    await session.stop();
    await Promise.all([saved.close(), other.close()]);
    await rm(certs.dir, { recursive: true, force: true });
  }
});
