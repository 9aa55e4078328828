import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectEnvReaders, type ComposeProject } from '../../shared/deployment/project-env-readers.js';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { findUnusedSecrets } from '../../shared/deployment/unused-secrets.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';
import { parseEnvFile } from '../../shared/env-file/parse-env-file.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { exportSetup } from '../../services/export/export-setup.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { printComposeV1Config } from '../support/docker-compose-v1.js';
import { CORPUS, corpusCases, type CorpusCase } from './corpus.js';

/**
 * Secrets left in `.env` that nothing reads (docs/unused-secrets.md), on the public deployments of the
 * corpus: what is found unread must really be unread — removing it changes nothing our Compose reader or
 * Debian's docker-compose v1 hands out — and hand setups on top of them get their leftover password offered.
 */
const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-unused-secrets-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const withEnv = corpusCases().filter((c) => c.files.env !== undefined);

function projectOf(corpusCase: CorpusCase, env = corpusCase.files.env!): ComposeProject {
  // Every compose file Compose loads for the case (an override, COMPOSE_FILE's list), as the export hands them over.
  const { compose, readFile } = corpusCase.files;
  const loaded = readDeployment(corpusCase.files).files.filter((file) => file.role === 'compose' || file.role === 'override' || file.role === 'listed');
  return { composeFiles: loaded.map((file) => ({ name: file.path, text: file.path === compose?.name ? compose.text : readFile(file.path) })), env, readEnvFile: readFile };
}

/** The `.env` keys the reader says Compose does not read (none when it cannot tell). */
function unreadKeys(project: ComposeProject): string[] {
  const readers = projectEnvReaders(project);
  if (readers.all !== undefined) return [];
  return [...new Set(parseEnvFile(project.env).entries.map((entry) => entry.key))].filter((key) => !readers.byName.has(key));
}

function withoutKeys(env: string, keys: string[]): string {
  return keys.length === 0 ? env : mergeEnvFile(env, { set: [], remove: keys, blockTitle: 'unused' });
}

/** What each service gets, as our Compose reader sees it. */
function servicesOf(corpusCase: CorpusCase, env: string) {
  const deployment = readDeployment({ ...corpusCase.files, env });
  return deployment.services.map((s) => ({ name: s.name, image: s.image, command: s.command, ports: s.ports, environment: Object.fromEntries(Object.entries(s.environment).map(([key, value]) => [key, value.value])) }));
}

function copyOf(name: string, env?: string): string {
  const dir = mkdtempSync(join(scratch, `${name}-`));
  for (const file of readdirSync(join(CORPUS, name))) if (!file.endsWith('.json')) cpSync(join(CORPUS, name, file), join(dir, file), { recursive: true });
  if (env !== undefined) writeFileSync(join(dir, '.env'), env);
  return dir;
}

/** A line of a corpus case's `.env` replaced, or lines added at its end: what an admin's hand edit looks like. */
function editedEnv(name: string, edit: (env: string) => string): string {
  return edit(readFileSync(join(CORPUS, name, '.env'), 'utf8'));
}

describe('unread .env keys of the real-world corpus', () => {
  it('finds only one unread secret in the 23 .env files of the corpus: n8n-autoscaling\'s N8N_USER_MANAGEMENT_JWT_SECRET, which its compose file never passes on', () => {
    const offered = withEnv.flatMap((c) => findUnusedSecrets(projectOf(c)).found.map((secret) => `${c.name}: ${secret.key} (lines ${secret.lines.join(', ')})`));
    expect(withEnv).toHaveLength(23);
    expect(offered).toEqual(['n8n-autoscaling: N8N_USER_MANAGEMENT_JWT_SECRET (lines 59)']);
  });

  it('never finds unread a variable expected.json (written by hand) names as read by a service or its proxy', () => {
    for (const corpusCase of withEnv) {
      const expected = JSON.parse(readFileSync(join(corpusCase.dir, 'expected.json'), 'utf8')) as { services: Record<string, { envVars?: string[]; passThrough?: string[] }>; proxy: { acmeEmailVar: string | null } };
      const read = [...Object.values(expected.services).flatMap((s) => [...(s.envVars ?? []), ...(s.passThrough ?? [])]), ...(expected.proxy.acmeEmailVar ? [expected.proxy.acmeEmailVar] : [])];
      const unread = unreadKeys(projectOf(corpusCase));
      expect(read.filter((name) => unread.includes(name)), corpusCase.name).toEqual([]);
    }
  });

  it.each(withEnv.map((c) => [c.name, c] as const))('%s: removing every key found unread changes nothing any service gets', (_name, corpusCase) => {
    const env = corpusCase.files.env!;
    const unread = unreadKeys(projectOf(corpusCase));
    expect(servicesOf(corpusCase, withoutKeys(env, unread))).toEqual(servicesOf(corpusCase, env));
  });

  // Debian's docker-compose v1 prints the whole configuration as it interpolates it: labels, commands,
  // health checks, networks and volumes included.
  it.each(withEnv.filter((c) => c.composeV1).map((c) => [c.name, c] as const))('%s: docker-compose v1 prints the same configuration without the keys found unread', (_name, corpusCase) => {
    const unread = unreadKeys(projectOf(corpusCase));
    const project = { dir: copyOf(corpusCase.name), composeFiles: [corpusCase.expected.composeFile] };
    const before = printComposeV1Config(project);
    writeFileSync(join(project.dir, '.env'), withoutKeys(corpusCase.files.env!, unread));
    expect(printComposeV1Config(project)).toEqual(before);
  });
});

const SMTP = { mode: 'smtp', host: 'smtp.example.net', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.net>' } as const;

/** The deployment imported, changed as the admin would in the wizard. */
async function profileFor(dir: string, composeFile: string, change: (profile: Profile) => Profile) {
  const imported = await importSetup({ composeFile: join(dir, composeFile) });
  return loadProfile(change(imported.profile), dir);
}

const exportTo = (dir: string, loaded: Awaited<ReturnType<typeof profileFor>>, options: { removeUnusedSecrets?: string[]; dryRun?: boolean } = {}) =>
  exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: 'New-smtp-pw-1' }, ...options });

describe('hand setups on top of the corpus', () => {
  it("dokploy's SMTP_PASS, filled in by hand while its compose lines stay commented out, is found at its line", () => {
    const name = 'dokploy-n8n-runner-postgres-ollama';
    const corpusCase = withEnv.find((c) => c.name === name)!;
    const env = editedEnv(name, (text) => text.replace('SMTP_PASS=\n', 'SMTP_PASS=hand-set-pw-2\n'));
    expect(findUnusedSecrets(projectOf(corpusCase, env)).found).toEqual([{ key: 'SMTP_PASS', file: '.env', lines: [14] }]);
  });

  it('N8N_SMTP_PASS put into .env by hand, which Compose never passed on, is offered when no email is wanted, and reused in place when SMTP is', async () => {
    const name = 'n8n-docs-docker-compose-traefik';
    const env = editedEnv(name, (text) => `${text}\n# SMTP, added by hand\nN8N_SMTP_HOST=mail.example.net\nN8N_SMTP_USER=apikey\nN8N_SMTP_PASS=hand-set-pw-3\n`);
    const noEmailDir = copyOf(name, env);
    const noEmail = await exportTo(noEmailDir, await profileFor(noEmailDir, 'compose.yaml', (p) => ({ ...p, email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' } }) as Profile), { dryRun: true });
    expect(noEmail.unusedSecrets).toEqual([{ key: 'N8N_SMTP_PASS', file: '.env', lines: [20], remove: false }]);

    const dir = copyOf(name, env);
    const smtp = await exportTo(dir, await profileFor(dir, 'compose.yaml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.com/' } }) as Profile));
    expect(smtp.unusedSecrets).toEqual([]);
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^N8N_SMTP_PASS=New-smtp-pw-1$/m);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toMatch(/- N8N_SMTP_PASS=\$\{N8N_SMTP_PASS\}/);
  });

  it('SMTP wired by hand through SMTP_* variables: moving the password to a secret file leaves SMTP_PASS unread; it is offered, and removed only when asked, with a backup', async () => {
    const name = 'n8n-hosting-with-postgres';
    const env = editedEnv(name, (text) => `${text}\n# Mail, from a blog post\nSMTP_HOST=mail.example.net\nSMTP_USER=apikey\nSMTP_PASS=hand-set-pw-4\n`);
    const dir = copyOf(name, env);
    const compose = readFileSync(join(dir, 'docker-compose.yml'), 'utf8').replace('      - N8N_RUNNERS_BROKER_LISTEN_ADDRESS=0.0.0.0\n', '      - N8N_RUNNERS_BROKER_LISTEN_ADDRESS=0.0.0.0\n      - N8N_SMTP_HOST=${SMTP_HOST}\n      - N8N_SMTP_USER=${SMTP_USER}\n      - N8N_SMTP_PASS=${SMTP_PASS}\n');
    writeFileSync(join(dir, 'docker-compose.yml'), compose);
    const loaded = await profileFor(dir, 'docker-compose.yml', (p) => ({ ...p, email: SMTP, url: { public: 'https://n8n.example.com/' }, deploy: { ...p.deploy, secrets: 'file' } }) as Profile);

    const first = await exportTo(dir, loaded);
    expect(first.unusedSecrets).toEqual([{ key: 'SMTP_PASS', file: '.env', lines: [15], remove: false }]);
    const kept = readFileSync(join(dir, '.env'), 'utf8');
    expect(kept).toMatch(/^SMTP_PASS=hand-set-pw-4$/m);
    const configBefore = printComposeV1Config({ dir, composeFiles: ['docker-compose.yml'] });

    const second = await exportTo(dir, loaded, { removeUnusedSecrets: ['SMTP_PASS'] });
    const after = readFileSync(join(dir, '.env'), 'utf8');
    expect(after).toBe(kept.replace('SMTP_PASS=hand-set-pw-4\n', ''));
    expect(second.unusedSecrets).toEqual([{ key: 'SMTP_PASS', file: '.env', lines: [15], remove: true }]);
    expect(second.changes).toEqual([{ file: '.env', key: 'SMTP_PASS', action: 'remove', before: '••••••••', secret: true }]);
    const backup = second.files.find((f) => f.path === '.env')?.backup;
    expect(readFileSync(join(dir, backup!), 'utf8')).toBe(kept);
    expect(printComposeV1Config({ dir, composeFiles: ['docker-compose.yml'] })).toEqual(configBefore);
    expect(JSON.stringify([first, second])).not.toContain('hand-set-pw-4');
    expect(existsSync(join(dir, 'secrets/n8n_smtp_pass'))).toBe(true);
  });
});
