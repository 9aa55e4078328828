/**
 * The n8n table says which n8n processes read each variable (`readBy`); export gives each service only what
 * its role reads. This reads the installed n8n's own code and derives the same facts, so a release that
 * moves mail, links or the proxy setting to another process fails here, naming the file that changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServiceRole } from '../../shared/deployment/deployment.js';
import { N8N_VARIABLES, type VariableName } from '../../shared/n8n/n8n-variables.js';
import { preparedN8n } from './prepared-n8n.js';

const dist = join(preparedN8n().installDir, 'node_modules', 'n8n', 'dist');
const source = (file: string) => readFileSync(join(dist, file), 'utf8');

function jsFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') ? [relative(dist, path)] : [];
  });
}
const files = jsFiles(dist);
const readers = (pattern: RegExp) => files.filter((file) => pattern.test(source(file))).sort();

/** The command each role runs (`n8n start`, `n8n worker`, `n8n webhook`) and the HTTP server it starts. */
const COMMANDS = { main: 'commands/start.js', worker: 'commands/worker.js', webhook: 'commands/webhook.js' } as const satisfies Partial<Record<ServiceRole, string>>;
const PROCESSES = Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>;

function serverFileOf(role: keyof typeof COMMANDS): string {
  const text = source(COMMANDS[role]);
  const started = /Container\.get\((?:\w+\.)?(Server|WebhookServer|WorkerServer)\)/.exec(text)?.[1];
  const file = { Server: 'server.js', WebhookServer: 'webhooks/webhook-server.js', WorkerServer: 'scaling/worker-server.js' }[started ?? ''];
  if (!file) throw new Error(`${COMMANDS[role]} starts no server this test knows`);
  return file;
}

const readBy = (name: VariableName) => [...N8N_VARIABLES[name].readBy].sort();
const sorted = (roles: readonly string[]) => [...roles].sort();

describe(`which n8n processes read what (n8n ${preparedN8n().version}'s own code)`, () => {
  it('every process is an n8n command built on BaseCommand', () => {
    for (const role of PROCESSES) expect(source(COMMANDS[role]), COMMANDS[role]).toMatch(/extends base_command_1\.BaseCommand/);
  });

  it('N8N_PROXY_HOPS: read by AbstractServer alone, so by the processes whose HTTP server extends it', () => {
    expect(readers(/\bproxy_hops\b/)).toEqual(['abstract-server.js']);
    const serving = PROCESSES.filter((role) => /extends abstract_server_1\.AbstractServer/.test(source(serverFileOf(role))));
    expect(serving).toContain('main');
    expect(readBy('N8N_PROXY_HOPS')).toEqual(sorted(serving));
    expect(readBy('N8N_PORT')).toEqual(sorted(serving));
  });

  it('N8N_SECURE_COOKIE: the sign-in cookie is issued by the REST controllers, which only main serves', () => {
    const issuers = readers(/\bissueCookie\(/).filter((file) => !/^auth\/(auth\.service|jwt)\.js$/.test(file) && file !== 'services/hooks.service.js');
    expect(issuers.length).toBeGreaterThan(3);
    for (const file of issuers) expect(file, 'a cookie issuer outside the REST controllers').toMatch(/controllers?\/|\.controller(\.ee)?\.js$/);
    for (const role of PROCESSES.filter((r) => r !== 'main')) {
      const server = source(serverFileOf(role));
      expect(server, `${serverFileOf(role)} loads controllers`).not.toMatch(/require\("\.\.?\/controllers\//);
    }
    expect(source('server.js')).toMatch(/require\("\.\/controllers\/auth\.controller"\)/);
    expect(readBy('N8N_SECURE_COOKIE')).toEqual(['main']);
  });

  it('mail settings: every process sends the workflow-failure mail (BaseCommand starts its relay), so all get SMTP and templates', () => {
    expect(source('commands/base-command.js')).toMatch(/WorkflowFailureNotificationEventRelay\)\.init\(\)/);
    expect(source('events/relays/workflow-failure-notification.event-relay.js')).toMatch(/this\.mailer\.workflowFailure\(/);
    expect(source('executions/execution-recovery.service.js'), 'crash recovery mails workflow-deactivated').toMatch(/UserManagementMailer/);
    const mailing = (Object.keys(N8N_VARIABLES) as VariableName[]).filter((name) => /^N8N_(SMTP_|EMAIL_MODE|UM_EMAIL_TEMPLATES_|INVITE_LINKS)/.test(name) || name === 'NODE_EXTRA_CA_CERTS');
    expect(mailing.length).toBeGreaterThan(15);
    for (const name of mailing) expect(readBy(name), name).toEqual(sorted(PROCESSES));
  });

  it('URL settings: workers build resume, form and webhook URLs through the URL service when they run executions', () => {
    expect(source('workflow-execute-additional-data.js')).toMatch(/urlService\.getWebhookBaseUrl\(\)/);
    expect(source('scaling/job-processor.js')).toMatch(/workflow-execute-additional-data/);
    expect(source('webhooks/waiting-webhooks.js')).toMatch(/workflow-execute-additional-data/);
    for (const name of ['N8N_HOST', 'N8N_PROTOCOL', 'N8N_PATH', 'N8N_EDITOR_BASE_URL', 'N8N_WEBHOOK_URL', 'WEBHOOK_URL'] as const) expect(readBy(name), name).toEqual(sorted(PROCESSES));
  });
});
