/**
 * The deployment the queue-mode acceptance test runs: the corpus case n8n-hosting-with-postgres-and-worker
 * (n8n main + worker + Postgres + Redis) as `n8n-setup import` → set SMTP and a public URL → `n8n-setup
 * export` leaves it — the real import and export, through the services the CLI calls.
 *
 * Before the export, the admin's own change (not the export's): a webhook processor (`n8n webhook`, queue
 * mode's process for production webhooks) as a service like the worker — `n8n-webhook`, merging the same
 * `x-shared` anchor, `command: webhook`, after `n8n` — so that production webhooks arrive where n8n-hosting's
 * routing table sends them (/webhook/*, /webhook-waiting/*).
 *
 * The profile (`queueProfile`) is what the admin sets on top of what import read: SMTP through the test's
 * STARTTLS server with a password, the public URL, an external proxy (the corpus case publishes 5678 and has
 * none), the password in .env (the case keeps its other secrets there). Export then gives main, worker and
 * webhook processor the same settings (they all merge the x-shared anchor, so that is where they go).
 *
 * The corpus's own notes (expected.json, source.json) are not part of the deployment and are not copied.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportSetup } from '../../services/export/export-setup.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { readAsComposeV2 } from '../n8n-oracle/load-like-compose.js';
import { PASSWORD, SENDER, USER } from '../smtp/smtp-test-setup.js';
import { TEST_HOST } from '../smtp/test-certificates.js';

const CORPUS_CASE = 'n8n-hosting-with-postgres-and-worker';
const CORPUS_DIR = new URL(`../fixtures/real-world/${CORPUS_CASE}/`, import.meta.url);
const DEPLOYMENT_FILES = ['docker-compose.yml', '.env'];

const PUBLIC_URL = 'https://n8n.example.com';

export interface DeploymentFolder {
  dir: string;
  composeFile: string;
  /** What every link n8n builds must start with: the public URL without its trailing slash. */
  publicUrl: string;
  /** The variables the export added (for the start-warning check). */
  added: string[];
}

function queueProfile(imported: Profile, smtpPort: number): Profile {
  return {
    ...imported,
    email: { mode: 'smtp', host: TEST_HOST, port: smtpPort, security: 'starttls', auth: { type: 'password', user: USER }, sender: SENDER },
    url: { public: `${PUBLIC_URL}/` },
    deploy: { ...imported.deploy, proxy: 'external', secrets: 'env' },
  };
}

/** The admin's webhook processor, appended to `services:` (the last top-level key of the case's file). */
const WEBHOOK_PROCESSOR = '\n  n8n-webhook:\n    <<: *shared\n    command: webhook\n    depends_on:\n      - n8n\n';

/** Writes the deployment into `dir` (an empty folder): the corpus files, the admin's webhook processor, then import and export. */
export async function queueDeploymentFolder(dir: string, smtpPort: number): Promise<DeploymentFolder> {
  for (const file of DEPLOYMENT_FILES) copyFileSync(new URL(file, CORPUS_DIR), join(dir, file));
  const composeFile = 'docker-compose.yml';
  addWebhookProcessor(join(dir, composeFile));
  const before = readAsComposeV2(dir, composeFile, 'n8n').environment;
  const imported = await importSetup({ composeFile: join(dir, composeFile) });
  await exportSetup({ loaded: loadProfile(queueProfile(imported.profile, smtpPort), dir), outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD } });
  const after = readAsComposeV2(dir, composeFile, 'n8n').environment;
  return { dir, composeFile, publicUrl: PUBLIC_URL, added: Object.keys(after).filter((key) => !(key in before)) };
}

function addWebhookProcessor(composePath: string): void {
  const compose = readFileSync(composePath, 'utf8');
  if (!compose.endsWith('      - n8n-worker\n')) throw new Error('the corpus case changed: services: is no longer the last key of its compose file');
  writeFileSync(composePath, `${compose}${WEBHOOK_PROCESSOR}`);
}
