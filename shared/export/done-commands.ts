/**
 * The commands the Done step prints, built from what the export really wrote: they run as printed in the
 * export folder on the server (the single-file CLI is in tools/), or inside the n8n container.
 */
import type { ExportProject } from './plan-export.js';
import { TOOL_FILE } from './tool-file.js';

export interface DoneCommandsInput {
  project: ExportProject;
  /** The paths the export wrote or left unchanged. */
  files: readonly string[];
  /** The test recipient (empty: a placeholder the admin replaces). */
  to: string;
  smtp: boolean;
}

export interface ProxyFileUse {
  file: string;
  use: string;
}

export interface DoneCommands {
  up: string;
  /** The SMTP test in the export folder, with the server's Node. */
  hostTest?: string;
  /** The same test inside the n8n container, with the image's Node: the container's network is n8n's. */
  containerTest?: string;
  /** Without the single-file CLI in the folder: the tests need an installed n8n-setup. */
  toolMissing: boolean;
  proxy: ProxyFileUse[];
}

const CONTAINER_TOOL = '/tmp/n8n-setup.cjs';

export function doneCommands(input: DoneCommandsInput): DoneCommands {
  const { project, files } = input;
  // Export reads a project as Compose finds it in the folder (a default file name and its override, or the
  // files .env's COMPOSE_FILE lists), so plain `docker compose` there loads the same files; a -f would drop the others.
  const compose = 'docker compose';
  const service = shellWord(project.service);
  const to = input.to ? shellWord(input.to) : 'you@example.com';
  const hasTool = files.includes(TOOL_FILE);
  const tool = hasTool ? `node ${TOOL_FILE}` : 'n8n-setup';
  return {
    up: `${compose} up -d`,
    ...(input.smtp && {
      hostTest: `${tool} smtp-test --env .env --compose ${shellWord(project.composeFile)} --to ${to}`,
      ...(hasTool && { containerTest: `${compose} cp ${TOOL_FILE} ${service}:${CONTAINER_TOOL} && ${compose} exec ${service} node ${CONTAINER_TOOL} smtp-test --from-env --to ${to}` }),
    }),
    toolMissing: input.smtp && !hasTool,
    proxy: files.flatMap((file) => {
      const use = proxyFileUse(file);
      return use ? [{ file, use }] : [];
    }),
  };
}

function proxyFileUse(file: string): string | undefined {
  if (file === 'proxy/n8n.conf') return 'nginx: copy it to /etc/nginx/conf.d/ (or paste its server block into your site), then run nginx -t && systemctl reload nginx.';
  if (file === 'proxy/Caddyfile') return 'Caddy on the host: paste its site block into your Caddyfile, then run caddy reload (or systemctl reload caddy).';
  if (file === 'proxy/n8n-traefik.yaml') return "Traefik: put it in the folder of Traefik's file provider (providers.file.directory); Traefik picks it up by itself.";
  if (file === 'proxy/Caddyfile.n8n') return 'Your Caddyfile was kept: paste this n8n site into it, then reload Caddy.';
  if (file === 'Caddyfile' || /(^|\/)Caddyfile$/.test(file)) return 'Read by the caddy service of the compose file: the command above starts it, and it gets the certificate by itself.';
  return undefined;
}

/** One word for a POSIX shell: as is when it is plain, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
