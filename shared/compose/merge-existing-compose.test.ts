import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerComposeConfig, dockerComposeServices } from '../../test/support/docker-compose-v1.js';
import { DOCKER_COMPOSE_V1, requireTool } from '../../test/support/external-tools.js';
import { lineDiff } from '../../test/fixtures/compose/line-diff.js';
import { n8nSpec, PROJECT_FILES, SMTP_PASS_SECRET } from '../../test/fixtures/compose/n8n-spec.js';
import { readComposeFixture } from '../../test/fixtures/compose/read-fixture.js';
import { CONTAINER } from '../n8n/n8n-variables.js';
import { buildComposeFile } from './build-compose-file.js';
import type { N8nServiceSpec } from './compose-spec.js';

interface InPlaceCase {
  fixture: string;
  what: string;
  spec: N8nServiceSpec;
  service: string;
  removed: string[];
  added: string[];
  warnings: string[];
}

const traefikSpec = n8nSpec({ ports: [], proxy: { kind: 'traefik', host: 'n8n.example.com', acmeEmail: 'admin@example.com' } });

const TEMPLATE_MOUNT = `"./templates:${CONTAINER.templatesDir}:ro"`;
const ADDED_SECRET_SECTION = ['secrets:', `  ${SMTP_PASS_SECRET}:`, `    file: "./secrets/${SMTP_PASS_SECRET}"`];
/** The entries added at the end of an n8n service indented by 4 with lists indented by 2. */
const ADDED_SERVICE_TAIL = ['    env_file:', '      - ".env"', '    secrets:', `      - ${SMTP_PASS_SECRET}`];
const ADDED_LIST_ENVIRONMENT = [
  '      - "GENERIC_TIMEZONE=Europe/Berlin"',
  '      - "TZ=Europe/Berlin"',
  '      - "N8N_SMTP_PASS_FILE=/run/secrets/n8n_smtp_pass"',
  '      - "N8N_UM_EMAIL_TEMPLATES_INVITE=/opt/n8n-templates/invite.html"',
];

const inPlace: InPlaceCase[] = [
  {
    fixture: 'n8n-docs-traefik',
    what: "n8n docs' Traefik example (docker-compose.yml, list-form environment and labels)",
    spec: traefikSpec,
    service: 'n8n',
    removed: [
      '    image: docker.n8n.io/n8nio/n8n',
      '      - traefik.http.routers.n8n.rule=Host(`${SUBDOMAIN}.${DOMAIN_NAME}`)',
      '      - N8N_HOST=${SUBDOMAIN}.${DOMAIN_NAME}',
      '      - N8N_PROTOCOL=https',
      '      - WEBHOOK_URL=https://${SUBDOMAIN}.${DOMAIN_NAME}/',
      '      - GENERIC_TIMEZONE=${GENERIC_TIMEZONE}',
    ],
    added: [
      '    image: "docker.n8n.io/n8nio/n8n:2.41.1"',
      '      - "traefik.http.routers.n8n.rule=Host(`n8n.example.com`)"',
      '      - "traefik.http.services.n8n.loadbalancer.server.port=5678"',
      ...ADDED_LIST_ENVIRONMENT,
      `      - ${TEMPLATE_MOUNT}`,
      ...ADDED_SERVICE_TAIL,
      ...ADDED_SECRET_SECTION,
      '',
    ],
    warnings: [],
  },
  {
    fixture: 'postgres-with-comments',
    what: 'Postgres + n8n with comments everywhere, 4-space maps and unindented lists',
    spec: n8nSpec(),
    service: 'n8n',
    removed: [
      '        image: docker.n8n.io/n8nio/n8n:1.64.0   # bump together with the runbook',
      '            N8N_SMTP_HOST: smtp.old-provider.example   # legacy relay',
      '            N8N_SMTP_PASS: "hunter2"',
      '            N8N_SMTP_PORT: 25',
    ],
    added: [
      '        image: "docker.n8n.io/n8nio/n8n:2.41.1"   # bump together with the runbook',
      '            N8N_SMTP_PASS_FILE: "/run/secrets/n8n_smtp_pass"',
      '            N8N_UM_EMAIL_TEMPLATES_INVITE: "/opt/n8n-templates/invite.html"',
      `        - ${TEMPLATE_MOUNT}`,
      '        env_file:',
      '        - ".env"',
      '        secrets:',
      `        - ${SMTP_PASS_SECRET}`,
      'secrets:',
      `    ${SMTP_PASS_SECRET}:`,
      `        file: "./secrets/${SMTP_PASS_SECRET}"`,
      '',
    ],
    warnings: [],
  },
  {
    fixture: 'environment-list',
    what: 'environment in list form, with quoted items, a pass-through key and 5678 published on all interfaces',
    spec: n8nSpec(),
    service: 'n8n',
    removed: [
      '    image: n8nio/n8n:latest',
      '      - N8N_HOST=automation.example.org',
      '      - N8N_PROTOCOL=https',
      '      - N8N_SMTP_HOST=smtp.mailgun.org',
      '      - N8N_SMTP_PORT=587',
      '      - N8N_SMTP_SSL=false',
      '      - "N8N_SMTP_USER=postmaster@mg.example.org"',
      '      - N8N_SMTP_PASS          # taken from the shell',
      "      - 'N8N_SMTP_SENDER=n8n <n8n@example.org>'",
      '      - GENERIC_TIMEZONE=America/Chicago',
    ],
    added: [
      '    image: "docker.n8n.io/n8nio/n8n:2.41.1"',
      ...ADDED_LIST_ENVIRONMENT,
      `      - ${TEMPLATE_MOUNT}`,
      ...ADDED_SERVICE_TAIL,
      ...ADDED_SECRET_SECTION,
      '',
    ],
    warnings: ['COMPOSE_PORT_PUBLIC'],
  },
  {
    fixture: 'anchors',
    what: 'anchors, aliases and a << merge key in the n8n environment',
    spec: n8nSpec(),
    service: 'n8n',
    removed: ['      N8N_PROTOCOL: https', '      N8N_SMTP_PASS: old-secret', '    volumes: [n8n_data:/home/node/.n8n]'],
    added: [
      '      GENERIC_TIMEZONE: "Europe/Berlin"',
      '      TZ: "Europe/Berlin"',
      '      N8N_SMTP_PASS_FILE: "/run/secrets/n8n_smtp_pass"',
      '      N8N_UM_EMAIL_TEMPLATES_INVITE: "/opt/n8n-templates/invite.html"',
      `    volumes: [ n8n_data:/home/node/.n8n, ${TEMPLATE_MOUNT} ]`,
      ...ADDED_SERVICE_TAIL,
      ...ADDED_SECRET_SECTION,
      '',
    ],
    warnings: ['COMPOSE_MANAGED_KEY_IN_ANCHOR'],
  },
  {
    fixture: 'windows-flow',
    what: 'docker-compose.yaml with CRLF line endings and flow collections',
    spec: n8nSpec(),
    service: 'n8n',
    removed: [
      '    image: "n8nio/n8n:2.41.1"\r',
      '    env_file: [ stack.env ]\r',
      '    environment: { N8N_PROTOCOL: https, N8N_SMTP_PASS: "x" }\r',
      '      - ./old-templates:/opt/n8n-templates:ro\r',
    ],
    added: [
      '    image: "docker.n8n.io/n8nio/n8n:2.41.1"\r',
      '    env_file: [ stack.env, ".env" ]\r',
      '    environment: { GENERIC_TIMEZONE: "Europe/Berlin", TZ: "Europe/Berlin", N8N_SMTP_PASS_FILE: "/run/secrets/n8n_smtp_pass", N8N_UM_EMAIL_TEMPLATES_INVITE: "/opt/n8n-templates/invite.html" }\r',
      `      - ${TEMPLATE_MOUNT}\r`,
      '    secrets:\r',
      `      - ${SMTP_PASS_SECRET}\r`,
      '\r',
      ...ADDED_SECRET_SECTION.map((line) => `${line}\r`),
    ],
    warnings: [],
  },
  {
    fixture: 'existing-override',
    what: 'an override file this tool wrote into before (compose.override.yaml)',
    spec: n8nSpec(),
    service: 'n8n',
    removed: ['      N8N_SMTP_HOST: smtp.example.com'],
    added: [
      '      GENERIC_TIMEZONE: "Europe/Berlin"',
      '      TZ: "Europe/Berlin"',
      '      N8N_SMTP_PASS_FILE: "/run/secrets/n8n_smtp_pass"',
      '      N8N_UM_EMAIL_TEMPLATES_INVITE: "/opt/n8n-templates/invite.html"',
      '    env_file:',
      '      - ".env"',
      '    volumes:',
      `      - ${TEMPLATE_MOUNT}`,
      '    secrets:',
      `      - ${SMTP_PASS_SECRET}`,
      '',
      ...ADDED_SECRET_SECTION,
    ],
    warnings: [],
  },
];

type Doc = { services: Record<string, Record<string, unknown>>; [key: string]: unknown };

/** The document as compose reads it, without the entries this tool manages: must not change in a merge. */
function withoutManagedEntries(text: string, service: string, spec: N8nServiceSpec): Doc {
  const doc = parse(text, { merge: true }) as Doc;
  const managed = new Set([...spec.managedEnvironment, ...Object.keys(spec.environment)]);
  const n8n = doc.services[service]!;
  for (const field of ['image', 'env_file', 'secrets']) delete n8n[field];
  if (!('ports' in n8n) || (n8n.ports as unknown[]).length === 0) delete n8n.ports;
  const environment = n8n.environment;
  if (Array.isArray(environment)) n8n.environment = environment.filter((entry: string) => !managed.has(entry.split('=')[0]!));
  else if (environment) n8n.environment = Object.fromEntries(Object.entries(environment).filter(([key]) => !managed.has(key)));
  if (Array.isArray(n8n.volumes)) n8n.volumes = n8n.volumes.filter((entry) => !String(entry).includes(CONTAINER.templatesDir));
  if (Array.isArray(n8n.volumes) && n8n.volumes.length === 0) delete n8n.volumes;
  if (Array.isArray(n8n.labels)) n8n.labels = n8n.labels.filter((label: string) => !/^traefik\.http\.(routers\.n8n\.rule|services\.n8n\.)/.test(label));
  const secrets = doc.secrets as Record<string, unknown> | undefined;
  if (secrets) delete secrets[SMTP_PASS_SECRET];
  if (secrets && Object.keys(secrets).length === 0) delete doc.secrets;
  return doc;
}

describe('buildComposeFile — merging into an existing compose file', () => {
  for (const c of inPlace) {
    describe(c.what, () => {
      const existing = readComposeFixture(c.fixture);
      const result = buildComposeFile(existing, c.spec);

      it('writes the same file back, changing only the n8n entries it manages (exact line diff)', () => {
        expect(result.fileName).toBe(existing.name);
        expect(lineDiff(existing.text, result.text)).toEqual({ removed: c.removed, added: c.added });
      });

      it('keeps every comment verbatim', () => {
        const comments = existing.text.split('\n').filter((line) => /(^|\s)#/.test(line) && !c.removed.includes(line));
        const lines = result.text.split('\n');
        for (const comment of comments) expect(lines).toContain(comment);
      });

      it('leaves everything else as compose reads it: other services, sections and unmanaged n8n entries', () => {
        expect(withoutManagedEntries(result.text, c.service, c.spec)).toEqual(withoutManagedEntries(existing.text, c.service, c.spec));
      });

      it('reports what changed and the warnings that apply', () => {
        expect(result.changedKeys).toContain(`services.${c.service}.environment.N8N_SMTP_PASS_FILE`);
        expect(result.changedKeys).toContain(`secrets.${SMTP_PASS_SECRET}`);
        expect(result.warnings.map((warning) => warning.code)).toEqual(c.warnings);
      });

      it('is idempotent: a second build with the same spec returns identical text', () => {
        const again = buildComposeFile({ name: result.fileName, text: result.text }, c.spec);
        expect(again.text).toBe(result.text);
        expect(again.changedKeys).toEqual([]);
      });
    });
  }

  it('keeps CRLF line endings on every line it writes', () => {
    const { text } = buildComposeFile(readComposeFixture('windows-flow'), n8nSpec());
    expect(text.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('keeps the other env_file entries and puts the managed .env last (later files win)', () => {
    const { text } = buildComposeFile(readComposeFixture('windows-flow'), n8nSpec());
    expect((parse(text) as Doc).services.n8n!.env_file).toEqual(['stack.env', '.env']);
  });

  it('keeps anchors and aliases; a managed key merged in from an anchor is reported, not removed', () => {
    const existing = readComposeFixture('anchors');
    const result = buildComposeFile(existing, n8nSpec());
    for (const token of ['&default-logging', '&n8n-env', '*default-logging', '*n8n-env', '<<: *n8n-env']) {
      expect(result.text.split(token).length).toBe(existing.text.split(token).length);
    }
    expect(result.warnings[0]!.message).toContain('N8N_SMTP_HOST');
  });

  it('leaves Traefik labels the admin set for the n8n router alone (entry points, resolver, their middleware)', () => {
    const result = buildComposeFile(readComposeFixture('n8n-docs-traefik'), traefikSpec);
    expect(result.text).toContain('      - traefik.http.routers.n8n.entrypoints=web,websecure\n');
    expect(result.text).toContain('      - traefik.http.routers.n8n.tls.certresolver=mytlschallenge\n');
    expect(result.text).toContain('      - traefik.http.routers.n8n.middlewares=n8n@docker\n');
    expect(result.changedKeys).not.toContain('services.traefik');
  });

  it('warns when n8n is published on every interface although a proxy fronts it', () => {
    const { warnings } = buildComposeFile(readComposeFixture('environment-list'), n8nSpec());
    expect(warnings).toEqual([expect.objectContaining({ code: 'COMPOSE_PORT_PUBLIC', message: expect.stringContaining('127.0.0.1:5678:5678') })]);
  });

  it('takes away what the spec no longer wants: its secret (reference and definition), its mount, managed variables', () => {
    const first = buildComposeFile(undefined, n8nSpec());
    const result = buildComposeFile({ name: first.fileName, text: first.text }, n8nSpec({ secrets: [], mounts: [], environment: { TZ: 'UTC' } }));
    const doc = parse(result.text) as Doc;
    expect(doc.services.n8n!.environment).toEqual({ TZ: 'UTC' });
    expect(doc.services.n8n!.volumes).toEqual([`n8n_data:${CONTAINER.dataVolume}`]);
    expect(doc.services.n8n).not.toHaveProperty('secrets');
    expect(doc).not.toHaveProperty('secrets');
  });

  it('keeps a mount or secret of the admin\'s own that is not this tool\'s', () => {
    const text = 'services:\n  n8n:\n    image: n8nio/n8n\n    volumes:\n      - ./files:/files\n    secrets:\n      - db_password\nsecrets:\n  db_password:\n    file: ./db.txt\n';
    const doc = parse(buildComposeFile({ name: 'compose.yaml', text }, n8nSpec({ secrets: [], mounts: [] })).text) as Doc;
    expect(doc.services.n8n!.volumes).toEqual(['./files:/files']);
    expect(doc.services.n8n!.secrets).toEqual(['db_password']);
    expect(doc.secrets).toEqual({ db_password: { file: './db.txt' } });
  });

  it('adds a bundled caddy service and its volumes to an existing file, in the file\'s layout', () => {
    const existing = readComposeFixture('postgres-with-comments');
    const spec = n8nSpec({ ports: [], proxy: { kind: 'caddy', host: 'n8n.example.com', acmeEmail: 'admin@example.com' } });
    const result = buildComposeFile(existing, spec);
    expect(result.text).toContain('\n\n    caddy:\n        image: caddy:2\n        restart: unless-stopped\n        ports:\n        - "80:80"\n');
    expect(result.text).toContain('    n8n_storage:\n    caddy_data: {}\n    caddy_config: {}\n');
    expect(result.changedKeys).toEqual(expect.arrayContaining(['services.caddy', 'volumes.caddy_data', 'volumes.caddy_config']));
    expect(buildComposeFile({ name: existing.name, text: result.text }, spec).text).toBe(result.text);
  });

  it('adds traefik and the n8n labels to a file without a proxy, and no second proxy when 80/443 are taken', () => {
    const spec = n8nSpec({ ports: [], proxy: { kind: 'traefik', host: 'n8n.example.com', acmeEmail: 'admin@example.com', pathPrefix: '/n8n/' } });
    const added = parse(buildComposeFile(readComposeFixture('postgres-with-comments'), spec).text) as Doc;
    expect(added.services.traefik).toMatchObject({ image: 'traefik:v3' });
    expect(added.services.n8n!.labels).toMatchObject({ 'traefik.http.routers.n8n.middlewares': 'n8n-addslash,n8n-stripprefix' });
    const taken = 'services:\n  n8n:\n    image: n8nio/n8n\n  web:\n    image: nginx\n    ports: ["443:443"]\n';
    const result = buildComposeFile({ name: 'compose.yaml', text: taken }, spec);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['COMPOSE_PROXY_PORTS_TAKEN', 'COMPOSE_NO_DATA_VOLUME']);
    expect(result.text).not.toContain('traefik:v3');
  });

  describe('as docker-compose v1 reads the result', () => {
    const base = { name: 'compose.yaml', text: 'services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n:2.41.1\n' };
    for (const c of inPlace) {
      it(`${c.fixture}: n8n gets exactly the managed values and keeps the others`, (context) => {
        requireTool(context, DOCKER_COMPOSE_V1);
        const result = buildComposeFile(readComposeFixture(c.fixture), c.spec);
        const files = c.fixture === 'existing-override' ? [base.name, result.fileName] : [result.fileName];
        const project = { ...PROJECT_FILES, '.env': 'POSTGRES_PASSWORD=example\n', 'stack.env': '', [base.name]: base.text };
        const services = dockerComposeServices({ ...project, [result.fileName]: result.text }, files);
        const environment = services[c.service]!.environment!;
        expect(environment).toMatchObject(c.spec.environment);
        const stale = Object.keys(environment).filter((key) => c.spec.managedEnvironment.includes(key) && !(key in c.spec.environment));
        expect(stale).toEqual(c.fixture === 'anchors' ? ['N8N_SMTP_HOST'] : []);
        expect(JSON.stringify(services[c.service]!.secrets)).toContain(`"${SMTP_PASS_SECRET}"`);
      });
    }
  });
});

describe('buildComposeFile — when the n8n service cannot be edited in place', () => {
  it('writes docker-compose.override.yml when several services run n8n (queue mode), naming them', () => {
    const existing = readComposeFixture('queue-mode');
    const result = buildComposeFile(existing, n8nSpec());
    expect(result.fileName).toBe('docker-compose.override.yml');
    expect(result.warnings[0]).toMatchObject({ code: 'COMPOSE_OVERRIDE_WRITTEN', message: expect.stringContaining('n8n, n8n-worker') });
    expect(result.text).not.toContain('image:');
  });

  it('tells the admin which managed variables the base file still sets, since an override cannot unset them', () => {
    const result = buildComposeFile(readComposeFixture('queue-mode'), n8nSpec());
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'COMPOSE_MANUAL_REMOVAL', message: expect.stringContaining('N8N_SMTP_PASS') }));
  });

  it('the override merges into the n8n service and leaves the worker alone (docker-compose v1)', (context) => {
    requireTool(context, DOCKER_COMPOSE_V1);
    const existing = readComposeFixture('queue-mode');
    const result = buildComposeFile(existing, n8nSpec());
    const files = { ...PROJECT_FILES, [existing.name]: existing.text, [result.fileName]: result.text };
    const services = dockerComposeServices(files, [existing.name, result.fileName]);
    expect(services.n8n!.environment).toMatchObject(n8nSpec().environment);
    expect(services['n8n-worker']!.environment).not.toHaveProperty('N8N_SMTP_PASS_FILE');
    expect(dockerComposeConfig(files, [existing.name, result.fileName]).services.n8n).toBeDefined();
  });

  it('writes compose.override.yaml when no service runs n8n\'s image or is named n8n (a custom build)', () => {
    const result = buildComposeFile(readComposeFixture('custom-build'), n8nSpec());
    expect(result.fileName).toBe('compose.override.yaml');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'COMPOSE_OVERRIDE_WRITTEN', message: expect.stringContaining('no service') })]);
  });

  it('writes compose.override.yaml when the file is not valid YAML, quoting the parser', () => {
    const result = buildComposeFile(readComposeFixture('unparseable'), n8nSpec());
    expect(result.fileName).toBe('compose.override.yaml');
    expect(result.warnings[0]!.message).toContain('Tabs are not allowed');
  });

  it('writes an override when the n8n environment comes from a << merge key shared with other services', () => {
    const text = 'x-base: &base\n  image: n8nio/n8n\n  environment:\n    A: "1"\nservices:\n  n8n:\n    <<: *base\n  other:\n    image: alpine\n    environment: {}\n';
    const result = buildComposeFile({ name: 'compose.yml', text }, n8nSpec());
    expect(result.fileName).toBe('compose.override.yml');
    expect(result.warnings[0]!.message).toContain('<< merge key');
  });

  it('the override is idempotent too, once passed back as the existing file', () => {
    const first = buildComposeFile(readComposeFixture('custom-build'), n8nSpec());
    const again = buildComposeFile({ name: first.fileName, text: first.text }, n8nSpec());
    expect(again.text).toBe(first.text);
    expect(again.changedKeys).toEqual([]);
  });

  it('writes an override when a << merge key cannot be resolved', () => {
    const result = buildComposeFile({ name: 'compose.yaml', text: 'services:\n  n8n:\n    <<: just-a-string\n    image: n8nio/n8n\n' }, n8nSpec());
    expect(result.fileName).toBe('compose.override.yaml');
  });

  it('says that a bundled proxy was not added when only an override could be written', () => {
    const spec = n8nSpec({ ports: [], proxy: { kind: 'caddy', host: 'n8n.example.com', acmeEmail: '' } });
    const codes = buildComposeFile(readComposeFixture('custom-build'), spec).warnings.map((warning) => warning.code);
    expect(codes).toEqual(['COMPOSE_OVERRIDE_WRITTEN', 'COMPOSE_PROXY_NOT_ADDED']);
  });

  it('refuses an override file that is not valid YAML (there is nowhere else to write)', () => {
    const existing = { name: 'compose.override.yaml', text: 'services:\n\tn8n: {}\n' };
    expect(() => buildComposeFile(existing, n8nSpec())).toThrow(expect.objectContaining({ code: 'COMPOSE_UNREADABLE' }));
  });
});
