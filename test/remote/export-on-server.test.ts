/**
 * Export into a folder on a server, against a real OpenSSH server (test/support/sshd.ts: sshd on loopback
 * with its own config and host key, logged into as root). The "server" is this machine, so each remote
 * result is compared with a local export of the same setup made on this side: the same files, byte for
 * byte, with the same modes and owners — for every public deployment of the real-world corpus. Then the
 * remote side's own guarantees: the lock a local run would see, links refused, files that changed after
 * they were read left alone, a cancel before anything was replaced leaving the folder as it was.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSetup } from '../../services/export/export-setup.js';
import { exportToServer } from '../../services/export/export-to-server.js';
import { importSetup } from '../../services/import/import-setup.js';
import { loadProfile } from '../../services/profile/read-profile-file.js';
import { RemoteFolder, writeRemoteFiles } from '../../services/remote/remote-folder.js';
import type { SshOptions } from '../../services/remote/ssh-connection.js';
import type { SetupError } from '../../shared/errors.js';
import type { Profile } from '../../shared/profile/profile-schema.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { copyOf, corpusCases } from '../real-world/corpus.js';
import { startSshd, type SshServer } from '../support/sshd.js';

const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };
const PASSWORD = 'Remote-Password-1';
const smtp = { mode: 'smtp', host: 'smtp.remote.example', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@remote.example>' } as const;

let scratch: string;
let server: SshServer;
let ssh: SshOptions;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-export-remote-'));
  server = await startSshd({ path: '/usr/bin:/bin' });
  writeFileSync(server.knownHostsFile, `${server.hostKeyLine}\n`);
  ssh = { configFile: server.configFile, programs: PROGRAMS, timeoutMs: 15_000 };
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const target = () => ({ user: 'root', host: '127.0.0.1', port: server.port });
const ref = (path: string) => ({ target: target(), path, shown: `ssh://root@127.0.0.1:${server.port}${path}` });

/** Every file below `dir`: content, mode and owner; backups and records by their kind, as their names are random. */
function filesIn(dir: string): Record<string, { text: string; mode: string; uid: number; gid: number }> {
  const files: Record<string, { text: string; mode: string; uid: number; gid: number }> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const stats = lstatSync(path);
    const rel = path.slice(dir.length + 1).replace(/\.\d{8}T\d{9}Z-[0-9a-f]{8}\.bak$/, '.<backup>').replace(/exports\/\d{8}T\d{9}Z-[0-9a-f]{8}\.json$/, 'exports/<record>');
    if (stats.isDirectory()) files[`${rel}/`] = { text: '', mode: (stats.mode & 0o777).toString(8), uid: stats.uid, gid: stats.gid };
    else if (!rel.endsWith('<record>')) files[rel] = { text: readFileSync(path, 'utf8'), mode: (stats.mode & 0o777).toString(8), uid: stats.uid, gid: stats.gid };
  }
  return files;
}

function oneRecord(dir: string): { files: Array<{ path: string; action: string; backup?: { path: string; sha256: string } }> } {
  const names = readdirSync(join(dir, '.n8n-setup', 'exports'));
  expect(names).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, '.n8n-setup', 'exports', names[0]!), 'utf8'));
}

describe('the real-world corpus, exported over SSH and here: the same files, modes and owners', () => {
  const cases = corpusCases();
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, corpusCase) => {
    const local = copyOf(corpusCase, scratch);
    const remote = copyOf(corpusCase, scratch);
    // The admin's files belong to the admin (uid 1000 here), as on a server where root runs setup.
    execFileSync(testProgram('chown'), ['-R', '1000:1000', local.dir, remote.dir]);
    const imported = await importSetup({ composeFile: join(local.dir, local.composeFile) });
    const profile = { ...imported.profile, email: smtp, url: { public: 'https://n8n.remote.example/' } } as Profile;
    const now = new Date('2026-12-05T04:00:00.000Z');
    const here = await exportSetup({ loaded: loadProfile(profile, local.dir), outDir: local.dir, secrets: { N8N_SMTP_PASS: PASSWORD }, now });
    const there = await exportToServer({ loaded: loadProfile(profile, remote.dir), folder: ref(remote.dir), ssh, secrets: { N8N_SMTP_PASS: PASSWORD }, now });

    expect(filesIn(remote.dir)).toEqual(filesIn(local.dir));
    expect(there.files.map(({ backup: _b, ...f }) => f)).toEqual(here.files.map(({ backup: _b, ...f }) => f));
    expect(there.changes).toEqual(here.changes);
    expect(there.warnings.map((w) => w.code)).toEqual(here.warnings.map((w) => w.code));
    // The record lists each backup with the SHA-256 of what it holds.
    const record = oneRecord(remote.dir);
    expect(record.files.map((f) => [f.path, f.action])).toEqual(there.files.map((f) => [f.path, f.action]));
    for (const file of record.files.filter((f) => f.backup)) {
      const bytes = readFileSync(join(remote.dir, file.backup!.path));
      expect(execFileSync(testProgram('sha256sum'), { input: bytes }).toString().split(' ')[0], file.path).toBe(file.backup!.sha256);
    }
    // Nothing left over: no temp file, no lock.
    expect(readdirSync(remote.dir, { recursive: true }).filter((name) => /\.tmp-|\.n8n-setup\.lock/.test(String(name)))).toEqual([]);

    // Again: nothing changes, on either side.
    const again = await exportToServer({ loaded: loadProfile(profile, remote.dir), folder: ref(remote.dir), ssh, secrets: { N8N_SMTP_PASS: PASSWORD }, now });
    expect(again.files.every((f) => f.action === 'unchanged'), JSON.stringify(again.files)).toBe(true);
    expect(again.exportId).toBeUndefined();
  });
});

describe('a folder on the server', () => {
  const profile = { version: 1, email: smtp, url: { public: 'https://n8n.remote.example/' }, deploy: { secrets: 'file' } } as unknown as Profile;
  const request = (dir: string) => ({ loaded: loadProfile(profile, dir), folder: ref(dir), ssh, secrets: { N8N_SMTP_PASS: PASSWORD } });

  it('is created when it does not exist (its parent must), with secret files for n8n’s uid 1000 in a 0700 folder', async () => {
    const dir = join(scratch, 'new-instance');
    const report = await exportToServer(request(dir));
    expect(report.files.map((f) => [f.path, f.action])).toContainEqual(['.env', 'created']);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    const secret = statSync(join(dir, 'secrets', 'n8n_smtp_pass'));
    expect([secret.mode & 0o777, secret.uid, secret.gid]).toEqual([0o600, 1000, 1000]);
    expect(readFileSync(join(dir, 'secrets', 'n8n_smtp_pass'), 'utf8')).toBe(PASSWORD);

    const deeper = join(scratch, 'no-such-parent', 'n8n');
    await expect(exportToServer(request(deeper))).rejects.toMatchObject({ code: 'WRITE_FOLDER_MISSING' });
  });

  it('is refused while another run holds its lock — the lock a local run takes — and taken over when that run is gone', async () => {
    const dir = join(scratch, 'locked');
    mkdirSync(dir);
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    writeFileSync(join(dir, '.n8n-setup.lock'), JSON.stringify({ pid: process.pid, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' }));
    const busy = await exportToServer(request(dir)).catch((error: unknown) => error);
    expect(busy).toMatchObject({ code: 'BUSY' });
    expect((busy as SetupError).message).toContain(`pid ${process.pid}`);
    expect(readdirSync(dir)).toEqual(['.n8n-setup.lock']);

    // A lock whose process is gone on this boot is stale.
    writeFileSync(join(dir, '.n8n-setup.lock'), JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' }));
    await exportToServer(request(dir));
    expect(readdirSync(dir)).not.toContain('.n8n-setup.lock');
    expect(readdirSync(dir)).toContain('.env');
  });

  it('a stale lock met by several runs at once: one holds the folder at a time (a takeover never frees the name); a takeover guard whose run is gone is cleared at once, a live one is BUSY until older than 10 s', { timeout: 90_000 }, async () => {
    const dir = join(scratch, 'stale-rush');
    mkdirSync(dir);
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const stale = JSON.stringify({ pid: 2 ** 22 + 2, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' });
    for (let round = 0; round < 2; round++) {
      writeFileSync(join(dir, '.n8n-setup.lock'), stale);
      const runs = await Promise.all(
        Array.from({ length: 4 }, async (_, i) => {
          const folder = new RemoteFolder(ref(dir), ssh);
          await folder.open(['x.txt']);
          const change = { path: 'x.txt', content: `run ${round}.${i}\n`, mode: 0o644, holdsSecret: false };
          // Each holds the lock for a second: a second holder at the same time would succeed too.
          return writeRemoteFiles(folder, [change], { now: new Date(), what: 'export', pauseAfterStagingMs: 1_000 }).then(
            () => 'ok',
            (error: SetupError) => error.code,
          );
        }),
      );
      // All read x.txt as missing before any wrote: a second holder at the same time would write it too. A run
      // whose connection was slow may take the lock after the winner let go: it finds x.txt written and refuses.
      expect(runs.filter((r) => r === 'ok')).toHaveLength(1);
      for (const r of runs.filter((r) => r !== 'ok')) expect(['BUSY', 'FILES_CHANGED']).toContain(r);
      expect(readdirSync(dir).filter((name) => name.startsWith('.n8n-setup.lock'))).toEqual([]);
      rmSync(join(dir, 'x.txt'), { force: true });
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.bak'))) rmSync(join(dir, name));
    }

    // A takeover under way (its run alive) is BUSY; a run that died while taking over left its guard naming it:
    // the next run clears it and takes over at once. An empty guard (left by an older version) counts after 10 s, as does any guard.
    const guard = join(dir, '.n8n-setup.lock.takeover');
    writeFileSync(join(dir, '.n8n-setup.lock'), stale);
    writeFileSync(guard, JSON.stringify({ pid: process.pid, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' }));
    await expect(exportToServer(request(dir))).rejects.toMatchObject({ code: 'BUSY' });
    expect(readFileSync(guard, 'utf8')).toContain(`"pid":${process.pid}`);
    writeFileSync(guard, JSON.stringify({ pid: 2 ** 22 + 3, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' }));
    await exportToServer(request(dir));
    expect(readdirSync(dir).filter((name) => name.startsWith('.n8n-setup.lock'))).toEqual([]);
    writeFileSync(join(dir, '.n8n-setup.lock'), stale);
    writeFileSync(guard, '');
    await expect(exportToServer(request(dir))).rejects.toMatchObject({ code: 'BUSY' });
    const old = new Date(Date.now() - 60_000);
    utimesSync(guard, old, old);
    await exportToServer(request(dir));
    // A takeover takes milliseconds: a guard older than 10 s is dead whoever it names (here a live pid).
    writeFileSync(join(dir, '.n8n-setup.lock'), stale);
    writeFileSync(guard, JSON.stringify({ pid: process.pid, host: hostname(), boot, since: '2026-12-05T00:00:00.000Z', what: 'export' }));
    utimesSync(guard, old, old);
    await exportToServer(request(dir));
    expect(readdirSync(dir).filter((name) => name.startsWith('.n8n-setup.lock'))).toEqual([]);
  });

  it('clears what killed runs left beside the lock (a draft, a dead guard moved aside) once older than 10 s; fresh ones stay', async () => {
    const dir = join(scratch, 'leftovers');
    mkdirSync(dir);
    const left = ['.n8n-setup.lock.new-00000001', '.n8n-setup.lock.takeover.dead-00000002'];
    const fresh = ['.n8n-setup.lock.new-00000003', '.n8n-setup.lock.takeover.dead-00000004'];
    for (const name of [...left, ...fresh]) writeFileSync(join(dir, name), '{"pid":1}');
    const old = new Date(Date.now() - 60_000);
    for (const name of left) utimesSync(join(dir, name), old, old);
    await exportToServer(request(dir));
    expect(readdirSync(dir).filter((name) => name.startsWith('.n8n-setup.lock')).sort()).toEqual(fresh.sort());
  });

  it('refuses a link out of the folder, and changes nothing outside', async () => {
    const dir = join(scratch, 'linked');
    const outside = join(scratch, 'outside.env');
    mkdirSync(dir);
    chownSync(dir, 1000, 1000);
    writeFileSync(outside, 'ROOT_ONLY=1\n', { mode: 0o600 });
    symlinkSync(outside, join(dir, '.env'));
    await expect(exportToServer(request(dir))).rejects.toMatchObject({ code: 'LINK_REFUSED', message: expect.stringContaining('.env') });
    expect(readFileSync(outside, 'utf8')).toBe('ROOT_ONLY=1\n');
    expect(statSync(outside).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.env']);

    // A secrets folder that is a link to elsewhere: refused too.
    const other = join(scratch, 'linked-secrets');
    mkdirSync(other);
    const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
    symlinkSync(elsewhere, join(other, 'secrets'));
    await expect(exportToServer(request(other))).rejects.toMatchObject({ code: 'LINK_REFUSED' });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('follows the admin’s own link inside the folder, and keeps it a link', async () => {
    const dir = join(scratch, 'own-link');
    mkdirSync(join(dir, 'config'), { recursive: true });
    writeFileSync(join(dir, 'config', 'n8n.env'), 'KEEP=me\n');
    symlinkSync('config/n8n.env', join(dir, '.env'));
    await exportToServer(request(dir));
    expect(lstatSync(join(dir, '.env')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'config', 'n8n.env'), 'utf8')).toMatch(/^KEEP=me\n[\s\S]*N8N_SMTP_HOST=smtp\.remote\.example/);
  });

  it('keeps the modes the admin gave, execute bits included, and tightens only what holds the password', async () => {
    const dir = join(scratch, 'modes');
    mkdirSync(dir);
    writeFileSync(join(dir, 'docker-compose.yml'), 'services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n', { mode: 0o775 });
    writeFileSync(join(dir, '.env'), 'TZ=UTC\n', { mode: 0o664 });
    chmodSync(join(dir, 'docker-compose.yml'), 0o775);
    chmodSync(join(dir, '.env'), 0o664);
    const report = await exportToServer({ ...request(dir), loaded: loadProfile({ ...profile, deploy: { secrets: 'env' } } as Profile, dir) });
    expect(report.files.find((f) => f.path === 'docker-compose.yml')).toMatchObject({ action: 'updated', mode: '0775' });
    expect(statSync(join(dir, 'docker-compose.yml')).mode & 0o777).toBe(0o775);
    expect(report.files.find((f) => f.path === '.env')).toMatchObject({ action: 'updated', mode: '0600', tightenedFrom: '0664' });
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600);
  });

  it('a second export with other settings: files the first one made (n8n-variables.txt, the tool) are read and replaced, not refused', async () => {
    const dir = join(scratch, 'twice');
    await exportToServer(request(dir));
    const other = { ...profile, email: { ...smtp, host: 'smtp2.remote.example' } } as unknown as Profile;
    const second = await exportToServer({ ...request(dir), loaded: loadProfile(other, dir) });
    expect(second.files.filter((f) => f.action === 'updated').map((f) => f.path)).toContain('.env');
    expect(readFileSync(join(dir, '.env'), 'utf8')).toContain('N8N_SMTP_HOST=smtp2.remote.example');
  });

  it('writes a new file through the admin’s own link to a folder inside (secrets -> vault/secrets)', async () => {
    const dir = join(scratch, 'linked-folder');
    mkdirSync(join(dir, 'vault', 'secrets'), { recursive: true, mode: 0o700 });
    symlinkSync('vault/secrets', join(dir, 'secrets'));
    await exportToServer(request(dir));
    expect(lstatSync(join(dir, 'secrets')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'vault', 'secrets', 'n8n_smtp_pass'), 'utf8')).toBe(PASSWORD);
  });

  it('a folder given relative to the login’s home (scp’s form) reads files beside it as Compose would', async () => {
    const home = mkdtempSync(join('/root', '.n8n-setup-test-'));
    try {
      const corpusCase = corpusCases().find((c) => c.name === 'variation-n8n-hosting-worker-extends')!;
      const local = copyOf(corpusCase, scratch);
      const remote = copyOf(corpusCase, home);
      const imported = await importSetup({ composeFile: join(local.dir, local.composeFile) });
      const loaded = (dir: string) => loadProfile({ ...imported.profile, email: smtp, url: { public: 'https://n8n.remote.example/' } } as Profile, dir);
      const now = new Date('2026-12-05T04:00:00.000Z');
      const here = await exportSetup({ loaded: loaded(local.dir), outDir: local.dir, secrets: { N8N_SMTP_PASS: PASSWORD }, now });
      const relative = remote.dir.slice('/root/'.length);
      const there = await exportToServer({ loaded: loaded(remote.dir), folder: { target: target(), path: relative, shown: relative }, ssh, secrets: { N8N_SMTP_PASS: PASSWORD }, now });
      expect(there.changes).toEqual(here.changes);
      expect(filesIn(remote.dir)).toEqual(filesIn(local.dir));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('leaves a file alone that changed after it was read: nothing is written', async () => {
    const dir = join(scratch, 'changed');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'A=1\n');
    const folder = new RemoteFolder(ref(dir), ssh);
    await folder.open(['.env']);
    writeFileSync(join(dir, '.env'), 'A=2\n');
    const change = { path: '.env', content: 'A=3\n', mode: 0o600, holdsSecret: false };
    await expect(writeRemoteFiles(folder, [change], { now: new Date(), what: 'export' })).rejects.toMatchObject({ code: 'FILES_CHANGED', message: expect.stringContaining('.env') });
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe('A=2\n');
    expect(readdirSync(dir).sort()).toEqual(['.env']);
  });

  it('cancelled once the new contents are on the server but before anything is replaced: the folder is as it was', async () => {
    const dir = join(scratch, 'cancelled');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'KEEP=me\n');
    const before = filesIn(dir);
    const controller = new AbortController();
    const steps: string[] = [];
    const run = exportToServer({
      ...request(dir),
      ssh: { ...ssh, signal: controller.signal },
      pauseAfterStagingMs: 3_000,
      onStep: (step) => {
        steps.push(step);
        if (step === 'staged') controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(steps).toEqual(['locked', 'staged']);

    // Stopped before the new contents are staged: said so, and nothing changed.
    const early = new AbortController();
    await expect(
      exportToServer({ ...request(dir), ssh: { ...ssh, signal: early.signal }, onStep: (step) => step === 'locked' && early.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED', message: expect.stringContaining('Stopped before anything in') });
    // The script on the server notices the lost connection when it next speaks, and cleans up.
    const deadline = Date.now() + 10_000;
    while (readdirSync(dir, { recursive: true }).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(filesIn(dir)).toEqual(before);
  });
});
