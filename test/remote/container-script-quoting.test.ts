/**
 * The script that runs the SMTP test inside n8n's container, run here by Debian's sh with names an admin could
 * type (a folder and a compose file with spaces and quotes, a service name holding a command substitution):
 * every name reaches `docker` as one argument, unchanged, in the command and in the clean-up trap alike, and
 * nothing in a name runs. `docker` is a stand-in that records its arguments (no Docker can run here); the
 * server has no Node, so the script takes the container path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteScript } from '../../services/remote/remote-smtp-test.js';
import { testProgram } from '../../scripts/test-programs.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-container-quoting-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the in-container test script quotes every name', () => {
  it("a folder, compose file and service with spaces, quotes and $(…): one argument each, nothing run", () => {
    const folder = join(scratch, "my n8n's folder");
    mkdirSync(folder);
    const pwned = join(scratch, 'pwned');
    const service = `n8n$(touch ${pwned})'"`;
    const composeFile = `my "compose" file's.yml`;
    const log = join(scratch, 'docker-args.txt');
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    // The stand-in docker: `compose version` answers; `exec` records its arguments (one per line) and prints a temp folder.
    writeFileSync(
      join(bin, 'docker'),
      [`#!${testProgram('sh')}`, `for a in "$@"; do printf '%s\\n' "$a"; done >> '${log}'`, `printf '%s\\n' '=== end of call' >> '${log}'`, 'case "$*" in *" version") exit 0;; esac', `printf '%s\\n' '${scratch}/in-container'`, 'cat > /dev/null', 'exit 0', ''].join('\n'),
      { mode: 0o755 },
    );
    for (const [name, path] of Object.entries({ mktemp: testProgram('mktemp'), base64: testProgram('base64'), sha256sum: testProgram('sha256sum'), cut: testProgram('cut'), rm: testProgram('rm'), cat: testProgram('cat') })) symlinkSync(path, join(bin, name));

    const script = remoteScript({ target: { host: 'x' }, bundle: Buffer.from('// not run\n'), variables: { N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PASS: 'pa$$ word' }, to: 'a@b.co', output: 'text', container: { folder, composeFile, service } });
    const run = spawnSync(testProgram('sh'), ['-s'], { input: script, env: { PATH: bin, HOME: scratch, TMPDIR: scratch }, encoding: 'utf8' });

    expect(run.stderr).not.toMatch(/bad trap|syntax error/);
    expect(existsSync(pwned), 'a command inside a name must never run').toBe(false);
    const calls = readFileSync(log, 'utf8').split('=== end of call\n').filter(Boolean).map((call) => call.trimEnd().split('\n'));
    // compose version; the temp folder; each file; the test itself; the clean-up trap's rm.
    expect(calls[0]).toEqual(['compose', 'version']);
    for (const call of calls.slice(1)) expect(call.slice(0, 6)).toEqual(['compose', '-f', composeFile, 'exec', '-T', service]);
    expect(calls.at(-1)!.slice(6)).toEqual(['rm', '-rf', '--', `${scratch}/in-container`]);
    // The password went through stdin into a file there, never onto docker's command line.
    expect(readFileSync(log, 'utf8')).not.toContain('pa$$ word');
  });
});
