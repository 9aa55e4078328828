/**
 * `n8n-setup check` against a real n8n started the wrong way, as admins do by mistake: each mismatch is
 * found, with its likely cause and fix, and the command exits 3. (The right way is checked for every setup
 * in invite-and-reset.acceptance.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastValues, parseEnvFile } from '../../shared/env-file/parse-env-file.js';
import { SETUPS, type AcceptanceSetup } from './acceptance-setups.js';
import { useRunningSetup } from './launch-setup.js';
import { useMailServers } from './mail-servers.js';
import { runCli } from './run-cli.js';

interface Mistake {
  name: string;
  setup: AcceptanceSetup;
  /** What goes wrong between our files and the container. */
  adjust: (environment: Record<string, string>, exportDir: string) => void;
  findings: Record<string, string>;
  cause: RegExp;
}

const starttls = SETUPS[0] as AcceptanceSetup;
const envKeys = (dir: string) => [...lastValues(parseEnvFile(readFileSync(join(dir, '.env'), 'utf8'))).keys()];

const MISTAKES: Mistake[] = [
  {
    name: '.env not passed to the service (no env_file), or the container not recreated after the export',
    setup: starttls,
    adjust: (environment, dir) => {
      for (const key of envKeys(dir)) delete environment[key];
    },
    findings: { url: 'URL_DEFAULT', smtp: 'SMTP_NOT_SET_UP', cookie: 'COOKIE_MATCHES', proxy: 'PROXY_HOPS_MATCH' },
    cause: /not recreated[\s\S]*env_file: \.env/,
  },
  {
    name: 'proxy variables missing: only N8N_HOST reaches n8n',
    setup: starttls,
    adjust: (environment) => {
      for (const key of ['N8N_EDITOR_BASE_URL', 'N8N_WEBHOOK_URL', 'N8N_PROTOCOL']) delete environment[key];
    },
    findings: { url: 'URL_PROXY_VARIABLES_MISSING', smtp: 'SMTP_SET_UP', cookie: 'COOKIE_MATCHES', proxy: 'PROXY_HOPS_MATCH' },
    cause: /N8N_EDITOR_BASE_URL/,
  },
  {
    name: 'an http:// public URL without N8N_SECURE_COOKIE=false',
    setup: { ...starttls, profile: (servers, dir) => ({ ...starttls.profile(servers, dir), url: { public: 'http://n8n.lan:5678/' } }), instanceUrl: 'http://n8n.lan:5678' },
    adjust: (environment) => {
      delete environment.N8N_SECURE_COOKIE;
    },
    findings: { url: 'URL_MATCHES', smtp: 'SMTP_SET_UP', cookie: 'COOKIE_SECURE_OVER_HTTP', proxy: 'PROXY_HOPS_MATCH' },
    cause: /N8N_SECURE_COOKIE=false does not reach n8n/,
  },
];

const servers = useMailServers();

describe.each(MISTAKES.map((mistake) => [mistake.name, mistake] as const))('%s', (_name, mistake) => {
  const run = useRunningSetup(mistake.setup, servers, { adjustEnvironment: mistake.adjust });

  it('check finds each mismatch and exits 3', async () => {
    const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--json']);
    const report = JSON.parse(check.stdout || '{}');
    expect(Object.fromEntries((report.findings ?? []).map((f: { topic: string; code: string }) => [f.topic, f.code])), check.stderr).toEqual(mistake.findings);
    expect(report.ok).toBe(false);
    expect(check.code).toBe(3);
  });

  it('and tells the admin the likely cause and the fix', async () => {
    const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile]);
    expect(check.stdout).toMatch(/MISMATCH/);
    expect(check.stdout).toMatch(mistake.cause);
    expect(check.stdout).toMatch(/fix: .*docker compose up -d/);
  });
});
