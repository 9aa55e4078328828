import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSmtpVariablesFromEnvironment, readSmtpVariablesFromFiles } from './read-smtp-variables.js';

const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-smtp-vars-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

const COMPOSE = `services:
  n8n:
    image: docker.n8n.io/n8nio/n8n:2.41.1
    env_file: .env
    environment:
      - N8N_SMTP_PASS_FILE=/run/secrets/smtp_password
      - NODE_EXTRA_CA_CERTS=/opt/custom-certificates/smtp-ca.pem
    secrets:
      - smtp_password
    volumes:
      - ./certs:/opt/custom-certificates:ro
secrets:
  smtp_password:
    file: ./secrets/smtp_password.txt
`;

describe('readSmtpVariablesFromFiles', () => {
  it('maps _FILE and NODE_EXTRA_CA_CERTS container paths through the compose secrets and bind mounts', async () => {
    const dir = project({
      '.env': 'N8N_SMTP_HOST=smtp.example.com\nN8N_SMTP_PORT=587\nN8N_SMTP_SSL=false\nN8N_SMTP_USER=apikey\n',
      'compose.yaml': COMPOSE,
      'secrets/smtp_password.txt': 'file-secret\n',
      'certs/smtp-ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    });
    const source = await readSmtpVariablesFromFiles({ envFile: join(dir, '.env'), composeFile: join(dir, 'compose.yaml') });
    expect(source.variables).toEqual({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PORT: '587', N8N_SMTP_SSL: 'false', N8N_SMTP_USER: 'apikey', N8N_SMTP_PASS: 'file-secret' });
    expect(source.extraCa).toContain('BEGIN CERTIFICATE');
    expect(source.warnings.map((w) => w.code)).toEqual(['LINT_FILE_TRIMMED']);
  });

  it('ignores _FILE when the variable itself is present, even empty, as n8n does', async () => {
    const dir = project({ '.env': 'N8N_SMTP_HOST=h\nN8N_SMTP_PASS=\nN8N_SMTP_PASS_FILE=/run/secrets/x\n' });
    const source = await readSmtpVariablesFromFiles({ envFile: join(dir, '.env') });
    expect(source.variables.N8N_SMTP_PASS).toBe('');
    expect(source.warnings[0]).toMatchObject({ code: 'LINT_FILE_SHADOWED', variables: ['N8N_SMTP_PASS'] });
  });

  it('refuses a _FILE path no mount provides: n8n would not start', async () => {
    const dir = project({ '.env': 'N8N_SMTP_HOST=h\n', 'compose.yaml': COMPOSE.replace('/run/secrets/smtp_password', '/run/secrets/elsewhere') });
    await expect(readSmtpVariablesFromFiles({ envFile: join(dir, '.env'), composeFile: join(dir, 'compose.yaml') })).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'N8N_SMTP_PASS_FILE' });
  });
});

describe('files read with the limits of every file this tool reads', () => {
  it('refuses a secret file over 1 MiB, one that is not UTF-8 and one with a NUL, naming the variable; and a CA bundle over 1 MiB', async () => {
    for (const [content, code] of [
      ['x'.repeat(1024 * 1024 + 1), 'FILE_TOO_LARGE'],
      [Buffer.from([0x70, 0xe4, 0x73, 0x73]), 'FILE_NOT_UTF8'],
      ['pass\0word', 'INPUT_HAS_NUL'],
    ] as const) {
      const dir = project({ '.env': 'N8N_SMTP_HOST=h\n', 'compose.yaml': COMPOSE, 'secrets/smtp_password.txt': '' });
      writeFileSync(join(dir, 'secrets/smtp_password.txt'), content);
      await expect(readSmtpVariablesFromFiles({ envFile: join(dir, '.env'), composeFile: join(dir, 'compose.yaml') })).rejects.toMatchObject({ code, field: 'N8N_SMTP_PASS_FILE' });
    }
    const dir = project({ '.env': 'N8N_SMTP_HOST=h\n', 'compose.yaml': COMPOSE, 'secrets/smtp_password.txt': 'ok', 'certs/smtp-ca.pem': 'x'.repeat(2 * 1024 * 1024) });
    await expect(readSmtpVariablesFromFiles({ envFile: join(dir, '.env'), composeFile: join(dir, 'compose.yaml') })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE', field: 'NODE_EXTRA_CA_CERTS' });
  });
});

describe('readSmtpVariablesFromEnvironment', () => {
  it('reads N8N_SMTP_* and _FILE from the environment it runs in', () => {
    const dir = project({ pass: '  from-file  ' });
    const source = readSmtpVariablesFromEnvironment({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PASS_FILE: join(dir, 'pass'), HOME: '/root' });
    expect(source.variables).toEqual({ N8N_SMTP_HOST: 'smtp.example.com', N8N_SMTP_PASS: 'from-file' });
  });
});
