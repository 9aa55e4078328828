/**
 * The questions on the user's terminal, on a real pseudo-terminal: util-linux `script` gives the command its
 * own pty, as an ssh session or a desktop terminal does, and this test types into it after each prompt.
 * The password is not echoed, Backspace edits it, Ctrl-C cancels, and without any terminal there is no
 * question at all (the command then names the flag instead).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testProgram } from '../scripts/test-programs.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'n8n-terminal-'));
const entry = join(scratch, 'ask.cjs');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

beforeAll(async () => {
  writeFileSync(
    join(scratch, 'ask.ts'),
    `import { openTerminal } from ${JSON.stringify(join(import.meta.dirname, 'terminal-prompt.ts'))};
const terminal = openTerminal();
if (!terminal) { process.stdout.write('NO TERMINAL\\n'); }
else terminal.askHidden('Password: ')
  .then(async (password) => ({ password, yes: await terminal.confirm('Send?') }))
  .then((answers) => process.stdout.write('ANSWERS ' + JSON.stringify(answers) + '\\n'), (error) => process.stdout.write('REJECTED ' + error.message + '\\n'))
  .finally(() => terminal.close());`,
  );
  await build({ entryPoints: [join(scratch, 'ask.ts')], outfile: entry, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});

/** Runs the questions in a pty of their own, typing each answer once its prompt appeared. */
function onTerminal(typing: Array<[prompt: string, keys: string]>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(testProgram('script'), ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(entry)}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    const pending = [...typing];
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      screen += text;
      const next = pending[0];
      if (next && screen.includes(next[0])) {
        pending.shift();
        child.stdin.write(next[1]);
      }
    });
    const timer = setTimeout(() => child.kill(), 10_000);
    child.on('error', reject);
    child.on('exit', () => (clearTimeout(timer), resolve(screen)));
  });
}

describe('terminal questions (a real pty through `script`)', () => {
  it('reads the password without echo, with Backspace, then a yes', async () => {
    const screen = await onTerminal([['Password: ', 'owner-pa\u007fXss\r'], ['[y/N] ', 'y\r']]);
    expect(screen).toContain('ANSWERS {"password":"owner-pXss","yes":true}');
    // What the terminal showed before the answers line: the prompts, never a typed character of the password.
    expect(screen.slice(0, screen.indexOf('ANSWERS'))).not.toMatch(/owner|pXss/);
  });

  it('anything but y/yes is no', async () => {
    expect(await onTerminal([['Password: ', 'p\r'], ['[y/N] ', '\r']])).toContain('"yes":false');
    expect(await onTerminal([['Password: ', 'p\r'], ['[y/N] ', 'sure\r']])).toContain('"yes":false');
  });

  it('Ctrl-C at the password cancels', async () => {
    expect(await onTerminal([['Password: ', 'abc\u0003']])).toContain('REJECTED cancelled at the terminal');
  });

  it('without a terminal (no controlling tty: cron, CI, a pipe), no question is asked', async () => {
    const child = spawn(process.execPath, [entry], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(out).toBe('NO TERMINAL\n');
  });
});
