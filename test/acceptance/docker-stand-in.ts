/**
 * Prepares the `docker` stand-in (docker-stand-in/docker) for an exported folder: the container of its
 * n8n service as Compose would start it (container-view.ts), with the image's Node at /usr/local/bin/node.
 * Put `bin` first on PATH and hand `env` to the shell that runs the copied commands. Needs root.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testProgram } from '../../scripts/test-programs.mjs';
import { containerSpec } from './container-view.js';
import { requireRoot } from './run-in-container.js';

export interface DockerStandIn {
  bin: string;
  env: Record<string, string>;
  scratch: string;
}

const BIN = fileURLToPath(new URL('./docker-stand-in/', import.meta.url));

export function dockerStandIn(projectDir: string, options: { composeFile?: string; service: string }): DockerStandIn {
  requireRoot();
  const scratch = mkdtempSync(join(tmpdir(), 'n8n-setup-docker-'));
  chmodSync(scratch, 0o755);
  const empty = mkdtempSync(join(scratch, 'empty-'));
  chmodSync(empty, 0o755);
  const composeFile = options.composeFile ?? 'compose.yaml';
  const spec = containerSpec(projectDir, { scratch, home: empty, n8nInstallDir: empty, node: process.execPath, cliBundle: empty }, { brokerPort: 5679 }, { composeFile, service: options.service });
  // What the image has and the harness's own paths are not: Node where the image keeps it, nothing of the harness.
  const mounts = spec.mounts.filter((m) => !m.target.startsWith('/opt/n8n-acceptance'));
  mounts.push({ source: process.execPath, target: '/usr/local/bin/node', readOnly: true });
  const state = join(scratch, 'state.json');
  const environment = Object.fromEntries(Object.entries(spec.environment).filter(([name]) => !/^(N8N_RUNNERS_BROKER_|N8N_DIAGNOSTICS_|N8N_VERSION_NOTIFICATIONS_)/.test(name)));
  writeFileSync(
    state,
    JSON.stringify({
      projectDir,
      composeFile,
      scratch,
      unshare: testProgram('unshare'),
      enter: fileURLToPath(new URL('./enter-container.sh', import.meta.url)),
      services: { [options.service]: { environment, mounts, uid: spec.uid } },
    }),
  );
  return { bin: BIN, env: { DOCKER_STAND_IN: state, PATH: `${BIN}:${dirname(process.execPath)}:/usr/bin:/bin` }, scratch };
}
