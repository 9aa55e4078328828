import { applyPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { fileDiffs, maskSecrets } from './file-diffs.js';
import { MASK } from './key-changes.js';

const BEFORE_ENV = '# mine\nPOSTGRES_PASSWORD=pg-secret-value\nN8N_HOST=old.example.com\nMAIL_PW="s3cr3t-pass"\nKEEP=1\n';
const AFTER_ENV = '# mine\nPOSTGRES_PASSWORD=pg-secret-value\nN8N_HOST=n8n.example.com\nMAIL_PW="n3w-pass-word"\nKEEP=1\n\n# block\nN8N_PROTOCOL=https\n';

describe('fileDiffs', () => {
  it('is a unified diff of the masked texts: applied to the masked old file it gives the masked new one', () => {
    const [diff] = fileDiffs([{ path: '.env', kind: 'env', before: BEFORE_ENV, after: AFTER_ENV }], ['s3cr3t-pass', 'n3w-pass-word'], new Set(['MAIL_PW']));
    expect(diff).toMatchObject({ path: '.env', status: 'changed', added: 5, removed: 2 });
    expect(diff!.diff).toContain('-N8N_HOST=old.example.com');
    expect(diff!.diff).toContain('+N8N_HOST=n8n.example.com');
    // A changed secret is a changed line, its values never shown; an unchanged one is an unchanged line.
    expect(diff!.diff).toContain(`-MAIL_PW=${MASK} (secret 2)`);
    expect(diff!.diff).toContain(`+MAIL_PW=${MASK} (secret 3)`);
    expect(diff!.diff).toContain(` POSTGRES_PASSWORD=${MASK} (secret 1)`);
    const carriers = new Set(['MAIL_PW']);
    const values = ['s3cr3t-pass', 'n3w-pass-word'];
    const numbers = new Map<string, number>();
    const before = maskSecrets(BEFORE_ENV, values, carriers, numbers);
    expect(applyPatch(before, `--- .env\n+++ .env\n${diff!.diff}\n`)).toBe(maskSecrets(AFTER_ENV, values, carriers, numbers));
  });

  it('never shows a secret: by key name, through a carrier, by value anywhere, and secret files not at all', () => {
    const compose = 'services:\n  n8n:\n    environment:\n      N8N_SMTP_PASS: literal-in-compose\n      - DB_PASSWORD=inline-one\n    command: ["--token", "s3cr3t-pass"]\n';
    const diffs = fileDiffs(
      [
        { path: '.env', kind: 'env', before: BEFORE_ENV, after: AFTER_ENV },
        { path: 'compose.yaml', kind: 'compose', before: undefined, after: compose },
        { path: 'secrets/n8n_smtp_pass', kind: 'secret', before: undefined, after: 'n3w-pass-word' },
      ],
      ['s3cr3t-pass', 'n3w-pass-word'],
      new Set(['MAIL_PW']),
    );
    const shown = JSON.stringify(diffs);
    for (const secret of ['pg-secret-value', 's3cr3t-pass', 'n3w-pass-word', 'literal-in-compose', 'inline-one']) expect(shown).not.toContain(secret);
    expect(shown).toContain(MASK);
    expect(diffs[2]).toEqual({ path: 'secrets/n8n_smtp_pass', status: 'new', note: 'holds a secret: not shown', added: 0, removed: 0 });
  });

  it('masks a secret over all its lines: a quoted multi-line .env value, a YAML block scalar, flow style, and a known value in another spelling', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
    const env = `A=1\nN8N_SMTP_OAUTH_PRIVATE_KEY="${key}"\nB=2\n`;
    const compose = [
      'services:',
      '  n8n:',
      '    environment:',
      '      N8N_SMTP_PASS: |',
      '        block-secret-line-one',
      '        block-secret-line-two',
      '      N8N_HOST: n8n.example.com',
      '  db:',
      '    environment: {POSTGRES_PASSWORD: flow-secret, POSTGRES_USER: n8n}',
      '    command: ["--x", "DB_PASSWORD=listed-secret"]',
      '    labels: [note=MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7]',
      '',
    ].join('\n');
    const diffs = fileDiffs(
      [
        { path: '.env', kind: 'env', before: undefined, after: env },
        { path: 'compose.yaml', kind: 'compose', before: undefined, after: compose },
      ],
      [`${key}\n`],
    );
    const shown = JSON.stringify(diffs);
    for (const secret of ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'block-secret', 'flow-secret', 'listed-secret']) expect(shown).not.toContain(secret);
    expect(shown).toContain('N8N_HOST: n8n.example.com');
    expect(shown).toContain('POSTGRES_USER: n8n');
    expect(diffs[0]!.added).toBe(5);
  });

  it('an unchanged file has no hunks', () => {
    expect(fileDiffs([{ path: 'a', kind: 'proxy', before: 'x\n', after: 'x\n' }], [])).toEqual([{ path: 'a', status: 'unchanged', added: 0, removed: 0 }]);
  });
});
