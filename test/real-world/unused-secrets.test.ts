import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectEnvReaders, type ComposeProject } from '../../shared/deployment/project-env-readers.js';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { findUnusedSecrets } from '../../shared/deployment/unused-secrets.js';
import { mergeEnvFile } from '../../shared/env-file/merge-env-file.js';
import { parseEnvFile } from '../../shared/env-file/parse-env-file.js';
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
  return { composeFiles: [corpusCase.files.compose], env, readEnvFile: corpusCase.files.readFile };
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
  it('finds only one unread secret in the 20 published .env files: n8n-autoscaling\'s N8N_USER_MANAGEMENT_JWT_SECRET, which its compose file never passes on', () => {
    const offered = withEnv.flatMap((c) => findUnusedSecrets(projectOf(c)).found.map((secret) => `${c.name}: ${secret.key} (lines ${secret.lines.join(', ')})`));
    expect(withEnv).toHaveLength(20);
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

describe('hand setups on top of the corpus', () => {
  it("dokploy's SMTP_PASS, filled in by hand while its compose lines stay commented out, is found at its line", () => {
    const name = 'dokploy-n8n-runner-postgres-ollama';
    const corpusCase = withEnv.find((c) => c.name === name)!;
    const env = editedEnv(name, (text) => text.replace('SMTP_PASS=\n', 'SMTP_PASS=hand-set-pw-2\n'));
    expect(findUnusedSecrets(projectOf(corpusCase, env)).found).toEqual([{ key: 'SMTP_PASS', file: '.env', lines: [14] }]);
  });
});
