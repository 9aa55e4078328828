import { describe, expect, it } from 'vitest';
import { diffEnvFiles, MASK } from './key-changes.js';

describe('diffEnvFiles', () => {
  it('masks a key whose name says it holds a secret, though it is none of n8n’s variables', () => {
    const changes = diffEnvFiles('.env', 'SMTP_PASS=old-pw\nPOSTGRES_PASSWORD=pg-1\nSMTP_HOST=a\n', 'SMTP_PASS=new-pw\nSMTP_HOST=b\n');
    expect(changes).toEqual([
      { file: '.env', key: 'SMTP_PASS', action: 'change', before: MASK, after: MASK, secret: true },
      { file: '.env', key: 'POSTGRES_PASSWORD', action: 'remove', before: MASK, secret: true },
      { file: '.env', key: 'SMTP_HOST', action: 'change', before: 'a', after: 'b', secret: false },
    ]);
  });

  it('masks a key a secret flows through whatever its name', () => {
    const [change] = diffEnvFiles('.env', 'MAIL_LOGIN_VALUE=old\n', 'MAIL_LOGIN_VALUE=new\n', new Set(['MAIL_LOGIN_VALUE']));
    expect(change).toMatchObject({ key: 'MAIL_LOGIN_VALUE', before: MASK, after: MASK, secret: true });
    expect(diffEnvFiles('.env', 'MAIL_LOGIN_VALUE=old\n', 'MAIL_LOGIN_VALUE=new\n')[0]).toMatchObject({ before: 'old', secret: false });
  });
});
