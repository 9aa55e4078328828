import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listedPrograms, testProgram } from '../../scripts/test-programs.mjs';
import { programListProblems, testCodeFiles, type SourceFile } from './program-list-problems.js';
import { shellCommands } from './shell-commands.js';
import { nameOf, spawnedPrograms } from './spawned-programs.js';

const ROOT = join(import.meta.dirname, '..', '..');
const names = (source: string, file = 'x.ts') => spawnedPrograms(file, source).map((found) => nameOf(found.ref));

describe('scripts/test-programs.txt', () => {
  it('lists every program that test/, e2e/, scripts/, .ci/ and the test files run, by its Debian path, and nothing that nobody runs', () => {
    const files = testCodeFiles(ROOT);
    expect(files.map((file) => file.path)).toEqual(expect.arrayContaining(['.ci/run', 'scripts/setup-test-machine.sh', 'scripts/bench-smtp.mjs', 'e2e/wizard/playwright.config.ts', 'shared/proxy/proxy-snippets.test.ts']));
    expect(programListProblems(files, listedPrograms())).toEqual([]);
  });

  it('fails when a test starts running a program the list does not have, or runs a listed one from PATH', () => {
    const added: SourceFile = { path: 'test/new.test.ts', source: "import { spawnSync } from 'node:child_process';\nspawnSync('memcached', ['--port', '0']);\nspawnSync('openssl', ['version']);\n" };
    const problems = programListProblems([...testCodeFiles(ROOT), added], listedPrograms());
    expect(problems).toEqual([
      "test/new.test.ts:2 runs memcached, which scripts/test-programs.txt does not list: add it with its Debian path and package",
      "test/new.test.ts:3 runs openssl from PATH, which may hold another copy: use testProgram('openssl') (/usr/bin/openssl)",
    ]);
  });

  it('fails for a listed program that nothing runs, and for a malformed line', () => {
    const list = [...listedPrograms(), { name: 'wget', path: '/usr/bin/wget', debianPackage: 'wget', how: 'run', line: 999 }, { name: 'curl', path: 'curl', debianPackage: 'curl', how: 'sometimes', line: 1000 }];
    expect(programListProblems(testCodeFiles(ROOT), list)).toEqual([
      'scripts/test-programs.txt:1000: curl\'s path "curl" is not absolute (Debian\'s path, or - for the Node that runs the tests)',
      'scripts/test-programs.txt:1000: HOW must be "run" or "indirect: who runs it", not "sometimes"',
      'scripts/test-programs.txt:999: nothing runs wget: remove the line, or say who runs it ("indirect: …")',
    ]);
  });

  it('testProgram gives the Debian path and refuses a program the list does not have', () => {
    expect(testProgram('nginx')).toBe('/usr/sbin/nginx');
    expect(testProgram('node')).toBe('node');
    expect(() => testProgram('wget')).toThrow(/wget is not in scripts\/test-programs.txt: add it there with its Debian path and package/);
    expect(() => testProgram('electron')).toThrow(/comes from the npm package electron, not from Debian/);
  });
});

describe('spawnedPrograms', () => {
  it('follows constants, imports of child_process under other names, promisify and namespaces', () => {
    const source = `
      import * as cp from 'node:child_process';
      import { execFile as run, spawn } from 'node:child_process';
      import { promisify } from 'node:util';
      const OPENSSL = testProgram('openssl');
      const tools = { proxy: '/usr/sbin/nginx' };
      const exec = promisify(run);
      cp.spawnSync(OPENSSL, []);
      spawn(tools.proxy, []);
      exec('dig', []);
      promisify(run)(process.execPath, []);
      spawn(process.env.X ?? '/usr/bin/chromium', []);`;
    expect(names(source)).toEqual(['openssl', 'openssl', '/usr/sbin/nginx', 'dig', 'node', 'process.env.X', '/usr/bin/chromium']);
  });

  it('reads the scripts behind sh -c and the commands behind unshare … --', () => {
    const source = `
      import { spawn, execSync } from 'node:child_process';
      spawn('/bin/sh', ['-c', \`mount --bind \${a} /x && exec ip link\`]);
      spawn(testProgram('unshare'), ['--mount', '--propagation', 'private', '--', '/bin/sh', 'enter.sh']);
      execSync('cat /etc/hosts | grep -v x');`;
    expect(names(source)).toEqual(['/bin/sh', 'mount', 'ip', 'unshare', '/bin/sh', 'unshare', 'cat', 'grep']);
  });

  it('takes an option written as a template (--other-user=${name}) for an option, not for the program a wrapper runs', () => {
    const source = `
      import { execFileSync } from 'node:child_process';
      execFileSync(testProgram('sudo'), ['--list', \`--other-user=\${user}\`]);
      execFileSync(testProgram('sudo'), [\`--user=\${user}\`, 'id']);`;
    expect(names(source)).toEqual(['sudo', 'sudo', 'sudo', 'id', 'sudo']);
  });

  it('cannot name a parameter unless it is typed ListedProgram', () => {
    const source = `
      import { spawnSync } from 'node:child_process';
      function a(command: string) { spawnSync(command, []); }
      function b(command: ListedProgram) { spawnSync(command, []); }`;
    expect(spawnedPrograms('x.ts', source).map((found) => found.ref.kind)).toEqual(['unknown', 'typed']);
  });

  it("sees Playwright's executablePath and the Electron binary", () => {
    expect(names("launch({ executablePath: testProgram('chromium') }); const b = findElectronBinary(); launch({ executablePath: b.path });")).toEqual(['chromium', 'chromium', 'electron']);
  });
});

describe('shellCommands', () => {
  const commands = (script: string) => shellCommands(script).commands.map((command) => command.name);

  it('finds commands in pipelines, lists, substitutions, conditions and heredoc expansions', () => {
    const script = [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'started=$(date +%s)',
      'packages=(python3-dotenv docker-compose)',
      'for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done',
      'if [ "$(id -u)" -ne 0 ]; then echo no >&2; exit 1; fi',
      "echo 'x' | debconf-set-selections",
      'echo "took $(( $(date +%s) - started )) s"',
      'cat > out.json <<JSON',
      '{ "node": "$(node -v)" }',
      'JSON',
      "cat <<'EOF'",
      'rm -rf / $(not-run)',
      'EOF',
      '( cd "$work"; npm ci )',
      "while read -r name; do :; done < <(sed -e 's/#.*//' list.txt)",
    ].join('\n');
    expect(commands(script)).toEqual(['/usr/bin/env', 'bash', 'dpkg', 'debconf-set-selections', 'cat', 'cat', 'npm', 'date', 'id', 'date', 'node', 'sed']);
  });

  it('skips functions, builtins, case patterns and what command -v only looks up; reports variable commands as dynamic', () => {
    const script = [
      'fail() { echo "$*" >&2; exit 1; }',
      'is_ours() { case "$ours" in *" $1 "*) return 0 ;; esac; return 1; }',
      'command -v flock >/dev/null 2>&1 || fail "no flock"',
      'exec setpriv --reuid=1000 -- "$@"',
      'exec 9>"$cache/lock"',
      'local major=${v%%.*}',
      'node_fits || fail "old node"',
    ].join('\n');
    expect(shellCommands(script)).toEqual({ commands: [{ name: 'setpriv', line: 4 }, { name: 'node_fits', line: 7 }], dynamic: [{ name: '$@', line: 4 }] });
  });
});
