/**
 * Export on a deployment spread over several compose files, as Compose loads them: each value is changed in
 * the file that sets it (an override, an extended or included file in the folder), a file outside the
 * folder is never written (the service that extends it gets the key instead), and the whole project read
 * back gives n8n the wanted values; a second export changes nothing. Projects Compose would refuse stop
 * with the reason and the fix, and nothing is written.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testProgram } from '../../scripts/test-programs.mjs';
import type { Deployment } from '../../shared/deployment/deployment.js';
import { readDeployment } from '../../shared/deployment/read-deployment.js';
import { importSetup } from '../import/import-setup.js';
import { loadProfile } from '../profile/read-profile-file.js';
import { exportSetup } from './export-setup.js';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-export-project-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const URL = 'https://n8n.example.com/';
const profile = () =>
  loadProfile(
    {
      version: 1,
      email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n@example.com' },
      url: { public: URL },
      deploy: { proxy: 'external' },
    },
    scratch,
  );
const secrets = { N8N_SMTP_PASS: 'Project-Password-1' };

/** A folder holding `files` (inside it) beside a sibling folder for files outside it. */
function target(files: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'case-'));
  const dir = join(root, 'n8n');
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

function deploymentIn(dir: string): Deployment {
  const read = (path: string) => {
    try {
      return readFileSync(resolve(dir, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  const env = read('.env');
  return readDeployment({ ...(env !== undefined && { env }), readFile: read });
}

const environmentOf = (dir: string, service = 'n8n') => Object.fromEntries(Object.entries(deploymentIn(dir).services.find((s) => s.name === service)!.environment).map(([k, v]) => [k, v.value]));
const read = (dir: string, name: string) => readFileSync(resolve(dir, name), 'utf8');

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), readFileSync(join(e.parentPath, e.name), 'utf8')]));
}

/** Exports, checks n8n's settings across the whole project and that a second export is a no-op. */
async function exportAndCheck(dir: string, services = ['n8n']) {
  const report = await exportSetup({ loaded: profile(), outDir: dir, secrets });
  for (const service of services) {
    expect(environmentOf(dir, service), service).toMatchObject({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PASS: secrets.N8N_SMTP_PASS, N8N_EDITOR_BASE_URL: URL });
  }
  const files = snapshot(dir);
  const again = await exportSetup({ loaded: profile(), outDir: dir, secrets });
  expect(again.changes).toEqual([]);
  expect(snapshot(dir)).toEqual(files);
  return report;
}

const N8N = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n';

describe('export across the compose files of a project', () => {
  it('changes a value the override sets in the override, and leaves the compose file alone', async () => {
    const base = `${N8N}    environment:\n      N8N_HOST: old.example.com\n      N8N_PROTOCOL: http\n    volumes: [n8n_data:/home/node/.n8n]\nvolumes:\n  n8n_data:\n`;
    const dir = target({ 'docker-compose.yml': base, 'docker-compose.override.yml': 'services:\n  n8n:\n    environment:\n      - N8N_HOST=override.example.com\n      - N8N_EDITOR_BASE_URL=http://override.example.com:5678/\n' });
    const imported = await importSetup({ composeFile: join(dir, 'docker-compose.yml') });
    expect(imported.profile.url.public).toBe('http://override.example.com:5678/');
    expect(imported.files.map((f) => f.path)).toEqual(['docker-compose.yml', 'docker-compose.override.yml']);

    const report = await exportAndCheck(dir);
    expect(read(dir, 'docker-compose.yml')).toBe(base.replace('N8N_PROTOCOL: http', 'N8N_PROTOCOL: "https"'));
    expect(read(dir, 'docker-compose.override.yml')).toMatch(/- "N8N_HOST=n8n\.example\.com"\n +- "N8N_EDITOR_BASE_URL=https:\/\/n8n\.example\.com\/"\n/);
    expect(new Set(report.changes.filter((c) => c.key.startsWith('services.')).map((c) => c.file))).toEqual(new Set(['docker-compose.yml', 'docker-compose.override.yml']));
  });

  it('follows COMPOSE_FILE in .env: new keys go to the listed file that declares the environment', async () => {
    const base = `${N8N}    volumes: [n8n_data:/home/node/.n8n]\nvolumes:\n  n8n_data:\n`;
    const dir = target({ '.env': 'COMPOSE_FILE=base.yml:prod.yml\n', 'base.yml': base, 'prod.yml': 'services:\n  n8n:\n    environment:\n      N8N_PROTOCOL: https\n', 'compose.yaml': 'services: {}\n' });
    await exportAndCheck(dir);
    expect(read(dir, 'base.yml')).toBe(base);
    expect(read(dir, 'prod.yml')).toContain('N8N_SMTP_HOST: ${N8N_SMTP_HOST}');
    expect(read(dir, 'compose.yaml')).toBe('services: {}\n');
  });

  it('changes a value of an extended service in its file when that file is in the folder and only n8n uses it', async () => {
    const dir = target({
      'compose.yaml': 'services:\n  n8n:\n    extends: { file: common.yaml, service: n8n-base }\n    volumes: [n8n_data:/home/node/.n8n]\n  worker:\n    extends: { file: common.yaml, service: n8n-base }\n    command: worker\nvolumes:\n  n8n_data:\n',
      'common.yaml': 'services:\n  n8n-base:\n    image: n8nio/n8n:2.41.1\n    environment:\n      N8N_HOST: old.example.com\n      EXECUTIONS_MODE: queue\n',
    });
    await exportAndCheck(dir, ['n8n', 'worker']);
    expect(read(dir, 'common.yaml')).toContain('N8N_HOST: "n8n.example.com"');
  });

  it('never writes an extended file outside the folder: the service that extends it gets the key, which wins', async () => {
    const dir = target({
      'compose.yaml': 'services:\n  n8n:\n    extends: { file: ../shared/n8n-base.yaml, service: n8n }\n    volumes: [n8n_data:/home/node/.n8n]\nvolumes:\n  n8n_data:\n',
      '../shared/n8n-base.yaml': 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      N8N_HOST: old.example.com\n      N8N_SMTP_HOST: old-smtp.example.com\n',
    });
    const outside = read(dir, '../shared/n8n-base.yaml');
    await exportAndCheck(dir);
    expect(read(dir, '../shared/n8n-base.yaml')).toBe(outside);
    expect(read(dir, 'compose.yaml')).toMatch(/extends: \{ file: \.\.\/shared\/n8n-base\.yaml, service: n8n \}\n {4}volumes: \[n8n_data:\/home\/node\/\.n8n\]\n {4}environment:\n( {6}.*\n)* {6}N8N_HOST: "n8n\.example\.com"\n/);
  });

  it('leaves an extended service that another service runs as it is, and sets the key on n8n', async () => {
    const dir = target({
      'compose.yaml': `services:\n  base:\n    image: busybox\n    environment: { TZ: Europe/Berlin, N8N_HOST: old.example.com }\n  n8n:\n    extends: base\n    image: n8nio/n8n:2.41.1\n    volumes: [n8n_data:/home/node/.n8n]\nvolumes:\n  n8n_data:\n`,
    });
    const before = environmentOf(dir, 'base');
    await exportAndCheck(dir);
    expect(environmentOf(dir, 'base')).toEqual(before);
  });

  it('changes an included file in the folder where the n8n service is defined', async () => {
    const dir = target({
      'compose.yaml': 'include:\n  - n8n/compose.yaml\nservices:\n  db:\n    image: postgres:16\n',
      'n8n/compose.yaml': `${N8N}    env_file: n8n.env\n    volumes: [n8n_data:/home/node/.n8n]\nvolumes:\n  n8n_data:\n`,
      'n8n/n8n.env': 'N8N_HOST=old.example.com\n',
    });
    await exportAndCheck(dir);
    expect(read(dir, 'n8n/n8n.env')).toBe('N8N_HOST=n8n.example.com\n');
    expect(read(dir, 'compose.yaml')).toBe('include:\n  - n8n/compose.yaml\nservices:\n  db:\n    image: postgres:16\n');
  });
});

describe('export refuses a project Compose would refuse, and writes nothing', () => {
  const refuses = async (dir: string, expected: Record<string, unknown>) => {
    const before = snapshot(dir);
    const started = performance.now();
    await expect(exportSetup({ loaded: profile(), outDir: dir, secrets })).rejects.toMatchObject(expected);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(snapshot(dir)).toEqual(before);
  };

  it('an include cycle, a missing included file, a huge COMPOSE_FILE', async () => {
    await refuses(target({ 'compose.yaml': `include: [a.yaml]\n${N8N}`, 'a.yaml': 'include: [compose.yaml]\n' }), { code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('include cycles') });
    await refuses(target({ 'compose.yaml': `include: [n8n/missing.yaml]\n${N8N}` }), { code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('n8n/missing.yaml, which does not exist'), fix: expect.stringContaining('Create n8n/missing.yaml') });
    await refuses(target({ '.env': `COMPOSE_FILE=${Array(40).fill('compose.yaml').join(':')}\n`, 'compose.yaml': N8N }), { code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('lists 40 files') });
  });

  it('an included link that leads out of the folder', async () => {
    const dir = target({ 'compose.yaml': `include: [extra.yaml]\n${N8N}`, '../elsewhere.yaml': 'services:\n  other:\n    image: busybox\n' });
    symlinkSync(resolve(dir, '../elsewhere.yaml'), join(dir, 'extra.yaml'));
    await refuses(dir, { code: 'LINK_REFUSED' });
  });

  it('an include of a FIFO or a folder outside, without waiting on it', async () => {
    const dir = target({ 'compose.yaml': `include: [../pipe.yaml]\n${N8N}` });
    execFileSync(testProgram('mkfifo'), [resolve(dir, '../pipe.yaml')]);
    await refuses(dir, { code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('is not a regular file') });
    const folder = target({ 'compose.yaml': `include: [/]\n${N8N}` });
    await refuses(folder, { code: 'COMPOSE_PROJECT_INVALID', message: expect.stringContaining('/, named by the compose files, is not a regular file') });
    expect(statSync(resolve(dir, '../pipe.yaml')).isFIFO()).toBe(true);
  });
});
