/**
 * Queue mode on a real n8n: the n8n-hosting withPostgresAndWorker deployment plus a webhook processor, with
 * SMTP and a public URL set by import and export (queue-deployment-folder.ts), run service by service with
 * real Redis and Postgres. Main sends the invitation; the
 * worker — not main, not the webhook processor that received the call — runs a production webhook's
 * workflow with an encrypted credential, and builds a Wait node's resume URL under the public URL.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readAsComposeV2, readWithDockerComposeV1 } from '../n8n-oracle/load-like-compose.js';
import { SENDER } from '../smtp/smtp-test-setup.js';
import { eventually } from './eventually.js';
import { startHttpReceiver, type HttpReceiver } from './http-receiver.js';
import { useMailServers, waitForMessage } from './mail-servers.js';
import { INVITEE, N8nRest } from './n8n-rest.js';
import { logTail } from './process-groups.js';
import { launchQueueDeployment, type RunningQueueDeployment } from './queue-deployment.js';
import { queueDeploymentFolder, type DeploymentFolder } from './queue-deployment-folder.js';
import { CREDENTIAL_HEADER, CREDENTIAL_PATH, credentialWorkflow, readReport, REPORTS, WAIT_PATH, waitWorkflow } from './queue-workflows.js';
import { readReceivedMail } from './received-mail.js';
import { startWarningsAbout } from './start-warnings.js';

const WEBHOOK_TIMEOUT_MS = 60_000;
const LOG_TIMEOUT_MS = 30_000;

const servers = useMailServers();

describe('queue mode (main + worker + webhook processor + Redis + Postgres), the deployment as import and export leave it', () => {
  let workDir = '';
  let folder: DeploymentFolder;
  let deployment: RunningQueueDeployment | undefined;
  let receiver: HttpReceiver | undefined;
  let rest: N8nRest;
  let since = 0;
  const main = () => running().service('main').n8n;
  const worker = () => running().service('worker').n8n;
  /** Where a proxy routes /webhook/* and /webhook-waiting/* (n8n-hosting's routing table). */
  const webhookProcessor = () => running().service('webhook').n8n;
  const running = () => {
    if (!deployment) throw new Error('the queue-mode deployment is not running');
    return deployment;
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'n8n-queue-deployment-'));
    chmodSync(workDir, 0o755);
    since = servers().starttls.messages.length;
    folder = await queueDeploymentFolder(workDir, servers().starttls.port);
    receiver = await startHttpReceiver();
    deployment = await launchQueueDeployment(folder, servers().certificates.caFile);
    rest = new N8nRest(main().url);
    await rest.setupOwner();
  });
  afterEach(({ task }) => {
    // What each n8n process said is the evidence a failure needs.
    if (task.result?.state === 'fail') for (const s of deployment?.services ?? []) console.log(`---- ${s.name} (${s.role}), end of its log:\n${logTail(s.n8n.log())}`);
  });
  afterAll(async () => {
    await deployment?.stop();
    await receiver?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('starts every n8n service with the environment Compose gives it, changed only by the documented stand-ins', () => {
    expect(running().services.map((s) => `${s.name}: ${s.role}`).sort()).toEqual(['n8n-webhook: webhook', 'n8n-worker: worker', 'n8n: main']);
    for (const service of running().services) {
      const composed = readAsComposeV2(folder.dir, folder.composeFile, service.name);
      const v1 = readWithDockerComposeV1(folder.dir, folder.composeFile, service.name);
      expect(composed.environment, `${service.name}: our Compose v2 reading and docker-compose v1's loader agree`).toEqual(v1.environment);
      expect(service.spec.command, service.name).toEqual(v1.command);
      const replaced = Object.keys(composed.environment).filter((name) => service.spec.environment[name] !== composed.environment[name]);
      expect(replaced.sort(), `${service.name}: values the harness replaced (docs/acceptance.md)`).toEqual(['DB_POSTGRESDB_PORT', 'N8N_RUNNERS_BROKER_LISTEN_ADDRESS']);
    }
  });

  it('the stand-in Postgres takes logins by password only (scram-sha-256, no trust)', async () => {
    const { postgres } = running();
    const n8n = running().service('main').spec.environment;
    const login = { user: n8n.DB_POSTGRESDB_USER ?? '', database: n8n.DB_POSTGRESDB_DATABASE ?? '' };
    await expect(postgres.psql({ ...login, password: 'not-the-password' }, 'SELECT 1;')).rejects.toThrow(/password authentication failed/);
    const image = readAsComposeV2(folder.dir, folder.composeFile, 'postgres').environment;
    const superuser = { user: image.POSTGRES_USER ?? '', password: image.POSTGRES_PASSWORD ?? '', database: login.database };
    const methods = await postgres.psql(superuser, 'SELECT DISTINCT auth_method FROM pg_hba_file_rules;');
    expect(methods.trim().split('\n')).toEqual(['scram-sha-256']);
  });

  it('no n8n process warns about a variable the edit added', () => {
    for (const service of running().services) expect(startWarningsAbout(service.n8n.log(), folder.added), service.name).toEqual([]);
  });

  it('main sends the invitation: from our sender, with a link to <public URL>/signup?token=', async () => {
    const invitation = await rest.invite();
    expect(invitation, 'n8n reports the email as sent').toMatchObject({ user: { email: INVITEE, emailSent: true } });
    const mail = readReceivedMail((await waitForMessage(servers().starttls, INVITEE, since)).raw);
    expect(mail.headers.get('from')).toBe(SENDER);
    const link = mail.links.find((href) => href.includes('/signup?token='));
    expect(link?.startsWith(`${folder.publicUrl}/signup?token=`), `links in the invitation: ${mail.links.join(', ')}`).toBe(true);
  });

  it('a production webhook runs a workflow with an encrypted credential on the worker, not on main', async () => {
    const secret = randomBytes(12).toString('hex');
    const credential = await rest.createCredential({ name: 'Queue proof header', type: 'httpHeaderAuth', data: { name: CREDENTIAL_HEADER, value: secret } });
    await rest.publishWorkflow(credentialWorkflow(receiver?.url ?? '', credential));

    const answer = await postWebhook(`${webhookProcessor().url}/webhook/${CREDENTIAL_PATH}`);
    expect(answer.status, answer.body).toBe(200);
    const request = await receiver?.waitFor(REPORTS.credential);
    expect(request?.headers[CREDENTIAL_HEADER.toLowerCase()], 'the credential, decrypted where the workflow ran').toBe(secret);
    const { executionId } = readReport(request?.body ?? '');

    const job = await eventually(() => new RegExp(`Worker started execution ${executionId} \\(job (\\d+)\\)`).exec(worker().log())?.[1], LOG_TIMEOUT_MS, () => `the worker's log never showed execution ${executionId}`);
    expect(webhookProcessor().log(), 'the webhook processor queued it').toContain(`Enqueued execution ${executionId} (job ${job})`);
    for (const other of [main(), webhookProcessor()]) expect(runsOf(other.log(), executionId), `${other.role} did not run it`).toBe(0);
  });

  it('a Wait node’s resume URL, built on the worker, is under the public URL and resumes the execution there', async () => {
    await rest.publishWorkflow(waitWorkflow(receiver?.url ?? ''));
    const answer = await postWebhook(`${webhookProcessor().url}/webhook/${WAIT_PATH}`);
    expect(answer.status, answer.body).toBe(200);

    const reported = readReport((await receiver?.waitFor(REPORTS.resumeUrl))?.body ?? '');
    const resumeUrl = reported.resumeUrl ?? '';
    expect(resumeUrl.startsWith(`${folder.publicUrl}/webhook-waiting/${reported.executionId}?`), resumeUrl).toBe(true);
    await eventually(() => (runsOf(worker().log(), reported.executionId) === 1 || undefined), LOG_TIMEOUT_MS, () => `the worker's log never showed execution ${reported.executionId}`);

    // The proxy forwards <public URL>/webhook-waiting/… as it came: the same path and query.
    const resume = new URL(resumeUrl);
    const resumed = await resumeWhenWaiting(`${webhookProcessor().url}${resume.pathname}${resume.search}`);
    expect(resumed.status, resumed.body).toBe(200);
    const after = readReport((await receiver?.waitFor(REPORTS.resumed))?.body ?? '');
    expect(after.executionId).toBe(reported.executionId);
    await eventually(() => (runsOf(worker().log(), reported.executionId) === 2 || undefined), LOG_TIMEOUT_MS, () => `the worker's log never showed execution ${reported.executionId} resumed`);
    for (const other of [main(), webhookProcessor()]) expect(runsOf(other.log(), reported.executionId), `${other.role} did not run it`).toBe(0);
  });
});

/** How often a process's log says it started running the execution (a worker logs each start and resume). */
function runsOf(log: string, executionId: string): number {
  return log.split(`started execution ${executionId} `).length - 1;
}

async function postWebhook(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
  return { status: response.status, body: await response.text() };
}

/** Posts to a resume URL, again while n8n answers 409 (the execution has not reached its Wait node yet). */
async function resumeWhenWaiting(url: string): Promise<{ status: number; body: string }> {
  const started = Date.now();
  for (;;) {
    const answer = await postWebhook(url);
    if (answer.status !== 409 || Date.now() - started > LOG_TIMEOUT_MS) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
