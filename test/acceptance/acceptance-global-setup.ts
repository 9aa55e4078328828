/**
 * Before the tier: fail at once, with the fix, when it cannot run here (not root, n8n not prepared), and build
 * the single-file CLI the tests run inside n8n's container view. After: print how long the tier took.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { preparedN8n } from './prepared-n8n.js';
import { requireRoot } from './run-in-container.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The tier's own copy of dist/n8n-setup.cjs, readable by uid 1000. */
    cliBundle: string;
  }
}

export default function setup(project: TestProject): () => void {
  const started = Date.now();
  requireRoot();
  const n8n = preparedN8n();
  console.log(`Acceptance tier: n8n ${n8n.version} from ${n8n.installDir}, Node ${n8n.node}`);

  const root = fileURLToPath(new URL('../..', import.meta.url));
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: 'inherit' });
  // A copy: another build in this checkout (npm test) must not swap the bundle under a running tier.
  const dir = mkdtempSync(join(tmpdir(), 'n8n-acceptance-cli-'));
  chmodSync(dir, 0o755);
  const bundle = join(dir, 'n8n-setup.cjs');
  copyFileSync(join(root, 'dist/n8n-setup.cjs'), bundle);
  chmodSync(bundle, 0o644);
  project.provide('cliBundle', bundle);

  return () => {
    rmSync(dir, { recursive: true, force: true });
    console.log(`Acceptance tier finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
}
