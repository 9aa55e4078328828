/**
 * (c) An existing instance: a hand-written .env (comments, Postgres and Redis keys) and a compose file with
 * a Postgres service. The welcome step imports them and shows what n8n would ignore; the review lists only
 * n8n's keys, on the n8n service; after the export every other line is as it was, and backups sit beside both files.
 */
import { expect, test } from '@playwright/test';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPatch } from 'diff';
import { maskSecrets } from '../../shared/export/file-diffs.js';
import { isVariableName } from '../../shared/n8n/n8n-variables.js';
import { startSmtpFixture } from '../../test/smtp/smtp-fixtures.js';
import { lineDiff } from './support/line-diff.js';
import { startServe } from './support/serve-app.js';
import { importExisting } from './support/walk-to.js';
import { atStep, next } from './support/wizard-page.js';

const OTHER_SERVICES_KEYS = ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB', 'DB_TYPE', 'DB_POSTGRESDB_HOST', 'REDIS_PASSWORD', 'QUEUE_BULL_REDIS_HOST'];

const envFile = (smtpPort: number) => `# n8n, set up by hand in 2024
# The relay on this host
N8N_SMTP_HOST=127.0.0.1
N8N_SMTP_PORT=${smtpPort}
N8N_SMTP_SSL=false
N8N_SMTP_STARTTLS=false
N8N_SMTP_SENDER=n8n@example.com
N8N_SMTP_PASSWORD=not-read-by-n8n
N8N_HOST=old.example.com
N8N_PROTOCOL=https

# Database (read by the postgres service and by n8n)
POSTGRES_USER=n8n
POSTGRES_PASSWORD=pg-secret-value
POSTGRES_DB=n8n
DB_TYPE=postgresdb
DB_POSTGRESDB_HOST=postgres

# Queue
REDIS_PASSWORD=redis-secret-value
QUEUE_BULL_REDIS_HOST=redis
`;

const COMPOSE_FILE = `# n8n with Postgres and Redis
services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:2.41.1
    restart: unless-stopped
    env_file: .env
    ports:
      - "5678:5678"
    depends_on:
      - postgres
      - redis
    volumes:
      - n8n_data:/home/node/.n8n

  postgres:
    image: postgres:16
    restart: unless-stopped
    environment:
      POSTGRES_USER: \${POSTGRES_USER}
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
      POSTGRES_DB: \${POSTGRES_DB}
    volumes:
      - db_data:/var/lib/postgresql/data

  redis:
    image: redis:7
    command: redis-server --requirepass \${REDIS_PASSWORD}

volumes:
  n8n_data:
  db_data:
`;

/** A line that sets one of n8n's variables, in .env (`KEY=`) or in a compose environment map (`KEY: `). */
const setsN8nVariable = (line: string) => {
  const key = /^\s*([A-Z][A-Z0-9_]*)\s*[=:]/.exec(line)?.[1];
  return key !== undefined && isVariableName(key);
};

test('(c) an existing .env and compose file: only n8n keys change, every other line stays, backups beside both', async ({ page }) => {
  const smtp = await startSmtpFixture();
  const project = await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-project-'));
  const env = envFile(smtp.port);
  await writeFile(join(project, '.env'), env);
  await writeFile(join(project, 'docker-compose.yml'), COMPOSE_FILE);
  const app = await startServe();
  try {
    await page.goto(app.url);
    await atStep(page, 'Set up n8n email and links');
    await importExisting(page, join(project, '.env'), join(project, 'docker-compose.yml'));
    const findings = page.locator('.findings');
    await expect(findings.getByRole('heading', { name: 'What n8n would ignore or alter' })).toBeVisible();
    await expect(findings).toContainText('N8N_SMTP_PASSWORD does nothing');
    await atStep(page, 'Set up n8n email and links', '01-welcome-existing');
    await next(page);

    await atStep(page, 'How should n8n send email?');
    await next(page);
    await atStep(page, 'Which mail provider?');
    await expect(page.getByRole('radio', { name: /^Another server/ })).toBeChecked();
    await next(page);
    await atStep(page, 'Mail server');
    await expect(page.getByLabel('Host', { exact: true })).toHaveValue('127.0.0.1');
    await expect(page.getByRole('textbox', { name: 'Port' })).toHaveValue(String(smtp.port));
    await next(page);
    await atStep(page, 'Login');
    await expect(page.getByRole('radio', { name: /^No login/ })).toBeChecked();
    await next(page);
    await atStep(page, 'Sender');
    await expect(page.getByLabel('From')).toHaveValue('n8n@example.com');
    await next(page);

    await atStep(page, 'Send a test email');
    await page.getByLabel('Send the test to').fill('admin@example.com');
    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect(page.getByText('The test email was accepted')).toBeVisible();
    expect(smtp.messages.map((m) => m.to)).toEqual([['admin@example.com']]);
    await next(page);

    await atStep(page, 'Public URL');
    await page.getByLabel('Public URL').fill('https://n8n.example.com/');
    await next(page);
    await atStep(page, 'Email templates');
    await next(page);

    await atStep(page, 'Review the changes');
    await expect(page.getByLabel('Compose project folder')).toHaveValue(project);
    // An existing compose project: the changes come per service; Postgres and Redis get none.
    const changes = page.getByRole('region', { name: 'Changes by service' });
    await expect(changes.getByRole('heading', { level: 3 })).toHaveText(['n8n — main (editor, sends invites)']);
    await expect(changes.locator('.unchanged')).toHaveText('postgres, redis — unchanged');
    await expect(changes).toContainText('N8N_HOST');
    const keys = await changes.locator('tbody th[scope="row"]').allTextContents();
    expect(keys.filter((key) => !isVariableName(key))).toEqual([]);
    expect(keys.filter((key) => OTHER_SERVICES_KEYS.includes(key))).toEqual([]);
    // Each file line by line, grouped by the service that reads it; secrets masked in context lines too.
    const lineByLine = page.getByRole('region', { name: 'Each file, line by line' });
    await expect(lineByLine.getByRole('heading', { level: 3 })).toHaveText(['Read by n8n — main (editor, sends invites)', 'Other files']);
    await lineByLine.locator('summary').filter({ hasText: /^\.env/ }).click();
    const envHunks = (await lineByLine.getByLabel('Changes to .env', { exact: true }).textContent()) ?? '';
    expect(envHunks).toContain('-N8N_HOST=old.example.com');
    expect(envHunks).toContain('+N8N_HOST=n8n.example.com');
    for (const secret of ['pg-secret-value', 'redis-secret-value']) expect(envHunks).not.toContain(secret);
    await atStep(page, 'Review the changes', '10-review-existing');
    await next(page);

    await atStep(page, 'Export');
    await page.getByRole('button', { name: 'Write the files' }).click();
    await expect(page.getByText('The files are written')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Earlier exports in this folder' })).toBeVisible();
    await atStep(page, 'Export', '11-export-existing');

    const written = { env: await readFile(join(project, '.env'), 'utf8'), compose: await readFile(join(project, 'docker-compose.yml'), 'utf8') };
    // The review's diff of .env was the truth: applied to the old file (masked alike) it gives the written one.
    const numbers = new Map<string, number>();
    const maskedBefore = maskSecrets(env, [], new Set(), numbers);
    expect(applyPatch(maskedBefore, `--- .env\n+++ .env\n${envHunks.replace(/\n$/, '')}\n`)).toBe(maskSecrets(written.env, [], new Set(), numbers));
    const envDiff = lineDiff(env, written.env);
    expect(envDiff.removed.filter((line) => !setsN8nVariable(line))).toEqual([]);
    // Besides n8n's keys, the export adds only its own block header: a blank line and one comment.
    expect(envDiff.added.filter((line) => !setsN8nVariable(line) && line !== '' && !/^# .*\(managed by n8n-setup\)$/.test(line))).toEqual([]);
    expect(envDiff.added.filter(setsN8nVariable).length).toBeGreaterThan(0);
    for (const key of OTHER_SERVICES_KEYS) expect(written.env).toMatch(new RegExp(`^${key}=`, 'm'));

    const composeDiff = lineDiff(COMPOSE_FILE, written.compose);
    expect(composeDiff.removed.filter((line) => !setsN8nVariable(line))).toEqual([]);
    // The n8n service had no environment map: the export opens one for the keys Compose must set itself.
    expect(composeDiff.added.filter((line) => !setsN8nVariable(line) && line !== '    environment:')).toEqual([]);

    const names = await readdir(project);
    const backups = { env: names.filter((n) => /^\.env\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/.test(n)), compose: names.filter((n) => /^docker-compose\.yml\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/.test(n)) };
    expect(backups.env).toHaveLength(1);
    expect(backups.compose).toHaveLength(1);
    expect(await readFile(join(project, backups.env[0] ?? ''), 'utf8')).toBe(env);
    expect(await readFile(join(project, backups.compose[0] ?? ''), 'utf8')).toBe(COMPOSE_FILE);

    // Undone as a whole, after a confirmation that lists each file: the folder is as it was, every file together.
    const created = (await readdir(project, { recursive: true })).filter((name) => !names.includes(name) || name.startsWith('tools'));
    await page.getByRole('button', { name: /^Undo the export of / }).click();
    const confirm = page.getByRole('group', { name: 'Confirm the restore' });
    await expect(confirm.getByRole('listitem').filter({ hasText: '.env — put back as it was before' })).toHaveCount(1);
    await expect(confirm.getByRole('listitem').filter({ hasText: 'docker-compose.yml — put back as it was before' })).toHaveCount(1);
    await expect(confirm.getByRole('listitem').filter({ hasText: 'tools/n8n-setup.cjs — removed (that export created it)' })).toHaveCount(1);
    await atStep(page, 'Export', '11-export-undo');
    const count = await confirm.getByRole('listitem').count();
    await confirm.getByRole('button', { name: `Restore ${count} files` }).click();
    await expect(page.getByText(`Restored ${count} files as they were before that export.`)).toBeVisible();
    expect(await readFile(join(project, '.env'), 'utf8')).toBe(env);
    expect(await readFile(join(project, 'docker-compose.yml'), 'utf8')).toBe(COMPOSE_FILE);
    const after = await readdir(project, { recursive: true });
    expect(after.filter((name) => name.endsWith('n8n-setup.cjs') || name === 'n8n-variables.txt'), created.join(', ')).toEqual([]);
  } finally {
    await app.stop();
    await smtp.close();
    await rm(project, { recursive: true, force: true });
  }
});
