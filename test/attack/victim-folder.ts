/**
 * The scene of the write attacks: a setup folder owned by uid 1000 (the user who may plant links in it), a
 * root-only folder beside it standing for the rest of the machine, and the real CLI run as root against it.
 * Every outside entry is snapshotted (bytes, owner, mode, kind) before and after, so a test sees any write,
 * chmod, chown or new file outside the setup folder.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, chown, lchown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ATTACKER = 1000;
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'n8n-setup.cjs');
export const SMTP_PASSWORD = 'attack-suite-password-7f3e';

export interface Scene {
  root: string;
  /** The setup folder, owned by uid 1000. */
  project: string;
  /** Root-only: a file, a folder, and the path of a file that does not exist yet. */
  outside: { dir: string; file: string; folder: string; missing: string };
  remove(): Promise<void>;
}

export async function makeScene(): Promise<Scene> {
  const root = await mkdtemp(join(tmpdir(), 'n8n-setup-attack-'));
  await chmod(root, 0o755);
  const project = join(root, 'project');
  const dir = join(root, 'root-only');
  await mkdir(project, { mode: 0o755 });
  await chown(project, ATTACKER, ATTACKER);
  await mkdir(join(dir, 'folder'), { recursive: true, mode: 0o755 });
  await chmod(dir, 0o700);
  await writeFile(join(dir, 'file'), 'OUTSIDE: root-only bytes\n', { mode: 0o644 });
  await writeFile(join(dir, 'folder', 'inside-outside'), 'also outside\n', { mode: 0o600 });
  return {
    root,
    project,
    outside: { dir, file: join(dir, 'file'), folder: join(dir, 'folder'), missing: join(dir, 'missing') },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** A file in the project, owned by the attacker. */
export async function plantFile(scene: Scene, rel: string, content: string, mode = 0o644): Promise<void> {
  await writeFile(join(scene.project, rel), content, { mode });
  await chown(join(scene.project, rel), ATTACKER, ATTACKER);
}

export async function plantFolder(scene: Scene, rel: string): Promise<void> {
  await mkdir(join(scene.project, rel), { mode: 0o755 });
  await chown(join(scene.project, rel), ATTACKER, ATTACKER);
}

/** A link in the project, owned by `uid` (the attacker unless said otherwise). */
export async function plantLink(scene: Scene, rel: string, target: string, uid = ATTACKER): Promise<void> {
  await symlink(target, join(scene.project, rel));
  await lchown(join(scene.project, rel), uid, uid);
}

/** Every entry under `dir`: kind, owner, mode and a hash of the bytes (or the link text). */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    for (const name of (await readdir(folder)).sort()) {
      const path = join(folder, name);
      const stats = await lstat(path);
      const who = `${stats.uid}:${stats.gid} ${(stats.mode & 0o7777).toString(8)}`;
      if (stats.isSymbolicLink()) entries[relative(dir, path)] = `link ${who} → ${await readlink(path)}`;
      else if (stats.isDirectory()) {
        entries[relative(dir, path)] = `folder ${who}`;
        await walk(path);
      } else entries[relative(dir, path)] = `file ${who} ${createHash('sha256').update(await readFile(path)).digest('hex')}`;
    }
  };
  await walk(dir);
  return entries;
}

export interface ProfileOptions {
  deploy?: Record<string, unknown>;
  email?: Record<string, unknown>;
  publicUrl?: string;
}

/** A profile file beside the project (outside what export writes). */
export async function writeProfile(scene: Scene, name: string, options: ProfileOptions = {}): Promise<string> {
  const path = join(scene.root, `${name}.json`);
  const email = { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>', ...options.email };
  await writeFile(path, JSON.stringify({ version: 1, name, email, url: { public: options.publicUrl ?? 'https://n8n.example.com/' }, deploy: { proxy: 'none', ...options.deploy } }));
  return path;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The real single-file CLI, run as this (root) process, with the SMTP password on stdin. */
export function runCli(args: string[], stdin = SMTP_PASSWORD): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', TZ: 'UTC' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

export function exportTo(scene: Scene, profile: string, ...more: string[]): Promise<CliRun> {
  return runCli(['export', '--profile', profile, '--out', scene.project, '--password-stdin', ...more]);
}
