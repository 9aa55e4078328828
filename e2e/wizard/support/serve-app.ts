/**
 * The product's own `n8n-setup serve`, started as an admin would (bin/n8n-setup.js → dist), with a
 * throwaway HOME so the app data folder, drafts and uploads are this test's alone. Stopped by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..', '..', '..');

export interface ServedApp {
  url: string;
  home: string;
  /** The app's data folder inside the throwaway HOME. */
  dataFolder: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Extra environment, e.g. a D-Bus session with a keyring. Without it the keychain is unavailable. */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export async function startServe(options: ServeOptions = {}): Promise<ServedApp> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'n8n-setup-e2e-home-')));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TZ: 'UTC', ...options.env };
  if (!options.env?.HOME) env.HOME = home;
  const child = spawn(process.execPath, [join(REPO, 'bin/n8n-setup.js'), 'serve', '--port', '0', '--no-open'], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await printedUrl(child);
  return {
    url,
    home: env.HOME as string,
    dataFolder: join(env.HOME as string, '.config', 'n8n Setup'),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.home) await rm(home, { recursive: true, force: true });
    },
  };
}

function printedUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no address within 15 s:\n${out}\n${err}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
}
