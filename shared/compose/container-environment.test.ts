import { describe, expect, it } from 'vitest';
import { readComposeService, type ComposeProject } from './container-environment.js';

/** A project whose env files are `files`, by the path the compose file spells (read by its path in the folder, without `./`). */
function project(composeText: string, files: Record<string, string> = {}, projectEnv?: string): ComposeProject {
  return { composeText, ...(projectEnv !== undefined && { projectEnv }), readEnvFile: (path) => files[path] ?? files[`./${path}`] };
}

describe('readComposeService', () => {
  it('applies env_file entries in order, later files winning, and environment over all of them', () => {
    const text = [
      'services:',
      '  n8n:',
      '    image: docker.n8n.io/n8nio/n8n:2.41.1',
      '    env_file:',
      '      - ./base.env',
      '      - path: ./smtp.env',
      '        required: false',
      '      - ./missing.env',
      '    environment:',
      '      N8N_SMTP_HOST: smtp.example.com',
      '      N8N_PORT: 5678',
    ].join('\n');
    const files = { './base.env': 'N8N_SMTP_HOST=base\nN8N_SMTP_USER=base\nTZ=UTC\n', './smtp.env': 'N8N_SMTP_USER=apikey\n' };
    const view = readComposeService(project(text, files));
    expect(view).toMatchObject({ serviceName: 'n8n', image: 'docker.n8n.io/n8nio/n8n:2.41.1', envFiles: ['./base.env', './smtp.env', './missing.env'] });
    expect(view?.environment).toEqual({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_USER: 'apikey', TZ: 'UTC', N8N_PORT: '5678' });
  });

  it('reads list-form environment: KEY=VALUE split at the first =, a bare KEY left out', () => {
    const text = 'services:\n  n8n:\n    image: n8nio/n8n\n    environment:\n      - N8N_HOST=n8n.example.com\n      - QUERY=a=b\n      - FROM_SHELL\n      - EMPTY=\n';
    expect(readComposeService(project(text))?.environment).toEqual({ N8N_HOST: 'n8n.example.com', QUERY: 'a=b', EMPTY: '' });
  });

  it('passes a bare KEY (list or map form) the project .env value, as Compose does', () => {
    const text = 'services:\n  n8n:\n    image: n8nio/n8n\n    environment:\n      - POSTGRES_USER\n      - NOT_IN_ENV\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB:\n';
    const env = 'POSTGRES_USER=n8n_admin\nPOSTGRES_DB=n8n\n';
    expect(readComposeService(project(text, {}, env))?.environment).toEqual({ POSTGRES_USER: 'n8n_admin' });
    expect(readComposeService({ ...project(text, {}, env), service: 'db' })?.environment).toEqual({ POSTGRES_DB: 'n8n' });
  });

  it('interpolates environment and env_file values from the project .env; $$ is a literal $', () => {
    const text = [
      'services:',
      '  n8n:',
      '    image: n8nio/n8n',
      '    env_file: .env.n8n',
      '    environment:',
      '      N8N_HOST: ${DOMAIN}',
      '      N8N_EDITOR_BASE_URL: https://$DOMAIN/',
      '      N8N_SMTP_PASS: "pa$$word"',
      '      GENERIC_TIMEZONE: ${TZ_NAME:-Europe/Berlin}',
    ].join('\n');
    const view = readComposeService(project(text, { '.env.n8n': 'N8N_SMTP_SENDER="n8n@${DOMAIN}"\n' }, 'DOMAIN=n8n.example.com\n'));
    expect(view?.environment).toEqual({
      N8N_SMTP_SENDER: 'n8n@n8n.example.com',
      N8N_HOST: 'n8n.example.com',
      N8N_EDITOR_BASE_URL: 'https://n8n.example.com/',
      N8N_SMTP_PASS: 'pa$word',
      GENERIC_TIMEZONE: 'Europe/Berlin',
    });
  });

  it('mounts secrets at /run/secrets/<name>, or at the long form\'s target, from their top-level file', () => {
    const text = [
      'services:',
      '  n8n:',
      '    image: n8nio/n8n',
      '    secrets:',
      '      - n8n_smtp_pass',
      '      - source: n8n_encryption_key',
      '        target: encryption_key',
      '      - source: ca',
      '        target: /opt/ca.pem',
      '      - undefined_secret',
      'secrets:',
      '  n8n_smtp_pass:',
      '    file: ./secrets/n8n_smtp_pass',
      '  n8n_encryption_key:',
      '    file: ./secrets/key',
      '  ca:',
      '    file: /etc/ssl/ca.pem',
    ].join('\n');
    expect(readComposeService(project(text))?.mounts).toEqual([
      { source: './secrets/n8n_smtp_pass', target: '/run/secrets/n8n_smtp_pass' },
      { source: './secrets/key', target: '/run/secrets/encryption_key' },
      { source: '/etc/ssl/ca.pem', target: '/opt/ca.pem' },
    ]);
  });

  it('mounts bind volumes (relative, absolute, Windows drive, long form) and leaves named volumes out', () => {
    const text = [
      'services:',
      '  n8n:',
      '    image: n8nio/n8n',
      '    volumes:',
      '      - n8n_data:/home/node/.n8n',
      '      - ./templates:/opt/n8n-templates:ro',
      '      - /srv/certs:/opt/custom-certificates',
      '      - C:\\n8n\\files:/files',
      '      - type: bind',
      '        source: ./my files',
      '        target: /data/my files',
      '        read_only: true',
      '      - type: volume',
      '        source: cache',
      '        target: /cache',
    ].join('\n');
    expect(readComposeService(project(text))?.mounts).toEqual([
      { source: './templates', target: '/opt/n8n-templates' },
      { source: '/srv/certs', target: '/opt/custom-certificates' },
      { source: 'C:\\n8n\\files', target: '/files' },
      { source: './my files', target: '/data/my files' },
    ]);
  });

  it('reads a service built from an anchor through a << merge key, its own entries winning', () => {
    const text = [
      'x-n8n: &n8n',
      '  image: n8nio/n8n:2.41.1',
      '  environment:',
      '    N8N_HOST: from-anchor',
      '  volumes:',
      '    - ./templates:/opt/n8n-templates',
      '  ports:',
      '    - 5678:5678',
      'services:',
      '  main:',
      '    <<: *n8n',
      '    ports:',
      '      - 127.0.0.1:5678:5678',
      '  db:',
      '    image: postgres:16',
    ].join('\n');
    const { deployment, ...view } = readComposeService(project(text))!;
    expect(deployment.services.map((s) => [s.name, s.role])).toEqual([['main', 'main'], ['db', undefined]]);
    expect(view).toEqual({
      serviceName: 'main',
      image: 'n8nio/n8n:2.41.1',
      environment: { N8N_HOST: 'from-anchor' },
      mounts: [{ source: './templates', target: '/opt/n8n-templates' }],
      envFiles: [],
      proxy: 'external',
      files: [{ path: 'compose.yaml', role: 'compose' }],
    });
  });

  it('tells the proxy from the other services: traefik, caddy, a loopback port (external) or none', () => {
    const n8n = 'services:\n  n8n:\n    image: n8nio/n8n\n    ports: ["5678:5678"]\n';
    expect(readComposeService(project(n8n))?.proxy).toBe('none');
    expect(readComposeService(project(`${n8n}  proxy:\n    image: traefik:v3\n`))?.proxy).toBe('traefik');
    expect(readComposeService(project(`${n8n}  proxy:\n    image: caddy:2\n`))?.proxy).toBe('caddy');
  });

  it('reads a named service: one of several on the n8n image, or another; undefined for a name not there', () => {
    const queueMode = 'x-n8n: &n8n\n  image: n8nio/n8n\n  environment: [EXECUTIONS_MODE=queue]\nservices:\n  main:\n    <<: *n8n\n  worker:\n    <<: *n8n\n    command: worker\n  redis:\n    image: redis:7\n';
    expect(readComposeService({ ...project(queueMode), service: 'worker' })).toMatchObject({ serviceName: 'worker', environment: { EXECUTIONS_MODE: 'queue' } });
    expect(readComposeService({ ...project(queueMode), service: 'redis' })).toMatchObject({ serviceName: 'redis', image: 'redis:7', environment: {} });
    expect(readComposeService({ ...project(queueMode), service: 'webhook' })).toBeUndefined();
  });

  it('in queue mode reads the main service; undefined when no single main runs n8n', () => {
    const queueMode = 'services:\n  main:\n    image: n8nio/n8n\n  worker:\n    image: n8nio/n8n\n    command: worker\n';
    expect(readComposeService(project(queueMode))?.serviceName).toBe('main');
    const twoMains = 'services:\n  a:\n    image: n8nio/n8n\n  b:\n    image: n8nio/n8n\n';
    const lookalike = 'services:\n  app:\n    image: acme/n8nio/n8n-debug:1\n  runner:\n    image: n8nio/runners\n';
    for (const text of [twoMains, lookalike, 'services: {}\n', 'version: "3"\n']) expect(readComposeService(project(text)), text).toBeUndefined();
  });

  it('falls back to the service named n8n when no image says n8n (a custom build)', () => {
    expect(readComposeService(project('services:\n  n8n:\n    build: .\n    environment: { A: "1" }\n'))).toMatchObject({ serviceName: 'n8n', environment: { A: '1' } });
  });

  it('throws the parser\'s error for a file that is not YAML', () => {
    expect(() => readComposeService(project('services:\n\tn8n: {}\n'))).toThrow(/Tabs/);
  });
});
