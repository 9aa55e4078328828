import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerComposeConfig, dockerComposeServices, undoubleDollars } from '../../test/support/docker-compose-v1.js';
import { DOCKER_COMPOSE_V1, requireTool } from '../../test/support/external-tools.js';
import { n8nSpec, PROJECT_FILES, SMTP_PASS_SECRET } from '../../test/fixtures/compose/n8n-spec.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { buildComposeFile } from './build-compose-file.js';
import type { N8nServiceSpec } from './compose-spec.js';

const caddy = { kind: 'caddy', host: 'n8n.example.com', acmeEmail: 'admin@example.com' } as const;
const traefik = { kind: 'traefik', host: 'n8n.example.com', acmeEmail: 'admin@example.com' } as const;

const specs: Record<string, N8nServiceSpec> = {
  none: n8nSpec({ ports: ['5678:5678'], proxy: { kind: 'none' } }),
  external: n8nSpec({ proxy: { kind: 'external' } }),
  caddy: n8nSpec({ ports: [], proxy: caddy }),
  traefik: n8nSpec({ ports: [], proxy: traefik }),
  'traefik on a sub-path': n8nSpec({ ports: [], proxy: { ...traefik, pathPrefix: '/n8n/' } }),
};

type Config = { services: Record<string, Record<string, unknown>>; volumes?: Record<string, unknown>; secrets?: Record<string, { file: string }> };

describe('buildComposeFile — a new compose.yaml', () => {
  it('writes compose.yaml in the layout n8n documents, with a header saying how to apply changes', () => {
    const { fileName, text, warnings } = buildComposeFile(undefined, specs.none!);
    expect(fileName).toBe('compose.yaml');
    expect(warnings).toEqual([]);
    expect(text).toBe(`# Written by n8n Setup, which changes only the n8n entries it manages and keeps everything else.
# Apply changes with \`docker compose up -d\`: \`docker compose restart\` does not re-read this file or .env.

services:
  n8n:
    image: "docker.n8n.io/n8nio/n8n:2.41.1"
    restart: unless-stopped
    env_file:
      - ".env"
    environment:
      GENERIC_TIMEZONE: "Europe/Berlin"
      TZ: "Europe/Berlin"
      N8N_SMTP_PASS_FILE: "/run/secrets/n8n_smtp_pass"
      N8N_UM_EMAIL_TEMPLATES_INVITE: "/opt/n8n-templates/invite.html"
    ports:
      - "5678:5678"
    volumes:
      - n8n_data:/home/node/.n8n
      - "./templates:/opt/n8n-templates:ro"
    secrets:
      - n8n_smtp_pass

volumes:
  n8n_data: {}

secrets:
  n8n_smtp_pass:
    file: "./secrets/n8n_smtp_pass"
`);
  });

  it('lists what it wrote in changedKeys', () => {
    expect(buildComposeFile(undefined, specs.none!).changedKeys).toEqual([
      'services.n8n.image',
      'services.n8n.restart',
      'services.n8n.env_file',
      'services.n8n.environment.GENERIC_TIMEZONE',
      'services.n8n.environment.TZ',
      'services.n8n.environment.N8N_SMTP_PASS_FILE',
      'services.n8n.environment.N8N_UM_EMAIL_TEMPLATES_INVITE',
      'services.n8n.ports',
      `services.n8n.volumes.${CONTAINER.dataVolume}`,
      `services.n8n.volumes.${CONTAINER.templatesDir}`,
      `services.n8n.secrets.${SMTP_PASS_SECRET}`,
      'volumes.n8n_data',
      `secrets.${SMTP_PASS_SECRET}`,
    ]);
  });

  for (const [mode, spec] of Object.entries(specs)) {
    it(`is its own fixed point (${mode}): building from the output changes nothing`, () => {
      const first = buildComposeFile(undefined, spec);
      const second = buildComposeFile({ name: first.fileName, text: first.text }, spec);
      expect(second.text).toBe(first.text);
      expect(second.changedKeys).toEqual([]);
      expect(second.warnings).toEqual([]);
    });

    it(`is accepted by docker-compose v1, which reads the intended values (${mode})`, (context) => {
      requireTool(context, DOCKER_COMPOSE_V1);
      const { text } = buildComposeFile(undefined, spec);
      const config = dockerComposeConfig({ ...PROJECT_FILES, 'compose.yaml': text }, ['compose.yaml']);
      const printed = Object.entries(config.services.n8n!.environment!).map(([key, value]) => [key, undoubleDollars(String(value))]);
      expect(Object.fromEntries(printed)).toEqual(spec.environment);
      const services = dockerComposeServices({ ...PROJECT_FILES, 'compose.yaml': text }, ['compose.yaml']);
      expect(services.n8n!.environment).toEqual(spec.environment);
      expect(services.n8n!.image).toBe(spec.image);
    });
  }

  it('publishes no n8n port behind a bundled proxy: caddy reaches n8n over the compose network', () => {
    const config = parse(buildComposeFile(undefined, specs.caddy!).text) as Config;
    expect(config.services.n8n!.ports).toBeUndefined();
  });

  it('caddy: adds caddy:2 on 80, 443 and 443/udp with the Caddyfile mounted read-only and its two volumes', () => {
    const config = parse(buildComposeFile(undefined, specs.caddy!).text) as Config;
    expect(config.services.caddy).toEqual({
      image: 'caddy:2',
      restart: 'unless-stopped',
      ports: ['80:80', '443:443', '443:443/udp'],
      volumes: ['./Caddyfile:/etc/caddy/Caddyfile:ro', 'caddy_data:/data', 'caddy_config:/config'],
    });
    expect(Object.keys(config.volumes!)).toEqual(['n8n_data', 'caddy_data', 'caddy_config']);
  });

  it('traefik: adds traefik:v3 with https redirect, Let\'s Encrypt TLS challenge and only labelled containers routed', () => {
    const config = parse(buildComposeFile(undefined, specs.traefik!).text) as Config;
    const service = config.services.traefik as { command: string[]; volumes: string[]; ports: string[] };
    expect(service.command).toEqual(
      expect.arrayContaining([
        '--providers.docker.exposedbydefault=false',
        '--entrypoints.websecure.address=:443',
        '--entrypoints.web.http.redirections.entrypoint.to=websecure',
        '--entrypoints.web.http.redirections.entrypoint.scheme=https',
        '--certificatesresolvers.letsencrypt.acme.tlschallenge=true',
        '--certificatesresolvers.letsencrypt.acme.email=admin@example.com',
      ]),
    );
    expect(service.volumes).toEqual(['traefik_data:/letsencrypt', '/var/run/docker.sock:/var/run/docker.sock:ro']);
    expect(service.ports).toEqual(['80:80', '443:443']);
    expect(config.services.n8n!.labels).toEqual({
      'traefik.enable': 'true',
      'traefik.http.routers.n8n.rule': 'Host(`n8n.example.com`)',
      'traefik.http.routers.n8n.entrypoints': 'websecure',
      'traefik.http.routers.n8n.tls.certresolver': 'letsencrypt',
      'traefik.http.services.n8n.loadbalancer.server.port': '5678',
    });
  });

  it('traefik on a sub-path: routes the prefix, redirects the bare prefix and strips it (labels as compose reads them)', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    const { text } = buildComposeFile(undefined, specs['traefik on a sub-path']!);
    const labels = dockerComposeServices({ ...PROJECT_FILES, 'compose.yaml': text }, ['compose.yaml']).n8n!.labels!;
    expect(labels).toMatchObject({
      'traefik.http.routers.n8n.rule': 'Host(`n8n.example.com`) && (Path(`/n8n`) || PathPrefix(`/n8n/`))',
      'traefik.http.routers.n8n.middlewares': 'n8n-addslash,n8n-stripprefix',
      'traefik.http.middlewares.n8n-addslash.redirectregex.regex': '^(https?://[^/]+/n8n)$',
      'traefik.http.middlewares.n8n-addslash.redirectregex.replacement': '${1}/',
      'traefik.http.middlewares.n8n-stripprefix.stripprefix.prefixes': '/n8n',
    });
  });

  it('spells admin-supplied values so that compose interpolation leaves them alone ($ in values, paths and the ACME e-mail)', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    const spec = n8nSpec({
      environment: { GENERIC_TIMEZONE: 'Etc/UTC', NODE_EXTRA_CA_CERTS: '/opt/custom-certificates/$corp ca.pem' },
      mounts: [{ source: './certs $HOME', target: CONTAINER.certificatesDir, readOnly: true }],
      ports: [],
      proxy: { ...traefik, acmeEmail: 'ad$min@example.com' },
    });
    const services = dockerComposeServices({ ...PROJECT_FILES, 'compose.yaml': buildComposeFile(undefined, spec).text }, ['compose.yaml']);
    expect(services.n8n!.environment).toEqual(spec.environment);
    expect(JSON.stringify(services.n8n!.volumes)).toContain('certs $HOME');
    expect(services.traefik!.command).toContain('--certificatesresolvers.letsencrypt.acme.email=ad$min@example.com');
  });

  it('writes a mount whose path holds ":" in long syntax, which compose cannot misread', () => {
    const spec = n8nSpec({ mounts: [{ source: 'C:\\n8n\\templates', target: CONTAINER.templatesDir, readOnly: true }] });
    const config = parse(buildComposeFile(undefined, spec).text) as Config;
    expect(config.services.n8n!.volumes).toContainEqual({ type: 'bind', source: 'C:\\n8n\\templates', target: CONTAINER.templatesDir, read_only: true });
    const text = buildComposeFile(undefined, spec).text;
    expect(buildComposeFile({ name: 'compose.yaml', text }, spec).text).toBe(text);
  });
});

describe('buildComposeFile — the spec', () => {
  it('refuses a secret that is not named after a managed …_FILE variable (it could never be removed again)', () => {
    const spec = n8nSpec({ secrets: [{ name: 'smtp_password', file: './secrets/smtp_password' }] });
    expect(() => buildComposeFile(undefined, spec)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses an environment key that is not a variable name', () => {
    const spec = n8nSpec({ environment: { 'N8N SMTP': 'x' } });
    expect(() => buildComposeFile(undefined, spec)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('refuses a bundled proxy host that is not a host name', () => {
    const spec = n8nSpec({ proxy: { ...caddy, host: 'https://n8n.example.com/' } });
    expect(() => buildComposeFile(undefined, spec)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
