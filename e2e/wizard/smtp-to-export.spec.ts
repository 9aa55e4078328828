/**
 * (a) A preset with STARTTLS: the test email arrives on a real loopback server, the export is read the way
 * Compose hands it to the container and loaded by n8n's own config loader. Every step is checked with axe
 * and photographed for docs/screenshots.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { readAsComposeV2 } from '../../test/n8n-oracle/load-like-compose.js';
import { loadLikeN8n } from '../../test/n8n-oracle/load-like-n8n.js';
import { startSmtpFixture, type SmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { makeTestCertificates, type TestCertificates } from '../../test/smtp/test-certificates.js';
import { dockerStandIn } from '../../test/acceptance/docker-stand-in.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { startServe, type ServedApp } from './support/serve-app.js';
import { atStep, next } from './support/wizard-page.js';

let certs: TestCertificates;
let smtp: SmtpFixture;
let app: ServedApp;
let outDir: string;

test.beforeAll(async () => {
  certs = makeTestCertificates();
  smtp = await startSmtpFixture({ certificate: certs.valid });
});
test.afterAll(async () => {
  await smtp.close();
  await rm(certs.dir, { recursive: true, force: true });
});
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/**
 * A command as the admin pastes it into a shell in the folder (async: the SMTP fixture runs in this process).
 * It is saved as a script and run by sh: its words come from the page, and the programs it may name are
 * `node` (the test's Node, first on PATH) and `docker` (the stand-in, first on PATH), none from Debian.
 */
async function runCopied(command: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  const scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-copied-'));
  const script = join(scratch, 'pasted.sh');
  await writeFile(script, `${command}\n`);
  const child = spawn(testProgram('sh'), [script], { cwd, env, timeout: 60_000 });
  child.once('close', () => void rm(scratch, { recursive: true, force: true }));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, output };
}

test.beforeEach(async () => {
  app = await startServe();
  outDir = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-out-'));
});
test.afterEach(async () => {
  await app.stop();
  await rm(outDir, { recursive: true, force: true });
});

const INVITE_HTML = '<!doctype html><html><body><h1>Join {{domain}}</h1><p><a href="{{inviteAcceptUrl}}">Accept the invitation</a></p><script>parent.document.title="pwned"</script></body></html>';

test('(a) preset + STARTTLS: the test email arrives, and n8n reads the exported files as intended', async ({ page }) => {
  // Every step in both colour schemes, the whole wizard, then three real sends (one inside the container view).
  test.setTimeout(240_000);
  await page.goto(app.url);
  await atStep(page, 'Set up n8n email and links', '01-welcome');
  await next(page);

  await atStep(page, 'How should n8n send email?', '02-email-mode');
  await next(page);

  await atStep(page, 'Which mail provider?');
  await page.getByRole('radio', { name: /^Mailgun/ }).check();
  await expect(page.getByText('EU accounts use smtp.eu.mailgun.org.')).toBeVisible();
  await atStep(page, 'Which mail provider?', '03-provider');
  await next(page);

  await atStep(page, 'Mail server');
  await expect(page.getByLabel('Host', { exact: true })).toHaveValue('smtp.mailgun.org');
  await page.getByLabel('Host', { exact: true }).fill('http://127.0.0.1');
  await page.getByRole('textbox', { name: 'Port' }).focus();
  await expect(page.locator('#host-error')).toContainText('Host contains a scheme');
  await expect(page.getByRole('textbox', { name: 'Host' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page.locator('#next-blocker')).toContainText('To continue: Host contains a scheme');
  await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
  await page.getByRole('textbox', { name: 'Port' }).fill(String(smtp.port));
  await expect(page.getByRole('radio', { name: /^STARTTLS/ })).toBeChecked();
  await page.getByText('Private certificate authority').click();
  await page.getByLabel('CA file (PEM, optional)').fill(certs.caFile);
  await atStep(page, 'Mail server', '04-server');
  await next(page);

  await atStep(page, 'Login', '05-login');
  await page.getByRole('radio', { name: /^No login/ }).check();
  await next(page);

  await atStep(page, 'Sender');
  await page.getByLabel('From').fill('n8n <n8n@example.com>');
  await atStep(page, 'Sender', '06-sender');
  await next(page);

  await atStep(page, 'Send a test email');
  await page.getByLabel('Send the test to').fill('admin@example.com');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByText('The test email was accepted')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Progress' })).toContainText('Upgrade (STARTTLS)');
  expect(smtp.messages.map((m) => ({ to: m.to, secure: m.secure }))).toEqual([{ to: ['admin@example.com'], secure: true }]);
  await atStep(page, 'Send a test email', '07-test-email');
  await page.emulateMedia({ colorScheme: 'dark' });
  await atStep(page, 'Send a test email', '07-test-email-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await next(page);

  await atStep(page, 'Public URL');
  await page.getByLabel('Public URL').fill('https://n8n.example.com/');
  await expect(page.locator('.invite-preview')).toHaveText('https://n8n.example.com/signup?token=<token>');
  await atStep(page, 'Public URL', '08-public-url');
  await next(page);

  await atStep(page, 'Email templates');
  await page.getByLabel('Choose HTML for user invited').setInputFiles({ name: 'invite.html', mimeType: 'text/html', buffer: Buffer.from(INVITE_HTML) });
  const preview = page.frameLocator('iframe.template-preview');
  await expect(preview.getByRole('link', { name: 'Accept the invitation' })).toHaveAttribute('href', 'https://n8n.example.com/signup?token=sample');
  await expect(page.locator('iframe.template-preview')).toHaveAttribute('sandbox', '');
  expect(await page.title()).toBe('n8n Setup');
  await atStep(page, 'Email templates', '09-templates');
  await next(page);

  await atStep(page, 'Review the changes');
  await page.getByLabel('Compose project folder').fill(outDir);
  await expect(page.getByRole('table', { name: /Changed keys/ })).toContainText('N8N_SMTP_HOST');
  const rows = await page.getByRole('table', { name: /Changed keys/ }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
  await atStep(page, 'Review the changes', '10-review');
  await next(page);

  await atStep(page, 'Export');
  await page.getByRole('button', { name: 'Write the files' }).click();
  await expect(page.getByText('The files are written')).toBeVisible();
  await atStep(page, 'Export', '11-export');
  // Back here after a reload (no result in hand): the folder already holds it, so Next is not held.
  await page.reload();
  await atStep(page, 'Export');
  await expect(page.getByText('The folder already holds these settings')).toBeVisible();
  await next(page);

  await atStep(page, 'Done', '12-done');
  await expect(page.getByLabel('Recreate n8n', { exact: true })).toHaveText('docker compose up -d');
  await expect(page.getByText('proxy/n8n.conf')).toHaveCount(0);

  // The Done step's commands, copied with their buttons, run as printed in the export folder: the test email
  // arrives again from "the server" with the server's Node, then from inside the n8n container (stand-in).
  const copied = async (label: string) => {
    const copy = page.getByRole('button', { name: `Copy: ${label}` });
    await copy.click();
    // Each command says so beside its own button.
    await expect(page.locator('.command').filter({ has: copy }).getByRole('status')).toHaveText('Copied.');
    return page.evaluate(() => (navigator as unknown as { clipboard: { readText(): Promise<string> } }).clipboard.readText());
  };
  const onServer = await copied('Test email from the server');
  expect(onServer).toBe('node tools/n8n-setup.cjs smtp-test --env .env --compose compose.yaml --to admin@example.com');
  const hostRun = await runCopied(onServer, outDir, { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` });
  expect(hostRun.status, hostRun.output).toBe(0);
  expect(hostRun.output).toContain('SENT in');
  const inContainer = await copied('Test email from the n8n container');
  const docker = dockerStandIn(outDir, { service: 'n8n' });
  try {
    const containerRun = await runCopied(inContainer, outDir, docker.env);
    expect(containerRun.status, containerRun.output).toBe(0);
    expect(containerRun.output).toContain('SENT in');
  } finally {
    await rm(docker.scratch, { recursive: true, force: true });
  }
  expect(smtp.messages.map((m) => ({ to: m.to, secure: m.secure }))).toEqual(Array(3).fill({ to: ['admin@example.com'], secure: true }));

  // Each compose row of the review is what the written file says: a new folder's keys are all additions, with their values.
  const composeRows = rows.filter(([file]) => file === 'compose.yaml');
  expect(composeRows.length).toBeGreaterThan(3);
  const written = parse(await readFile(join(outDir, 'compose.yaml'), 'utf8')) as { services: Record<string, Record<string, unknown>> };
  for (const [, key, before, after] of composeRows) {
    expect([key, before], 'a new folder had nothing before').toEqual([key, '(none)']);
    expect(after, key).not.toBe('(removed)');
    const env = /^services\.n8n\.environment\.(.+)$/.exec(key!)?.[1];
    const mount = /^services\.n8n\.volumes\.(.+)$/.exec(key!)?.[1];
    if (env) {
      const raw = written.services.n8n!.environment;
      const environment = Array.isArray(raw) ? Object.fromEntries(raw.map((entry: string) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)])) : (raw as Record<string, unknown>);
      const value = String(environment[env] ?? '');
      expect(after, key).toBe(/PASS$/.test(env) ? '••••••••' : value === '' ? '(empty)' : value);
    } else if (mount) {
      const entries = (written.services.n8n!.volumes as unknown[]).map((entry) => (typeof entry === 'string' ? entry : JSON.stringify(entry)));
      expect(entries, key).toContain(after);
    } else expect(after, key).not.toBe('');
  }

  const n8n = loadLikeN8n(readAsComposeV2(outDir, 'compose.yaml'));
  expect(n8n.email.mode).toBe('smtp');
  expect(n8n.email.smtp).toMatchObject({ host: '127.0.0.1', port: smtp.port, secure: false, startTLS: true, sender: 'n8n <n8n@example.com>' });
  expect(n8n.editorBaseUrl).toBe('https://n8n.example.com/');
  expect(n8n.host).toBe('n8n.example.com');
  expect(n8n.protocol).toBe('https');
  expect(Object.values(n8n.email.template).some((path) => path.endsWith('.html'))).toBe(true);
});
