import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExports } from '../../services/export/export-backups.js';
import { startServeUnderTest, type ServeUnderTest } from '../../services/serve/test-support/http-client.js';
import { runCli } from './victim-folder.js';

/**
 * Two tabs, a double click and a CLI run at the same time: 12 exports through `serve` and 4 through the CLI
 * into one folder, each with its own public URL. One at a time gets the folder's lock; every other run gets
 * BUSY or succeeds after it. The folder ends as exactly what the last successful run planned, with no temp
 * file and no lock left.
 */
const PASSWORD = 'concurrent-password-1';
let serve: ServeUnderTest;
let root: string;

beforeAll(async () => {
  serve = await startServeUnderTest();
  root = await mkdtemp(join(tmpdir(), 'n8n-setup-concurrent-'));
});

afterAll(async () => {
  await serve?.stop();
  await rm(root, { recursive: true, force: true });
});

function profile(run: string) {
  return {
    version: 1,
    name: 'prod',
    email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
    url: { public: `https://${run}.example.com/` },
    deploy: { proxy: 'none', timezone: 'Europe/Berlin' },
  };
}

async function viaServe(outDir: string, run: string): Promise<{ run: string; ok: boolean; code?: string; message?: string }> {
  const response = await fetch(`http://127.0.0.1:${serve.server.port}/api/writeExport`, {
    method: 'POST',
    headers: { cookie: serve.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ profile: profile(run), outDir, secrets: { 'smtp-password': PASSWORD } }),
  });
  const reply = (await response.json()) as { ok: boolean; error?: { code: string; message: string } };
  return { run, ok: reply.ok, ...(reply.error && { code: reply.error.code, message: reply.error.message }) };
}

async function viaCli(outDir: string, run: string): Promise<{ run: string; ok: boolean; code?: string; message?: string }> {
  const file = join(root, `${run}.json`);
  await writeFile(file, JSON.stringify(profile(run)));
  const result = await runCli(['export', '--profile', file, '--out', outDir, '--password-stdin', '--json'], PASSWORD);
  const reply = JSON.parse(result.stdout) as { ok: boolean; error?: { code: string; message: string } };
  expect(result.code).toBe(reply.ok ? 0 : 1);
  return { run, ok: reply.ok, ...(reply.error && { code: reply.error.code, message: reply.error.message }) };
}

type Plan = { files: Array<{ action: string }>; changes: unknown[] };

async function previewViaServe(outDir: string, run: string): Promise<Plan> {
  const response = await fetch(`http://127.0.0.1:${serve.server.port}/api/previewExport`, {
    method: 'POST',
    headers: { cookie: serve.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ profile: profile(run), outDir, secrets: { 'smtp-password': PASSWORD } }),
  });
  const reply = (await response.json()) as { ok: boolean; data: Plan };
  expect(reply.ok).toBe(true);
  return reply.data;
}

async function previewViaCli(outDir: string, run: string): Promise<Plan> {
  const file = join(root, `${run}.json`);
  await writeFile(file, JSON.stringify(profile(run)));
  return JSON.parse((await runCli(['export', '--profile', file, '--out', outDir, '--password-stdin', '--dry-run', '--json'], PASSWORD)).stdout) as Plan;
}

async function leftovers(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((entry) => relative(dir, join(dir, entry))).filter((name) => /\.tmp-[0-9a-f]{12}$/.test(name) || name.includes('.n8n-setup.lock'));
}

describe('16 exports into one folder at once', () => {
  it('one complete result, the last successful plan exactly; every other run BUSY or done after it; nothing left behind', async () => {
    const outDir = join(root, 'project');
    const runs = await Promise.all([
      ...Array.from({ length: 12 }, (_, i) => viaServe(outDir, `tab-${i}`)),
      ...Array.from({ length: 4 }, (_, i) => viaCli(outDir, `cli-${i}`)),
    ]);
    const failed = runs.filter((run) => !run.ok);
    console.log(`16 concurrent exports: ${runs.length - failed.length} succeeded, ${failed.length} got ${[...new Set(failed.map((run) => run.code))].join(', ')}`);
    // Anything but BUSY is printed whole: which run, which call, what it said.
    for (const run of failed.filter((r) => r.code !== 'BUSY')) console.log(`${run.run}: ${run.code}: ${run.message}`);
    expect(failed.map((run) => run.code)).toEqual(failed.map(() => 'BUSY'));
    expect(runs.length - failed.length).toBeGreaterThanOrEqual(1);

    // The newest record is the last successful run, and the files are what it wrote.
    const env = await readFile(join(outDir, '.env'));
    const last = (await listExports(outDir))[0]!;
    expect(last.files.find((file) => file.path === '.env')?.sha256).toBe(createHash('sha256').update(env).digest('hex'));
    const winner = /^N8N_EDITOR_BASE_URL=https:\/\/([a-z]+-\d+)\.example\.com\/$/m.exec(env.toString('utf8'))?.[1] ?? '';
    expect(runs.find((run) => run.run === winner)?.ok).toBe(true);

    // Byte-identical to that run's plan: planning it again the same way (serve or CLI) now changes nothing.
    const plan = winner.startsWith('tab-') ? await previewViaServe(outDir, winner) : await previewViaCli(outDir, winner);
    expect(plan.changes).toEqual([]);
    expect(plan.files.map((entry) => entry.action)).toEqual(plan.files.map(() => 'unchanged'));
    expect(await leftovers(outDir)).toEqual([]);

    // A run after the rush succeeds.
    expect(await viaServe(outDir, 'after-0')).toEqual({ run: 'after-0', ok: true });
    expect(await leftovers(outDir)).toEqual([]);
  }, 120_000);
});
