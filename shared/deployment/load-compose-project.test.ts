import { describe, expect, it } from 'vitest';
import type { Deployment } from './deployment.js';
import { readDeployment } from './read-deployment.js';

/** A folder of files by project path; the deployment Compose would load there. */
function deploymentOf(files: Record<string, string>, options: { composeEnv?: Record<string, string>; compose?: string } = {}): Deployment {
  return readDeployment({
    ...(files['.env'] !== undefined && { env: files['.env'] }),
    ...(options.compose && { compose: { name: options.compose, text: files[options.compose]! } }),
    readFile: (path) => files[path],
    ...(options.composeEnv && { composeEnv: options.composeEnv }),
  });
}

const env = (deployment: Deployment, service = 'n8n') => Object.fromEntries(Object.entries(deployment.services.find((s) => s.name === service)!.environment).map(([k, v]) => [k, v.value]));
const where = (deployment: Deployment, key: string, service = 'n8n') => deployment.services.find((s) => s.name === service)!.environment[key]?.declaredIn;
const filesOf = (deployment: Deployment) => deployment.files.map((f) => `${f.path}:${f.role}`);
const N8N = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n';

describe('readDeployment: the files Compose loads', () => {
  it('reads the override beside the compose file, which wins key by key and says where each key is set', () => {
    const d = deploymentOf({
      'compose.yaml': `${N8N}    command: start\n    ports: ["5678:5678"]\n    env_file: [base.env]\n    environment:\n      N8N_HOST: base.example.com\n      N8N_PORT: "5678"\n`,
      'compose.override.yaml': 'services:\n  n8n:\n    image: n8nio/n8n:2.42.0\n    command: ["worker"]\n    ports: ["5678:5678", "127.0.0.1:5679:5679"]\n    env_file: [smtp.env]\n    environment:\n      - N8N_HOST=override.example.com\n',
      'base.env': 'N8N_SMTP_HOST=base\n',
      'smtp.env': 'N8N_SMTP_HOST=smtp\n',
    });
    expect(filesOf(d)).toEqual(['compose.yaml:compose', 'compose.override.yaml:override']);
    const n8n = d.services[0]!;
    expect(n8n).toMatchObject({ image: 'n8nio/n8n:2.42.0', command: ['worker'], role: 'worker', ports: ['5678:5678', '127.0.0.1:5679:5679'] });
    expect(env(d)).toEqual({ N8N_HOST: 'override.example.com', N8N_PORT: '5678', N8N_SMTP_HOST: 'smtp' });
    expect(where(d, 'N8N_HOST')).toEqual({ file: 'compose.override.yaml', service: 'n8n' });
    expect(where(d, 'N8N_PORT')).toEqual({ file: 'compose.yaml', service: 'n8n' });
    expect(n8n.envFiles.map((f) => f.at)).toEqual(['base.env', 'smtp.env']);
  });

  it('pairs any override name with any base name, in Compose order (compose.yaml first, compose.override.yml first)', () => {
    const d = deploymentOf({ 'docker-compose.yml': N8N, 'compose.yaml': N8N, 'docker-compose.override.yml': N8N, 'compose.override.yaml': N8N, 'compose.override.yml': N8N });
    expect(filesOf(d)).toEqual(['compose.yaml:compose', 'compose.override.yml:override']);
    expect(filesOf(deploymentOf({ 'compose.yml': N8N, 'docker-compose.override.yaml': N8N }))).toEqual(['compose.yml:compose', 'docker-compose.override.yaml:override']);
  });

  it('reads COMPOSE_FILE from .env (no override then), with COMPOSE_PATH_SEPARATOR; the environment wins over .env', () => {
    const files = { '.env': 'COMPOSE_FILE=base.yml;prod.yml\nCOMPOSE_PATH_SEPARATOR=;\n', 'base.yml': N8N, 'prod.yml': 'services:\n  n8n:\n    environment: [N8N_HOST=prod.example.com]\n', 'compose.yaml': N8N, 'compose.override.yaml': N8N };
    const d = deploymentOf(files);
    expect(filesOf(d)).toEqual(['base.yml:listed', 'prod.yml:listed']);
    expect(env(d)).toEqual({ N8N_HOST: 'prod.example.com' });
    expect(filesOf(deploymentOf(files, { composeEnv: { COMPOSE_FILE: 'compose.yaml' } }))).toEqual(['compose.yaml:listed']);
  });

  it('reads a compose file named by the caller alone when Compose would not pick it (like -f)', () => {
    const d = deploymentOf({ 'n8n.yaml': N8N, 'compose.yaml': N8N, 'compose.override.yaml': N8N }, { compose: 'n8n.yaml' });
    expect(filesOf(d)).toEqual(['n8n.yaml:compose']);
    expect(filesOf(deploymentOf({ 'compose.yaml': N8N, 'compose.override.yaml': N8N }, { compose: 'compose.yaml' }))).toEqual(['compose.yaml:compose', 'compose.override.yaml:override']);
  });
});

describe('readDeployment: include and extends', () => {
  it('includes a file with its own folder and .env, the including project\'s variables winning', () => {
    const d = deploymentOf({
      '.env': 'DOMAIN=main.example.com\n',
      'compose.yaml': 'include:\n  - n8n/compose.yaml\nservices:\n  db:\n    image: postgres:16\n',
      'n8n/compose.yaml': `${N8N}    env_file: n8n.env\n    environment:\n      N8N_HOST: \${DOMAIN}\n      N8N_PATH: \${SUBPATH}\n`,
      'n8n/.env': 'DOMAIN=included.example.com\nSUBPATH=/n8n/\n',
      'n8n/n8n.env': 'N8N_SMTP_HOST=smtp.example.com\n',
    });
    expect(filesOf(d)).toEqual(['compose.yaml:compose', 'n8n/compose.yaml:include']);
    expect(env(d)).toEqual({ N8N_HOST: 'main.example.com', N8N_PATH: '/n8n/', N8N_SMTP_HOST: 'smtp.example.com' });
    expect(d.services.find((s) => s.name === 'n8n')!.environment.N8N_SMTP_HOST!.from).toEqual({ envFile: 'n8n/n8n.env' });
    expect(where(d, 'N8N_HOST')).toEqual({ file: 'n8n/compose.yaml', service: 'n8n' });
  });

  it('reads the long include syntax: several paths merged, project_directory, env_file', () => {
    const d = deploymentOf({
      'compose.yaml': 'include:\n  - path: [stack/base.yaml, stack/prod.yaml]\n    project_directory: stack\n    env_file: stack/prod.env\n',
      'stack/base.yaml': `${N8N}    environment: ["N8N_HOST=\${HOST}"]\n`,
      'stack/prod.yaml': 'services:\n  n8n:\n    environment: [N8N_PROTOCOL=https]\n',
      'stack/prod.env': 'HOST=prod.example.com\n',
    });
    expect(env(d)).toEqual({ N8N_HOST: 'prod.example.com', N8N_PROTOCOL: 'https' });
  });

  it('extends a service of the same file and of another file, relative paths from the extended file\'s folder', () => {
    const d = deploymentOf({
      'compose.yaml': 'services:\n  n8n:\n    extends: { file: common/n8n.yaml, service: n8n-base }\n    environment: [N8N_HOST=n8n.example.com]\n    volumes: [./data:/home/node/.n8n]\n  worker:\n    extends: n8n\n    command: worker\n',
      'common/n8n.yaml': `services:\n  n8n-base:\n    image: n8nio/n8n:2.41.1\n    env_file: base.env\n    environment: { N8N_HOST: base.example.com, N8N_PORT: "5678" }\n    volumes: [base-data:/home/node/.n8n]\n`,
      'common/base.env': 'N8N_SMTP_HOST=smtp.example.com\n',
    });
    expect(env(d)).toEqual({ N8N_HOST: 'n8n.example.com', N8N_PORT: '5678', N8N_SMTP_HOST: 'smtp.example.com' });
    expect(env(d, 'worker')).toEqual(env(d));
    expect(d.services.find((s) => s.name === 'worker')).toMatchObject({ role: 'worker', image: 'n8nio/n8n:2.41.1' });
    expect(where(d, 'N8N_PORT')).toEqual({ file: 'common/n8n.yaml', service: 'n8n-base' });
    expect(filesOf(d)).toEqual(['compose.yaml:compose', 'common/n8n.yaml:extends']);
    expect((d.resolved.services as Record<string, { volumes: unknown }>).n8n?.volumes).toEqual(['./data:/home/node/.n8n']);
  });

  it('applies !reset and !override of a later file', () => {
    const d = deploymentOf({
      'compose.yaml': `${N8N}    ports: ["5678:5678"]\n    environment: { N8N_HOST: a.example.com, WEBHOOK_URL: https://a.example.com/ }\n`,
      'compose.override.yaml': 'services:\n  n8n:\n    ports: !override ["127.0.0.1:5678:5678"]\n    environment:\n      WEBHOOK_URL: !reset null\n',
    });
    expect(d.services[0]!.ports).toEqual(['127.0.0.1:5678:5678']);
    expect(env(d)).toEqual({ N8N_HOST: 'a.example.com' });
  });
});

describe('readDeployment: projects Compose refuses', () => {
  const refused = (files: Record<string, string>, message: RegExp, composeEnv?: Record<string, string>) => {
    expect(() => deploymentOf(files, composeEnv ? { composeEnv } : {})).toThrow(expect.objectContaining({ code: 'COMPOSE_PROJECT_INVALID', message: expect.stringMatching(message), fix: expect.any(String) }));
  };

  it('stops at an include cycle and an extends cycle, naming the chain', () => {
    refused({ 'compose.yaml': 'include: [a.yaml]\n', 'a.yaml': 'include: [b.yaml]\n', 'b.yaml': 'include: [a.yaml]\n' }, /a\.yaml → b\.yaml → a\.yaml.*include cycles/);
    refused({ 'compose.yaml': 'include: [compose.yaml]\n' }, /compose\.yaml includes compose\.yaml/);
    refused({ 'compose.yaml': 'services:\n  a:\n    extends: b\n  b:\n    extends: { file: other.yaml, service: c }\n', 'other.yaml': 'services:\n  c:\n    extends: { file: compose.yaml, service: a }\n' }, /extends cycles/);
  });

  it('names a missing included or extended file, an unknown extended service and an unreadable included file', () => {
    refused({ 'compose.yaml': 'include: [missing.yaml]\n' }, /compose\.yaml includes missing\.yaml, which does not exist/);
    refused({ 'compose.yaml': 'services:\n  n8n:\n    extends: { file: ../shared/base.yaml, service: n8n }\n' }, /extends a service of \.\.\/shared\/base\.yaml, which does not exist/);
    refused({ 'compose.yaml': 'services:\n  n8n:\n    extends: nothere\n' }, /extends "nothere", which compose\.yaml does not define/);
    refused({ 'compose.yaml': 'include: [bad.yaml]\n', 'bad.yaml': 'services: [\n' }, /bad\.yaml \(included by compose\.yaml\) is not a YAML file/);
    refused({ 'compose.yaml': 'include: [list.yaml]\n', 'list.yaml': '- a\n- b\n' }, /is not a compose file/);
  });

  it('refuses a COMPOSE_FILE list that is huge, has an empty entry or names a missing file', () => {
    refused({ 'a.yaml': N8N }, /lists 5000 files/, { COMPOSE_FILE: Array(5000).fill('a.yaml').join(':') });
    refused({ 'a.yaml': N8N }, /has an empty entry/, { COMPOSE_FILE: 'a.yaml:' });
    refused({ '.env': 'COMPOSE_FILE=a.yaml:b.yaml\n', 'a.yaml': N8N }, /COMPOSE_FILE names b\.yaml, which does not exist/);
  });

  it('stops reading past 64 files, however they refer to each other', () => {
    const files: Record<string, string> = { 'compose.yaml': 'include: [f0.yaml]\n' };
    for (let i = 0; i < 100; i++) files[`f${i}.yaml`] = `include: [f${i + 1}.yaml]\n`;
    refused(files, /more than 64 files/);
  });
});
