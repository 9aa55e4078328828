/**
 * The real n8n the acceptance tier runs, installed by scripts/prepare-n8n.sh into a cache folder (it is
 * ~3 GB, so it is not one of the project's dependencies). Missing → the tier fails and names the script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const N8N_VERSION = process.env.N8N_VERSION ?? '2.41.1';

export interface PreparedN8n {
  version: string;
  /** The folder holding node_modules/n8n. */
  installDir: string;
  /** The Node binary that built its native modules: n8n must run under the same one. */
  node: string;
}

export function preparedN8n(): PreparedN8n {
  const cache = process.env.N8N_SETUP_CACHE ?? join(homedir(), '.cache', 'n8n-setup');
  const installDir = join(cache, `n8n-${N8N_VERSION}`);
  const marker = join(installDir, 'prepared.json');
  if (!existsSync(marker)) {
    throw new Error(`n8n ${N8N_VERSION} is not installed in ${installDir}. Run scripts/prepare-n8n.sh first (about 3 GB, a few minutes; reused afterwards).`);
  }
  const prepared = JSON.parse(readFileSync(marker, 'utf8')) as { n8nVersion: string; node: string };
  if (!existsSync(prepared.node)) {
    throw new Error(`The Node that installed n8n (${prepared.node}) is gone. Run scripts/prepare-n8n.sh again.`);
  }
  return { version: prepared.n8nVersion, installDir, node: prepared.node };
}
