/**
 * The real-world corpus (test/fixtures/real-world): public n8n deployments as published, each with its
 * source, a filled `.env`, and what a careful reader sees in it (expected.json, written by hand).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { COMPOSE_FILE_NAMES } from '../../shared/deployment/compose-files.js';
import type { Deployment } from '../../shared/deployment/deployment.js';
import { readDeployment, type DeploymentFiles } from '../../shared/deployment/read-deployment.js';

export const CORPUS = join(import.meta.dirname, '..', 'fixtures', 'real-world');

export interface ExpectedService {
  image: string | null;
  n8nImage: boolean;
  role: string | null;
  ports?: string[];
  envFile?: string[];
  command?: string;
}

export interface Expected {
  composeFile: string;
  /** Every compose file Compose loads, in its order, when there are more than `composeFile` (override, COMPOSE_FILE, include, extends). */
  composeFiles?: string[];
  composeLoadable: boolean;
  platform: string;
  queueMode: boolean;
  services: Record<string, ExpectedService>;
  proxy: { kind: string; service: string | null; acmeEmailVar: string | null };
}

export interface CorpusCase {
  name: string;
  dir: string;
  expected: Expected;
  /** Whether Debian's docker-compose v1 loads the file as published (else only our Compose-v2 reader can check it). */
  composeV1: boolean;
  files: DeploymentFiles;
}

export function corpusCases(): CorpusCase[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(CORPUS, entry.name);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
      const source = JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8')) as { composeV1?: { accepts?: boolean } };
      const read = (path: string) => {
        const full = join(dir, normalize(path));
        return full.startsWith(dir) && existsSync(full) ? readFileSync(full, 'utf8') : undefined;
      };
      const env = read('.env');
      return {
        name: entry.name,
        dir,
        expected,
        composeV1: source.composeV1?.accepts === true,
        files: { compose: { name: expected.composeFile, text: read(expected.composeFile) ?? '' }, ...(env !== undefined && { env }), siblings: readdirSync(dir), readFile: read },
      };
    });
}

/**
 * The case's files in a folder of their own under `parent`. A platform's template name (Coolify's n8n.yaml,
 * CapRover's n8n-io.yml) becomes docker-compose.yml, the name the platform deploys it under and Compose looks for.
 */
export function copyOf(corpusCase: CorpusCase, parent: string): { dir: string; composeFile: string } {
  const dir = mkdtempSync(join(parent, `${corpusCase.name}-`));
  const given = corpusCase.expected.composeFile;
  const composeFile = COMPOSE_FILE_NAMES.includes(given as (typeof COMPOSE_FILE_NAMES)[number]) ? given : 'docker-compose.yml';
  for (const name of readdirSync(corpusCase.dir)) {
    if (name === 'expected.json' || name === 'source.json') continue;
    cpSync(join(corpusCase.dir, name), join(dir, name === given ? composeFile : name), { recursive: true });
  }
  return { dir, composeFile };
}

/** The deployment a folder holds now, read from its files. */
export function deploymentIn(dir: string, composeFile: string): Deployment {
  const read = (path: string) => {
    try {
      return readFileSync(join(dir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const env = read('.env');
  return readDeployment({ compose: { name: composeFile, text: read(composeFile) ?? '' }, ...(env !== undefined && { env }), siblings: readdirSync(dir), readFile: read });
}
