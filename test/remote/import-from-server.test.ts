/**
 * Import of a setup on a server, against a real OpenSSH server (test/support/sshd.ts; the "server" is this
 * machine, logged into as root): for every public deployment of the real-world corpus, importing its folder
 * over SSH gives the very report a local import of the same folder gives — profile, findings, the files
 * Compose loads, what the folder runs — through the CLI as through the service.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { importFromServer } from '../../services/import/import-from-server.js';
import { importSetup } from '../../services/import/import-setup.js';
import type { SshOptions } from '../../services/remote/ssh-connection.js';
import { testProgram } from '../../scripts/test-programs.mjs';
import { copyOf, corpusCases } from '../real-world/corpus.js';
import { startSshd, type SshServer } from '../support/sshd.js';

const PROGRAMS = { ssh: testProgram('ssh'), sshKeyscan: testProgram('ssh-keyscan'), sshKeygen: testProgram('ssh-keygen') };

let scratch: string;
let server: SshServer;
let ssh: SshOptions;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-import-remote-'));
  server = await startSshd({ path: '/usr/bin:/bin' });
  writeFileSync(server.knownHostsFile, `${server.hostKeyLine}\n`);
  ssh = { configFile: server.configFile, programs: PROGRAMS, timeoutMs: 15_000 };
});
afterAll(async () => {
  await server?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const target = () => ({ user: 'root', host: '127.0.0.1', port: server.port });

describe('the real-world corpus, imported over SSH and here: the same report', () => {
  it.each(corpusCases().map((c) => [c.name, c] as const))('%s', async (_name, corpusCase) => {
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const here = await importSetup({ composeFile: join(dir, composeFile) });
    const there = await importFromServer({ target: target(), composeFile: join(dir, composeFile) }, ssh);
    expect(there).toEqual(here);
  });
});

describe('import --compose user@host:/path', () => {
  it('prints what a local import prints; a lone .env too; a missing file is named', async () => {
    const corpusCase = corpusCases().find((c) => c.name === 'variation-n8n-hosting-worker-extends')!;
    const { dir, composeFile } = copyOf(corpusCase, scratch);
    const run = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli([...args, '--json'], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => Buffer.alloc(0), cwd: scratch, sshPrograms: PROGRAMS, terminal: () => undefined });
      return { code, stdout, stderr };
    };
    const at = (path: string) => `ssh://root@127.0.0.1:${server.port}${path}`;
    const local = await run(['import', '--compose', join(dir, composeFile)]);
    const remote = await run(['import', '--compose', at(join(dir, composeFile)), '--ssh-config', server.configFile]);
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(local.stdout));

    const envOnly = await run(['import', '--env', at(join(dir, '.env')), '--ssh-config', server.configFile]);
    expect(JSON.parse(envOnly.stdout)).toEqual(JSON.parse((await run(['import', '--env', join(dir, '.env')])).stdout));

    const missing = await run(['import', '--compose', at(join(dir, 'nope.yml')), '--ssh-config', server.configFile]);
    expect(missing.stderr).toContain(`Cannot read the compose file ${join(dir, 'nope.yml')}: there is no such file.`);
    expect(missing.code).toBe(2);

    const mixed = await run(['import', '--compose', at(join(dir, composeFile)), '--env', join(dir, '.env'), '--ssh-config', server.configFile]);
    expect(mixed.stderr).toContain('--compose and --env must be on the same machine');
    expect(mixed.code).toBe(2);
  });
});
