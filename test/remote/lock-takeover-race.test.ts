/**
 * The write script's lock, run by three real `sh` processes whose `mv`, `ln` and `stat` are wrapped (shell
 * functions) to stop them at chosen points: the interleaving a review found, in which a run clearing a dead
 * takeover guard moved a live run's guard aside and a third run took the free name — two runs then held the
 * folder. Now the run whose guard went away steps back before it replaces the lock: one holder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WRITE_FUNCTIONS } from '../../services/remote/remote-folder.js';
import { testProgram } from '../../scripts/test-programs.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'lock-race-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const GUARD = '.n8n-setup.lock.takeover';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const deadPid = () => Number(spawnSync(testProgram('sh'), ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());

function hooked(run: string, folder: string, signals: string): string {
  return [
    WRITE_FUNCTIONS,
    `R=${run}; S='${signals}'`,
    'wait_for() { while [ ! -e "$S/$1" ]; do sleep 0.02; done; }',
    // mv -f -T -- SRC DST
    'mv() {',
    '  case "$R:$4:$5" in',
    `    X:${GUARD}:*) touch "$S/X_atmv"; wait_for goX; command mv "$@"; rc=$?; touch "$S/X_moved"; return $rc;;`,
    '    W:*:.n8n-setup.lock) touch "$S/W_atmv"; wait_for goW;;',
    '  esac',
    '  command mv "$@"',
    '}',
    // ln -T -- SRC DST
    'ln() {',
    '  case "$R:$3:$4" in X:*.dead-*:*) wait_for goX2; command ln "$@"; return $?;; esac',
    `  command ln "$@"; rc=$?; if [ $rc = 0 ] && [ "$4" = ${GUARD} ]; then touch "$S/\${R}_guard"; fi; return $rc`,
    '}',
    // Y stops where it checks that its guard is still its own (after it took the guard).
    `stat() { if [ "$R" = Y ] && [ -e "$S/Y_guard" ] && [ "$4" = ${GUARD} ]; then touch "$S/Y_atcheck"; wait_for goY; fi; command stat "$@"; }`,
    `folder='${folder}'`,
    `begin ${b64(JSON.stringify({ since: 't', what: run }))} ${b64(`.n8n-setup.lock.new-${run}`)} -`,
    'echo HOLDS',
    'wait_for "release_$R"',
    '',
  ].join('\n');
}

describe('the write script’s lock, three runs stopped at chosen points', () => {
  it('a run whose takeover guard was moved away by a run clearing a dead one steps back: one holder, and no run removes another’s guard', { timeout: 60_000 }, async () => {
    const folder = join(scratch, 'f');
    const signals = join(scratch, 'sig');
    mkdirSync(folder);
    mkdirSync(signals);
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // A dead holder's lock, and the guard of a run that died while taking it over.
    writeFileSync(join(folder, '.n8n-setup.lock'), JSON.stringify({ pid: deadPid(), host: hostname(), boot, since: 'old', what: 'dead-holder' }));
    writeFileSync(join(folder, GUARD), JSON.stringify({ pid: deadPid(), host: hostname(), boot, since: 'old', what: 'dead-taker' }));

    const out: Record<string, string> = {};
    const runs: Record<string, Promise<number | null>> = {};
    const start = (run: string) => {
      out[run] = '';
      const child = spawn(testProgram('sh'), ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
      child.stdout.on('data', (chunk: Buffer) => (out[run] += chunk.toString()));
      child.stdin.end(hooked(run, folder, signals));
      runs[run] = new Promise((resolve) => child.on('close', resolve));
    };
    const reached = async (name: string) => {
      const until = Date.now() + 20_000;
      while (!existsSync(join(signals, name))) {
        if (Date.now() > until) throw new Error(`no run reached ${name}; output: ${JSON.stringify(out)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const go = (name: string) => writeFileSync(join(signals, name), '');

    start('X');
    await reached('X_atmv'); // X judged the dead guard and is about to move it aside
    start('Y');
    await reached('Y_atcheck'); // Y cleared the dead guard itself, took its own, and is about to replace the lock
    go('goX');
    await reached('X_moved'); // X moved Y's live guard aside: the name is free
    start('W');
    await reached('W_atmv'); // W took the free name and is about to replace the lock
    go('goX2'); // X cannot link Y's guard back (W's is there) and removes it
    expect(await runs.X).toBe(81);
    go('goY');
    expect(await runs.Y).toBe(81); // its guard is not its own any more: it steps back, and W's takeover is BUSY
    expect(readdirSync(folder)).toContain(GUARD); // Y did not remove W's guard
    go('goW');
    await new Promise<void>((resolve) => {
      const check = () => (out.W?.includes('HOLDS') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect([out.X, out.Y].join('')).not.toContain('HOLDS');
    expect(JSON.parse(readFileSync(join(folder, '.n8n-setup.lock'), 'utf8')).what).toBe('W');
    expect(readdirSync(folder).filter((name) => name !== '.n8n-setup.lock')).toEqual([]);
    go('release_W');
    expect(await runs.W).toBe(0);
    expect(readdirSync(folder)).toEqual([]);
  });
});
