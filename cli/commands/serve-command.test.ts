import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agent, callApi, makeRendererFolder, send, signIn } from '../../services/serve/test-support/http-client.js';
import type { CliIo } from '../cli-io.js';
import { serveCommand } from './serve-command.js';

function capture(): CliIo & { out: () => string } {
  let stdout = '';
  return { stdout: (t) => void (stdout += t), stderr: () => undefined, readStdin: async () => new Uint8Array(), cwd: tmpdir(), out: () => stdout };
}

const LINK = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)/;

describe('n8n-setup serve', () => {
  let scratch: string;
  let rendererDir: string;
  const savedConfigHome = process.env.XDG_CONFIG_HOME;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'n8n-setup-serve-cmd-'));
    rendererDir = await makeRendererFolder();
    // The data folder follows XDG_CONFIG_HOME: keep the developer's real profiles out of reach.
    process.env.XDG_CONFIG_HOME = scratch;
  });
  afterAll(async () => {
    if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = savedConfigHome;
    agent.destroy();
    await rm(scratch, { recursive: true, force: true });
    await rm(rendererDir, { recursive: true, force: true });
  });

  it('prints the link, serves the wizard until told to stop, then stops cleanly', async () => {
    const io = capture();
    let stop!: () => void;
    const running = serveCommand(['--port', '0', '--no-open'], io, { rendererDir, stop: new Promise((resolve) => (stop = resolve)) });
    await expect.poll(() => io.out()).toMatch(LINK);
    const [, port, token] = LINK.exec(io.out()) ?? [];
    const cookie = await signIn(Number(port), token ?? '');
    expect(JSON.parse((await callApi(Number(port), cookie, 'appInfo', {})).body)).toMatchObject({ ok: true, data: { transport: 'http', dataFolder: join(scratch, 'n8n Setup') } });
    expect(io.out()).toContain(`ssh -L ${port}:127.0.0.1:${port}`);
    stop();
    expect(await running).toBe(0);
    expect(io.out()).toMatch(/Stopped\.\n$/);
    await expect(send(Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('refuses a port that is not a number from 0 to 65535', async () => {
    for (const port of ['abc', '-1', '65536', '80.5', '']) {
      await expect(serveCommand(['--port', port, '--no-open'], capture(), { rendererDir, stop: Promise.resolve() })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('prints its help', async () => {
    const io = capture();
    expect(await serveCommand(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: n8n-setup serve \[--port N\] \[--no-open\]/);
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0, in a real process', async () => {
    // The command bundled on its own, beside a renderer folder laid out as in the package (dist/ → ../out/renderer).
    const root = join(scratch, 'package');
    await mkdir(join(root, 'dist'), { recursive: true });
    await mkdir(join(root, 'out'), { recursive: true });
    await writeFile(join(root, 'dist', 'entry.ts'), `import { serveCommand } from ${JSON.stringify(join(import.meta.dirname, 'serve-command.ts'))};
serveCommand(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readStdin: async () => new Uint8Array(), cwd: process.cwd() }).then((code) => { process.exitCode = code; });`);
    await build({ entryPoints: [join(root, 'dist', 'entry.ts')], outfile: join(root, 'dist', 'serve.cjs'), bundle: true, platform: 'node', format: 'cjs', external: ['@github/keytar'], define: { __APP_VERSION__: '"test"' }, logLevel: 'error' });
    await rm(join(root, 'out', 'renderer'), { recursive: true, force: true });
    await mkdir(join(root, 'out', 'renderer'));
    await writeFile(join(root, 'out', 'renderer', 'index.html'), '<!doctype html><title>n8n Setup</title>');

    const child = spawn(process.execPath, [join(root, 'dist', 'serve.cjs'), '--port', '0', '--no-open'], { cwd: scratch, env: { ...process.env, XDG_CONFIG_HOME: scratch }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (output += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (output += t));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 10_000 }).toMatch(LINK);
    const [, port, token] = LINK.exec(output) ?? [];
    const cookie = await signIn(Number(port), token ?? '');
    expect((await send(Number(port), { headers: { cookie } })).status).toBe(200);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toMatch(/Stopped\.\n$/);
    await expect(send(Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
