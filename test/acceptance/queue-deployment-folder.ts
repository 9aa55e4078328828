/**
 * The deployment the queue-mode acceptance test runs, HAND-EDITED UNTIL EXPORT HANDLES QUEUE MODE (issue 12):
 * the corpus case n8n-hosting-with-postgres-and-worker (n8n main + worker + Postgres + Redis) as
 * `n8n-setup import` → set SMTP and a public URL → `n8n-setup export` will leave it. Today export refuses a
 * compose file with two services on the n8n image; when it can write this folder, `queueDeploymentFolder`
 * becomes that export, and the harness (queue-deployment.ts) and the test stay as they are.
 *
 * Before the export, the admin's own change (not the export's): a webhook processor (`n8n webhook`, queue
 * mode's process for production webhooks) as a service like the worker — `n8n-webhook`, merging the same
 * `x-shared` anchor, `command: webhook`, after `n8n` — so that production webhooks arrive where n8n-hosting's
 * routing table sends them (/webhook/*, /webhook-waiting/*).
 *
 * The profile (`queueProfile`) is what the admin sets: SMTP through the test's STARTTLS server with a
 * password, the public URL, an external proxy (the corpus case publishes 5678 and has none), the password
 * in .env (the case keeps its other secrets there). The hand edits, and nothing else:
 *
 * 1. `.env`: the variables export derives from that profile — the export's own mapping (`deriveN8nSettings`)
 *    with no time zone (an existing deployment keeps its own) — N8N_EMAIL_MODE, N8N_SMTP_HOST, _PORT, _SSL,
 *    _STARTTLS, _SENDER, _USER, N8N_HOST, N8N_PROTOCOL, N8N_EDITOR_BASE_URL, N8N_PROXY_HOPS,
 *    N8N_WEBHOOK_URL, then N8N_SMTP_PASS; appended by the export's .env merge (its marked block, its encoder),
 *    the file then 0600 as export leaves a .env that holds a password.
 * 2. `docker-compose.yml`: one `- NAME=${NAME}` line per variable, appended to the `environment:` list of
 *    the `x-shared` anchor, which main, worker and webhook processor merge (`<<: *shared`). Workers and
 *    webhook processors need main's URL and SMTP variables (issue 12, role-correct placement); the anchor is
 *    where this file gives them their environment. Image, ports, `env_file` (none), other services: unchanged.
 *
 * The corpus's own notes (expected.json, source.json) are not part of the deployment and are not copied.
 */
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeEnvValue } from '../../shared/env-file/encode-env-value.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';
import { ENV_BLOCK_TITLE } from '../../shared/export/plan-export.js';
import { deriveN8nSettings } from '../../shared/n8n/derive-n8n-settings.js';
import { requireProfile } from '../../shared/profile/parse-profile.js';
import { resolveProfile } from '../../shared/profile/resolve-profile.js';
import { readAsComposeV2 } from '../n8n-oracle/load-like-compose.js';
import { PASSWORD, SENDER, USER } from '../smtp/smtp-test-setup.js';
import { TEST_HOST } from '../smtp/test-certificates.js';

const CORPUS_CASE = 'n8n-hosting-with-postgres-and-worker';
const CORPUS_DIR = new URL(`../fixtures/real-world/${CORPUS_CASE}/`, import.meta.url);
const DEPLOYMENT_FILES = ['docker-compose.yml', '.env'];
/** The last line of the anchor's environment list, after which the new entries go. */
const ANCHOR_LAST_ENTRY = '    - OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true\n';

const PUBLIC_URL = 'https://n8n.example.com';

export interface DeploymentFolder {
  dir: string;
  composeFile: string;
  /** What every link n8n builds must start with: the public URL without its trailing slash. */
  publicUrl: string;
  /** The variables the edit added (for the start-warning check). */
  added: string[];
}

function queueProfile(smtpPort: number): Record<string, unknown> {
  return {
    version: 1,
    email: { mode: 'smtp', host: TEST_HOST, port: smtpPort, security: 'starttls', auth: { type: 'password', user: USER }, sender: SENDER },
    url: { public: `${PUBLIC_URL}/` },
    deploy: { proxy: 'external', secrets: 'env' },
  };
}

/** The admin's webhook processor, appended to `services:` (the last top-level key of the case's file). */
const WEBHOOK_PROCESSOR = '\n  n8n-webhook:\n    <<: *shared\n    command: webhook\n    depends_on:\n      - n8n\n';

/** Writes the deployment into `dir` (an empty folder). */
export function queueDeploymentFolder(dir: string, smtpPort: number): DeploymentFolder {
  for (const file of DEPLOYMENT_FILES) copyFileSync(new URL(file, CORPUS_DIR), join(dir, file));
  const composeFile = 'docker-compose.yml';
  addWebhookProcessor(join(dir, composeFile));
  const main = readAsComposeV2(dir, composeFile, 'n8n');
  const settings = deriveN8nSettings(resolveProfile(requireProfile(queueProfile(smtpPort))), { existing: main.environment, ...(main.image && { image: main.image }) });
  if (settings.secrets.join() !== 'N8N_SMTP_PASS') throw new Error(`the profile needs the secrets ${settings.secrets.join(', ')}, not only the SMTP password`);
  const values: Array<[string, string]> = [...Object.entries(settings.values), ['N8N_SMTP_PASS', PASSWORD]];

  const envPath = join(dir, '.env');
  const set = values.map(([key, value]) => {
    const encoded = encodeEnvValue(value);
    if (!encoded.ok) throw new Error(`${key} cannot be written to .env: ${encoded.reason}`);
    return { key, text: encoded.text };
  });
  writeFileSync(envPath, mergeEnvFile(readFileSync(envPath, 'utf8'), { set, remove: [], blockTitle: ENV_BLOCK_TITLE }));
  // As export leaves a .env that holds a password.
  chmodSync(envPath, 0o600);

  const composePath = join(dir, composeFile);
  const compose = readFileSync(composePath, 'utf8');
  if (compose.split(ANCHOR_LAST_ENTRY).length !== 2) throw new Error(`the corpus case changed: ${ANCHOR_LAST_ENTRY.trim()} is no longer the x-shared anchor's last entry`);
  const entries = values.map(([key]) => `    - ${key}=\${${key}}\n`).join('');
  writeFileSync(composePath, compose.replace(ANCHOR_LAST_ENTRY, `${ANCHOR_LAST_ENTRY}${entries}`));

  return { dir, composeFile, publicUrl: PUBLIC_URL, added: values.map(([key]) => key) };
}

function addWebhookProcessor(composePath: string): void {
  const compose = readFileSync(composePath, 'utf8');
  if (!compose.endsWith('      - n8n-worker\n')) throw new Error('the corpus case changed: services: is no longer the last key of its compose file');
  writeFileSync(composePath, `${compose}${WEBHOOK_PROCESSOR}`);
}
