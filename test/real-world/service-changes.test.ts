import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportSetup, type ExportReport } from '../../services/export/export-setup.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import type { Deployment } from '../../shared/deployment/deployment.js';
import { MASK } from '../../shared/export/key-changes.js';
import type { ServiceChanges } from '../../shared/export/service-changes.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { copyOf, corpusCases, deploymentIn } from './corpus.js';
import { setsKey } from './sets-key.js';

/**
 * The review's changes per service come from the export plan, and they are true: every public deployment of
 * the corpus is imported, given SMTP and a public URL, previewed, then written; read back from the written
 * files, each service reads exactly the values its rows say (secrets masked in the rows, the real one in the
 * file), no other value of any service changed, and every line a row points at sets that key.
 */
const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-service-changes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PASSWORD = 'Corpus-Password-1';
const smtp = { mode: 'smtp', host: 'smtp.corpus.example', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@corpus.example>' } as const;
const cases = corpusCases();

async function previewAndWrite(dir: string, composeFile: string, profileOf: (imported: Profile) => Profile) {
  const imported = await importSetup({ composeFile: join(dir, composeFile) });
  const loaded = loadProfile(profileOf(imported.profile), dir);
  const originals = filesIn(dir);
  const before = deploymentIn(dir, composeFile);
  const preview = await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD }, dryRun: true });
  await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD } });
  return { preview, before, after: deploymentIn(dir, composeFile), dir, originals };
}

/** Every file of the folder by its path inside it: the lines a removal points at are in these. */
function filesIn(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[relative(dir, join(entry.parentPath, entry.name))] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

const values = (service: Deployment['services'][number] | undefined) => Object.fromEntries(Object.entries(service?.environment ?? {}).map(([key, value]) => [key, value.value]));

/** Every row against the folder as written: values, completeness, and the lines they point at. */
function expectRowsTrue(services: ServiceChanges[], run: { before: Deployment; after: Deployment; dir: string; originals: Record<string, string> }) {
  expect(services.map((s) => s.name).sort()).toEqual(run.after.services.map((s) => s.name).sort());
  for (const listed of services) {
    const was = values(run.before.services.find((s) => s.name === listed.name));
    const is = values(run.after.services.find((s) => s.name === listed.name));
    const changed = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter((key) => was[key] !== is[key]);
    expect(listed.variables.map((v) => v.key).sort(), listed.name).toEqual(changed.sort());
    for (const row of listed.variables) {
      const shown = (value: string | undefined) => (value === undefined ? undefined : row.secret ? MASK : value);
      expect({ before: row.before, after: row.after }, `${listed.name} ${row.key}`).toEqual({ before: shown(was[row.key]), after: shown(is[row.key]) });
      expect(row.action).toBe(was[row.key] === undefined ? 'add' : is[row.key] === undefined ? 'remove' : 'change');
      expect(row.writtenIn.length, `${listed.name} ${row.key} is written somewhere`).toBeGreaterThan(0);
      for (const line of row.writtenIn) {
        const text = line.removed ? run.originals[line.file] : readFileSync(join(run.dir, line.file), 'utf8');
        expect(text !== undefined && setsKey(text, line.line, line.key, line.file), `${listed.name} ${row.key}: ${line.file} line ${line.line} sets ${line.key}`).toBe(true);
      }
    }
    if (is.N8N_SMTP_PASS !== undefined && listed.variables.some((v) => v.key === 'N8N_SMTP_PASS')) expect(is.N8N_SMTP_PASS).toBe(PASSWORD);
  }
}

/** Every key the flat diff says a file changes is on some service's row, in that file. */
function expectFileChangesShown(report: ExportReport) {
  const shown = new Set(report.services!.flatMap((s) => s.variables.flatMap((v) => v.writtenIn.map((line) => `${line.file}\0${line.key}`))));
  for (const change of report.changes) {
    const key = /^services\.[^.]+\.environment\.(.+)$/.exec(change.key)?.[1] ?? (change.key.startsWith('services.') ? undefined : change.key);
    if (key !== undefined) expect(shown.has(`${change.file.replace(/^\.\//, '')}\0${key}`), `${change.file}: ${change.key}`).toBe(true);
  }
}

describe('changes per service, on the real-world corpus', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: each row is what the written files give that service, and the line it names sets it', async (_name, corpusCase) => {
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const run = await previewAndWrite(dir, composeFile, (imported) => ({ ...imported, email: smtp, url: { public: 'https://n8n.corpus.example/' } }) as Profile);
    expect(run.preview.services, 'an existing deployment is changed in place').toBeDefined();
    expectRowsTrue(run.preview.services!, run);
    expectFileChangesShown(run.preview);
    expect(JSON.stringify(run.preview.services)).not.toContain(PASSWORD);
  });

  it("n8n-io's queue-mode example: main and worker get the same rows from the x-shared anchor; runners, Postgres and Redis nothing", async () => {
    const { dir, composeFile } = copyOf(cases.find((c) => c.name === 'n8n-hosting-with-postgres-and-worker')!, scratch);
    const { preview } = await previewAndWrite(dir, composeFile, (imported) => ({ ...imported, email: smtp, url: { public: 'https://n8n.corpus.example/' } }) as Profile);
    const byName = new Map(preview.services!.map((s) => [s.name, s]));
    expect(preview.services!.map((s) => [s.name, s.roleLabel])).toEqual([
      ['n8n', 'main (editor, sends invites)'],
      ['n8n-worker', 'worker (runs executions)'],
      ['n8n-runner', 'task runner (runs Code node scripts for n8n)'],
      ['n8n-worker-runner', 'task runner (runs Code node scripts for n8n)'],
      ['postgres', 'other service, left as it is'],
      ['redis', 'other service, left as it is'],
    ]);
    expect(byName.get('n8n-worker')!.variables).toEqual(byName.get('n8n')!.variables);
    for (const name of ['n8n-runner', 'n8n-worker-runner', 'postgres', 'redis']) expect(byName.get(name), name).toMatchObject({ variables: [], entries: [] });
    const compose = readFileSync(join(dir, composeFile), 'utf8').split('\n');
    const anchorEnds = compose.indexOf('x-runner: &runner');
    const host = byName.get('n8n')!.variables.find((v) => v.key === 'N8N_SMTP_HOST')!;
    expect(host).toMatchObject({ action: 'add', after: 'smtp.corpus.example', secret: false });
    // `- N8N_SMTP_HOST=${N8N_SMTP_HOST}` in the anchor, and the value in .env.
    expect(host.writtenIn.map((line) => [line.file, line.key])).toEqual([['docker-compose.yml', 'N8N_SMTP_HOST'], ['.env', 'N8N_SMTP_HOST']]);
    expect(host.writtenIn[0]!.line).toBeLessThan(anchorEnds + 1);
    expect(byName.get('n8n')!.variables.find((v) => v.key === 'N8N_SMTP_PASS')).toMatchObject({ action: 'add', after: MASK, secret: true });
  });

  it('the AI starter kit: the one-off n8n-import task gets what main gets, since both merge the x-n8n block', async () => {
    const { dir, composeFile } = copyOf(cases.find((c) => c.name === 'n8n-self-hosted-ai-starter-kit')!, scratch);
    const { preview } = await previewAndWrite(dir, composeFile, (imported) => ({ ...imported, email: smtp, url: { public: 'https://n8n.corpus.example/' } }) as Profile);
    const [main, task] = preview.services!;
    expect([main!.name, task!.name, task!.roleLabel]).toEqual(['n8n', 'n8n-import', 'one-off task, runs and exits']);
    expect(task!.variables.map((v) => v.key)).toEqual(main!.variables.map((v) => v.key));
  });
});

describe('changes per service, where a value lives elsewhere', () => {
  const COMPOSE = [
    'services:',
    '  n8n:',
    '    image: n8nio/n8n:2.41.1',
    '    env_file: ./n8n.env',
    '    environment:',
    '      N8N_EDITOR_BASE_URL: https://${DOMAIN}/',
    '    ports:',
    '      - "127.0.0.1:5678:5678"',
    '  postgres:',
    '    image: postgres:16',
    '    environment:',
    '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}',
    '',
  ].join('\n');
  const ENV = 'DOMAIN=old.example.com\nPOSTGRES_PASSWORD=pg-secret\n';
  const N8N_ENV = 'N8N_SMTP_HOST=smtp.old.example\nN8N_SMTP_PORT=587\nN8N_SMTP_USER=old\nN8N_SMTP_PASS=old-secret\nN8N_SMTP_SENDER=n8n@old.example\n';

  function project(): string {
    const dir = mkdtempSync(join(scratch, 'elsewhere-'));
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    writeFileSync(join(dir, '.env'), ENV);
    writeFileSync(join(dir, 'n8n.env'), N8N_ENV);
    return dir;
  }

  it('a key removed from an env_file points at its old line; a URL built from ${DOMAIN} at the .env line of DOMAIN; the old password stays masked', async () => {
    const dir = project();
    const run = await previewAndWrite(dir, 'compose.yaml', (imported) => ({ ...imported, email: { mode: 'none' }, url: { public: 'https://new.example.com/' }, deploy: { ...imported.deploy, proxy: 'external' } }) as Profile);
    expectRowsTrue(run.preview.services!, run);
    const n8n = run.preview.services!.find((s) => s.name === 'n8n')!;
    expect(n8n.variables).toContainEqual({ key: 'N8N_SMTP_HOST', action: 'remove', before: 'smtp.old.example', secret: false, writtenIn: [{ file: 'n8n.env', line: 1, key: 'N8N_SMTP_HOST', removed: true }] });
    expect(n8n.variables).toContainEqual({ key: 'N8N_SMTP_PASS', action: 'remove', before: MASK, secret: true, writtenIn: [{ file: 'n8n.env', line: 4, key: 'N8N_SMTP_PASS', removed: true }] });
    expect(n8n.variables).toContainEqual({
      key: 'N8N_EDITOR_BASE_URL',
      action: 'change',
      before: 'https://old.example.com/',
      after: 'https://new.example.com/',
      secret: false,
      writtenIn: [{ file: '.env', line: 1, key: 'DOMAIN', removed: false }],
    });
    expect(run.preview.services!.find((s) => s.name === 'postgres')).toMatchObject({ roleLabel: 'other service, left as it is', variables: [], entries: [] });
    expect(JSON.stringify(run.preview.services)).not.toContain('old-secret');
  });

  it('a template and a Docker secret show as the mounts and secrets the service gains', async () => {
    const dir = project();
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'invite.html'), '<p>Join us: {{inviteAcceptUrl}}</p>\n');
    const run = await previewAndWrite(dir, 'compose.yaml', (imported) => ({
      ...imported,
      email: { ...smtp, templates: { invite: { file: './templates/invite.html' } } },
      url: { public: 'https://new.example.com/' },
      deploy: { ...imported.deploy, proxy: 'external', secrets: 'file' },
    }) as Profile);
    expectRowsTrue(run.preview.services!, run);
    const n8n = run.preview.services!.find((s) => s.name === 'n8n')!;
    expect(n8n.entries).toEqual([
      { field: 'volumes', action: 'add', entry: expect.stringMatching(/^\.\/templates\/invite\.html:\/.+:ro$/) },
      { field: 'secrets', action: 'add', entry: 'n8n_smtp_pass' },
    ]);
    expect(n8n.variables.find((v) => v.key === 'N8N_SMTP_PASS_FILE')).toMatchObject({ action: 'add', after: '/run/secrets/n8n_smtp_pass' });
  });

  it('a new folder has no services to group by: the review stays file by file', async () => {
    const dir = join(scratch, 'new-folder');
    const profile = { version: 1, email: smtp, url: { public: 'https://new.example.com/' } } as Profile;
    const report = await exportSetup({ loaded: loadProfile(profile, scratch), outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD }, dryRun: true });
    expect(report.services).toBeUndefined();
    expect(report.changes.length).toBeGreaterThan(0);
  });
});
