import { describe, expect, it } from 'vitest';
import { projectEnvReaders, type ComposeProject } from './project-env-readers.js';

const ENV = 'SECRET_A=a\nSECRET_B=b\nOTHER=c\n';

function readers(compose: string, options: Partial<ComposeProject> = {}) {
  return projectEnvReaders({ composeFiles: [{ name: 'compose.yaml', text: compose }], env: ENV, readEnvFile: () => undefined, ...options });
}

/** The .env keys Compose reads, of SECRET_A, SECRET_B and OTHER. */
function read(compose: string, options: Partial<ComposeProject> = {}): string[] {
  const found = readers(compose, options);
  expect(found.all).toBeUndefined();
  return ['SECRET_A', 'SECRET_B', 'OTHER'].filter((name) => found.byName.has(name));
}

const service = (body: string) => `services:\n  app:\n    image: example/app:1\n${body}`;

describe('projectEnvReaders', () => {
  it('finds every interpolation form in any field: ${VAR}, $VAR, defaults, alternatives, errors, nested defaults', () => {
    expect(read(service('    environment:\n      X: ${SECRET_A:-fallback}\n    command: run --token $SECRET_B\n'))).toEqual(['SECRET_A', 'SECRET_B']);
    expect(read(service('    labels:\n      - "x=${OTHER:+on}"\n    healthcheck:\n      test: ["CMD", "check", "${SECRET_A:?required}"]\n'))).toEqual(['SECRET_A', 'OTHER']);
    expect(read('services:\n  app:\n    image: example/${OTHER-app}:${UNSET:-${SECRET_B}}\n')).toEqual(['SECRET_B', 'OTHER']);
  });

  it('finds references at the top level, in networks, volumes, x- blocks and services that only merge them', () => {
    expect(read(`name: \${OTHER}\nnetworks:\n  edge:\n    name: \${SECRET_A}\nvolumes:\n  data:\n    driver_opts:\n      device: $SECRET_B\n`)).toEqual(['SECRET_A', 'SECRET_B', 'OTHER']);
    expect(read(`x-common: &common\n  environment:\n    KEY: \${SECRET_B}\nservices:\n  app:\n    <<: *common\n    image: example/app:1\n`)).toEqual(['SECRET_B']);
  });

  it('finds keys passed on by name: "- NAME", "NAME:" without a value, build args, a secret or config from the environment', () => {
    expect(read(service('    environment:\n      - SECRET_A\n      - OTHER=literal\n'))).toEqual(['SECRET_A']);
    expect(read(service('    environment:\n      SECRET_B:\n      OTHER: ~\n'))).toEqual(['SECRET_B', 'OTHER']);
    expect(read(service('    build:\n      context: .\n      args:\n        - SECRET_A\n'))).toEqual(['SECRET_A']);
    expect(read(`${service('    secrets: [token]\n')}secrets:\n  token:\n    environment: SECRET_B\nconfigs:\n  conf:\n    environment: "OTHER"\n`)).toEqual(['SECRET_B', 'OTHER']);
  });

  it('does not count a literal value under the same name, an escaped $$VAR, or a comment', () => {
    expect(read(service('    environment:\n      SECRET_A: literal\n    command: echo $$SECRET_B\n    # - OTHER=${OTHER}\n'))).toEqual([]);
  });

  it('finds .env values that refer to other keys (A=${B}), but not inside single quotes', () => {
    expect(read(service(''), { env: "SECRET_A=${SECRET_B}\nOTHER='${SECRET_A}'\nSECRET_B=x\n" })).toEqual(['SECRET_B']);
  });

  it("counts Compose's own settings as read", () => {
    const found = projectEnvReaders({ composeFiles: [{ name: 'compose.yaml', text: service('') }], env: 'COMPOSE_PROJECT_NAME=n8n\nDOCKER_HOST=unix:///run/docker.sock\nCOMPOSE_FILE=compose.yaml\n', readEnvFile: () => undefined });
    expect([...found.byName.keys()]).toEqual(expect.arrayContaining(['COMPOSE_PROJECT_NAME', 'DOCKER_HOST', 'COMPOSE_FILE']));
    expect(found.all).toBeUndefined();
  });

  it('reads env_files: their values may refer to .env keys, and a bare KEY line takes it from .env', () => {
    const files: Record<string, string> = { 'n8n.env': 'N8N_SMTP_PASS=${SECRET_A}\nSECRET_B\nLITERAL=OTHER\n' };
    expect(read(service('    env_file:\n      - ./n8n.env\n      - path: missing.env\n        required: false\n'), { readEnvFile: (path) => files[path.replace(/^\.\//, '')] })).toEqual(['SECRET_A', 'SECRET_B']);
  });

  it('reads YAML files beside the compose file (docker compose -f) as well', () => {
    const composeFiles = [
      { name: 'compose.yaml', text: service('') },
      { name: 'compose.prod.yml', text: service('    environment:\n      - TOKEN=${SECRET_B}\n') },
    ];
    expect(read('', { composeFiles })).toEqual(['SECRET_B']);
  });

  it('counts every word of a YAML file it cannot parse as read', () => {
    const composeFiles = [{ name: 'compose.yaml', text: service('') }, { name: 'helm-values.yaml', text: 'token: {{ .Values.SECRET_A }}\n  bad: [indent\n' }];
    expect(read('', { composeFiles })).toEqual(['SECRET_A']);
  });

  it.each([
    ['a service reads all of .env', service('    env_file: .env\n'), /reads all of \.env/],
    ['a service reads ./.env in the long syntax', service('    env_file:\n      - path: ./.env\n        required: true\n'), /reads all of \.env/],
    ['an env_file outside the folder', service('    env_file: /etc/n8n/n8n.env\n'), /cannot be read here/],
    ['an env_file above the folder', service('    env_file: ../shared.env\n'), /cannot be read here/],
    ['an env_file named by a variable', service('    env_file: ${ENV_FILE:-app.env}\n'), /cannot be read here/],
    ['include:', `include:\n  - other/compose.yaml\n${service('')}`, /includes other compose files/],
    ['extends: from another file', service('    extends:\n      file: base.yaml\n      service: app\n'), /extends a service of another file/],
  ])('counts every key as read when %s', (_case, compose, why) => {
    expect(readers(compose).all).toMatch(why);
  });

  it('counts every key as read when a compose file cannot be read here, .env has a line Compose refuses, or COMPOSE_FILE names other files', () => {
    expect(projectEnvReaders({ composeFiles: [{ name: 'compose.yaml', text: service('') }, { name: 'secret.yml', text: undefined }], env: ENV, readEnvFile: () => undefined }).all).toMatch(/secret\.yml cannot be read here/);
    expect(readers(service(''), { env: 'SECRET_A="unterminated\n' }).all).toMatch(/refuses line 1 of \.env/);
    expect(readers(service(''), { env: 'COMPOSE_FILE=compose.yaml:compose.gpu.yaml\nSECRET_A=x\n' }).all).toMatch(/COMPOSE_FILE/);
  });
});
