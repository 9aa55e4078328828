/** Caddy (Debian package caddy) on throwaway folders: its data and config go there, not into the user's home. */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';

/** The environment for a Caddy whose state lives in `dir`. */
export function caddyEnvironment(dir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
}

/** `caddy adapt` on a Caddyfile: the JSON configuration Caddy would run (stdout), or why it refuses (stderr). */
export function adaptCaddyfile(caddyfile: string): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-caddy-'));
  try {
    writeFileSync(join(dir, 'Caddyfile'), caddyfile);
    return spawnSync(testProgram('caddy'), ['adapt', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8', env: caddyEnvironment(dir) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
