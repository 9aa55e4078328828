import { describe, expect, it } from 'vitest';
import { describeUnusedSecret, findUnusedSecrets } from './unused-secrets.js';

const COMPOSE = 'services:\n  n8n:\n    image: n8nio/n8n:2.41.1\n    environment:\n      - N8N_SMTP_HOST=${SMTP_HOST}\n      - N8N_SMTP_PASS=${N8N_SMTP_PASS}\n';

function unused(env: string, compose = COMPOSE) {
  return findUnusedSecrets({ composeFiles: [{ name: 'docker-compose.yml', text: compose }], env, readEnvFile: () => undefined });
}

describe('findUnusedSecrets', () => {
  it('finds a secret left from a hand setup that no service reads, with its line', () => {
    const env = '# by hand, 2024\nSMTP_HOST=mail.example.com\nSMTP_USER=n8n\nSMTP_PASS=hand-secret\nN8N_SMTP_PASS=current-secret\n';
    expect(unused(env).found).toEqual([{ key: 'SMTP_PASS', file: '.env', lines: [4] }]);
  });

  it('leaves keys that are read, that are no secret by their name, and secrets without a value', () => {
    const env = 'SMTP_HOST=mail.example.com\nN8N_SMTP_PASS=current\nSMTP_USER=n8n\nSMTP_PASSWORD=\nMAIL_PASSWORD\n';
    const found = unused(env);
    expect(found.found).toEqual([]);
    expect(found.whyKept('N8N_SMTP_PASS')).toBe('N8N_SMTP_PASS is still read (docker-compose.yml refers to ${N8N_SMTP_PASS})');
    expect(found.whyKept('SMTP_USER')).toBe('SMTP_USER is no secret by its name');
    expect(found.whyKept('SMTP_PASSWORD')).toBe('SMTP_PASSWORD is empty');
    // A bare line takes its value from the shell: the file holds none.
    expect(found.whyKept('MAIL_PASSWORD')).toBe('MAIL_PASSWORD is empty');
    expect(found.whyKept('NOPE')).toBe('.env has no NOPE');
  });

  it('lists every line of a key set more than once, and counts it when any of them holds a value', () => {
    const env = 'MAIL_PASSWORD=first\nA=1\nMAIL_PASSWORD=\n';
    expect(unused(env).found).toEqual([{ key: 'MAIL_PASSWORD', file: '.env', lines: [1, 3] }]);
  });

  it('finds nothing when a service reads all of .env, and says why for each key', () => {
    const found = unused('SMTP_PASS=hand-secret\n', `${COMPOSE}    env_file: .env\n`);
    expect(found.found).toEqual([]);
    expect(found.whyKept('SMTP_PASS')).toBe('Compose may read SMTP_PASS (service "n8n" reads all of .env (env_file))');
  });

  it('never carries a value out', () => {
    const found = unused('SMTP_PASS=hand-secret-4711\nAPI_TOKEN="quoted-token-4711"\n');
    expect(found.found.map((s) => s.key)).toEqual(['SMTP_PASS', 'API_TOKEN']);
    expect(JSON.stringify(found.found)).not.toContain('4711');
    expect(found.found.map(describeUnusedSecret).join()).not.toContain('4711');
  });
});

describe('describeUnusedSecret', () => {
  it('names the key, the file and its lines', () => {
    expect(describeUnusedSecret({ key: 'SMTP_PASS', file: '.env', lines: [4] })).toBe('SMTP_PASS in .env (line 4) holds a secret and no service reads it any more.');
    expect(describeUnusedSecret({ key: 'SMTP_PASS', file: '.env', lines: [4, 9, 12] })).toBe('SMTP_PASS in .env (lines 4, 9 and 12) holds a secret and no service reads it any more.');
  });
});
