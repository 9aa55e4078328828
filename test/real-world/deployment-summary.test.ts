import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSetup } from '../../services/import/import-setup.js';
import { deploymentHeadline, serviceLines, type DeploymentSummary } from '../../shared/deployment/deployment-summary.js';
import { corpusCases, type CorpusCase } from './corpus.js';

/**
 * What the welcome step and `import` say an existing folder runs, read by the real import from every public
 * deployment of the corpus: each service with its role, its image as written, whether it publishes ports and
 * its env_files, the platform and what routes the public URL — as a careful reader wrote them down by hand.
 */
const cases = corpusCases();
const byName = new Map(cases.map((c) => [c.name, c]));

async function summaryOf(corpusCase: CorpusCase): Promise<DeploymentSummary> {
  const report = await importSetup({ composeFile: join(corpusCase.dir, corpusCase.expected.composeFile) });
  if (!report.deployment) throw new Error(`${corpusCase.name}: import gave no deployment summary`);
  return report.deployment;
}

const lines = (summary: DeploymentSummary) => serviceLines(summary.services).map((line) => `${line.names.join(', ')} — ${line.words}`);

describe('the deployment summary of an import, on the real-world corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: every service with role, image, ports and env_files; platform and proxy', async (_name, corpusCase) => {
    const summary = await summaryOf(corpusCase);
    const seen = Object.fromEntries(summary.services.map((s) => [s.name, { role: s.role ?? null, image: s.image ?? null, publishesPorts: s.publishesPorts, envFiles: s.envFiles }]));
    const expected = Object.fromEntries(
      Object.entries(corpusCase.expected.services).map(([name, s]) => [
        name,
        { role: s.role, image: s.image, publishesPorts: (s.ports ?? []).length > 0, envFiles: (s.envFile ?? []).map((entry) => (typeof entry === 'string' ? entry : (entry as { path: string }).path)) },
      ]),
    );
    expect(seen).toEqual(expected);
    expect({ composeFile: summary.composeFile, platform: summary.platform, proxy: summary.proxy, proxyService: summary.proxyService ?? null }).toEqual({
      composeFile: corpusCase.expected.composeFile,
      platform: corpusCase.expected.platform,
      proxy: corpusCase.expected.proxy.kind,
      proxyService: corpusCase.expected.proxy.service,
    });
    // n8n's services come first, main at the top; the services that are not n8n last.
    const roles = summary.services.map((s) => s.role);
    expect(roles[0]).toBe('main');
    const others = roles.filter((role) => role === undefined).length;
    expect(roles.slice(roles.length - others).every((role) => role === undefined)).toBe(true);
  });

  it("n8n-io's queue-mode example: main, worker and their runners one by one, the database and Redis in one line", async () => {
    const summary = await summaryOf(byName.get('n8n-hosting-with-postgres-and-worker')!);
    expect(deploymentHeadline(summary)).toBe('docker-compose.yml — plain Docker Compose, no proxy: n8n answers on its published port');
    expect(lines(summary)).toEqual([
      'n8n — main (editor, sends invites)',
      'n8n-worker — worker (runs executions)',
      'n8n-runner — task runner (runs Code node scripts for n8n)',
      'n8n-worker-runner — task runner (runs Code node scripts for n8n)',
      'postgres, redis — other services, left as they are',
    ]);
  });

  it("Coolify's queue-mode template: the platform routes the public URL", async () => {
    const summary = await summaryOf(byName.get('coolify-n8n-with-postgres-and-worker')!);
    expect(deploymentHeadline(summary)).toBe('n8n-with-postgres-and-worker.yaml — Coolify, the platform routes the public URL');
    expect(lines(summary)).toEqual([
      'n8n — main (editor, sends invites)',
      'n8n-worker — worker (runs executions)',
      'task-runners — task runner (runs Code node scripts for n8n)',
      'postgresql, redis — other services, left as they are',
    ]);
  });

  it("the AI starter kit: n8n-import is a one-off task; both read .env (long-syntax env_file)", async () => {
    const summary = await summaryOf(byName.get('n8n-self-hosted-ai-starter-kit')!);
    expect(lines(summary).slice(0, 2)).toEqual(['n8n — main (editor, sends invites)', 'n8n-import — one-off task, runs and exits']);
    expect(summary.services.filter((s) => s.role).map((s) => [s.name, s.envFiles, s.publishesPorts])).toEqual([
      ['n8n', ['.env'], true],
      ['n8n-import', ['.env'], false],
    ]);
  });

  it("CapRover's queue-mode app: editor, webhook processor and workers under CapRover's placeholder names", async () => {
    const summary = await summaryOf(byName.get('caprover-n8n-io-queue-mode')!);
    expect(deploymentHeadline(summary)).toBe('n8n-io-queue-mode.yml — CapRover, the platform routes the public URL');
    expect(lines(summary)).toEqual([
      '$$cap_appname-editor — main (editor, sends invites)',
      '$$cap_appname-webhooks — webhook processor (answers production webhooks)',
      '$$cap_appname-workers — worker (runs executions)',
      '$$cap_appname-postgres, $$cap_appname-redis — other services, left as they are',
    ]);
    expect(summary.services[0]?.image).toBe('n8nio/n8n:$$cap_N8N_VERSION');
  });

  it('a bundled proxy and a tunnel are named with their service', async () => {
    expect(deploymentHeadline(await summaryOf(byName.get('n8n-hosting-docker-caddy')!))).toBe('docker-compose.yml — Docker Compose with Caddy, the caddy service (Caddy) routes the public URL');
    expect(deploymentHeadline(await summaryOf(byName.get('n8n-docs-docker-compose-traefik')!))).toBe('compose.yaml — Docker Compose with Traefik, the traefik service (Traefik) routes the public URL');
    expect(deploymentHeadline(await summaryOf(byName.get('n8n-autoscaling')!))).toBe('docker-compose.yml — Docker Compose with a Cloudflare tunnel, a Cloudflare tunnel (the cloudflared service) brings the public URL in');
  });

  it("Dokploy is known by the template.toml beside the compose file, and the imported profile leaves routing to it", async () => {
    const corpusCase = byName.get('dokploy-n8n-queue')!;
    const report = await importSetup({ composeFile: join(corpusCase.dir, corpusCase.expected.composeFile) });
    expect(report.deployment && deploymentHeadline(report.deployment)).toBe('docker-compose.yml — Dokploy, the platform routes the public URL');
    expect(report.profile.deploy?.proxy).toBe('platform');
  });

  it('a lone .env has no compose file to summarise', async () => {
    const corpusCase = byName.get('n8n-hosting-with-postgres')!;
    const report = await importSetup({ envFile: join(corpusCase.dir, '.env') });
    expect(report.deployment).toBeUndefined();
  });
});
