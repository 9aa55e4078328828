import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPlatformPlaceholder, type Deployment } from '../../shared/deployment/deployment.js';
import { URL_VARIABLES } from '../../shared/n8n/public-url.js';
import type { KeyChange } from '../../shared/export/key-changes.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { exportSetup } from '../../services/export/export-setup.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { instanceBaseUrl, loadLikeN8n } from '../n8n-oracle/load-like-n8n.js';
import { readComposeV1 } from '../support/docker-compose-v1.js';
import { copyOf, corpusCases, deploymentIn } from './corpus.js';

/**
 * Every public deployment of the corpus, imported, given SMTP and a public URL, exported — then read the
 * way Compose hands it to the containers: every n8n process (main, workers, webhook processors) reads the
 * intended values through n8n's own config loader, every other service reads exactly what it read before,
 * and a second export changes nothing.
 */
const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-real-world-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PASSWORD = 'Corpus-Password-1';
const cases = corpusCases();

function snapshotFiles(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name).slice(dir.length + 1)] = statSync(join(entry.parentPath, entry.name)).mtimeMs;
  }
  return files;
}

const smtp = { mode: 'smtp', host: 'smtp.corpus.example', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@corpus.example>' } as const;

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, corpusCase) => {
  it.each(['https://n8n.corpus.example/', 'https://corpus.example/automation/'])('import, set SMTP and %s, export: n8n reads it on every n8n process, nothing else changes, again is a no-op', async (publicUrl) => {
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const before = deploymentIn(dir, composeFile);
    const imported = await importSetup({ composeFile: join(dir, composeFile) });
    const profile = { ...imported.profile, email: smtp, url: { public: publicUrl } } as Profile;
    const loaded = loadProfile(profile, dir);
    await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD } });

    const after = deploymentIn(dir, composeFile);
    for (const service of after.services) {
      const old = before.services.find((s) => s.name === service.name)!;
      if (service.role === 'task') {
        // A one-off n8n command sharing main's settings block may receive them too; nothing else of it changes.
        const unmanaged = (env: Deployment['services'][number]['environment']) => Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('N8N_') && key !== 'WEBHOOK_URL'));
        expect(unmanaged(service.environment), service.name).toEqual(unmanaged(old.environment));
      } else if (service.role === 'main' || service.role === 'worker' || service.role === 'webhook') {
        const environment = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, v.value]));
        const n8n = loadLikeN8n({ environment, paths: new Map(), command: service.command ?? [] });
        expect(n8n.email.smtp, service.name).toMatchObject({ host: smtp.host, port: smtp.port, secure: false, startTLS: true, sender: smtp.sender, auth: { user: 'apikey', pass: PASSWORD } });
        expect(instanceBaseUrl(n8n), service.name).toBe(publicUrl.replace(/\/$/, ''));
      } else {
        expect({ image: service.image, environment: service.environment, ports: service.ports }, service.name).toEqual({ image: old.image, environment: old.environment, ports: old.ports });
      }
    }

    // A second, independent reader: docker-compose v1's own loader gives every n8n process the same environment.
    if (corpusCase.composeV1) {
      // The files Compose loads, in -f order (v1 reads only the files it is given).
      const topLevel = after.files.filter((file) => file.role === 'compose' || file.role === 'override' || file.role === 'listed').map((file) => file.path);
      const [v1] = readComposeV1([{ dir, composeFiles: topLevel }]);
      for (const service of after.services.filter((s) => s.role === 'main' || s.role === 'worker' || s.role === 'webhook')) {
        const ours = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, v.value]));
        const theirs = Object.fromEntries(Object.entries(v1?.services[service.name]?.environment ?? {}).filter((e): e is [string, string] => e[1] !== null));
        expect(theirs, `${service.name} as docker-compose v1 loads it`).toEqual(ours);
      }
    }

    const files = snapshotFiles(dir);
    const again = await exportSetup({ loaded, outDir: dir, secrets: { N8N_SMTP_PASS: PASSWORD } });
    expect(again.changes).toEqual([]);
    expect(again.files.filter((f) => f.action !== 'unchanged')).toEqual([]);
    expect(snapshotFiles(dir)).toEqual(files);
  });

  it('import, then export with the profile unchanged: nothing to change, except giving workers what main has', async () => {
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const before = deploymentIn(dir, composeFile);
    const files = snapshotFiles(dir);
    const imported = await importSetup({ composeFile: join(dir, composeFile) });
    const loaded = loadProfile(imported.profile, dir);
    const report = await exportSetup({ loaded, outDir: dir, secrets: {}, dryRun: true });
    expect(snapshotFiles(dir)).toEqual(files);
    // Workers and webhook processors that lack main's URL or SMTP settings get them (they build resume and
    // form URLs, and may send mail); nothing else changes.
    const helpers = before.services.filter((s) => s.role === 'worker' || s.role === 'webhook').map((s) => s.name);
    const main = before.services.find((s) => s.role === 'main')!;
    const lacking = (change: KeyChange) => {
      const service = /^services\.([^.]+)\.environment\.(.+)$/.exec(change.key);
      if (service) return helpers.includes(service[1]!) && main.environment[service[2]!] !== undefined;
      return helpers.length > 0 && change.action === 'add' && main.environment[change.key] !== undefined;
    };
    // CapRover's templates leave the host to CapRover ($$cap_appname.$$cap_root_domain) until it deploys: no
    // profile spells that placeholder, so the URL the admin gives replaces it — the only keys that may change.
    const placeholderUrl = (change: KeyChange) => isPlatformPlaceholder(main.environment[change.key.split('.').at(-1)!]?.value) && (URL_VARIABLES as readonly string[]).includes(change.key.split('.').at(-1)!);
    expect(report.changes.filter((change) => !lacking(change) && !placeholderUrl(change))).toEqual([]);
    if (report.changes.length === 0) expect(report.files.filter((f) => f.action !== 'unchanged')).toEqual([]);
    else {
      await exportSetup({ loaded, outDir: dir, secrets: {} });
      const again = await exportSetup({ loaded, outDir: dir, secrets: {}, dryRun: true });
      expect(again.changes).toEqual([]);
    }
  });
});
