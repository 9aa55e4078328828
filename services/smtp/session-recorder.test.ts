import { describe, expect, it } from 'vitest';
import { createSessionRecorder } from './session-recorder.js';

/** Feeds the recorder the way nodemailer's debug logging does: tnx "client"/"server", a format string and its arguments. */
function replay(lines: Array<['C' | 'S', string]>) {
  const recorder = createSessionRecorder();
  for (const [dir, text] of lines) recorder.logger.debug({ tnx: dir === 'C' ? 'client' : 'server' }, '%s', text);
  return recorder;
}

const user = Buffer.from('n8n@example.com').toString('base64');

describe('createSessionRecorder', () => {
  it('hides an AUTH LOGIN exchange: the user name, the password and the challenges', () => {
    const recorder = replay([
      ['S', '220 mail.example.com ESMTP'],
      ['C', 'EHLO [127.0.0.1]'],
      ['S', '250-mail.example.com\n250 AUTH LOGIN PLAIN'],
      ['C', 'AUTH LOGIN'],
      ['S', '334 VXNlcm5hbWU6'],
      ['C', user],
      ['S', '334 UGFzc3dvcmQ6'],
      ['C', '/* secret */'],
      ['S', '235 2.7.0 Authentication successful'],
      ['C', 'MAIL FROM:<n8n@example.com>'],
    ]);
    expect(recorder.transcript.map((l) => `${l.dir}: ${l.text}`)).toEqual([
      'S: 220 mail.example.com ESMTP',
      'C: EHLO [127.0.0.1]',
      'S: 250-mail.example.com',
      'S: 250 AUTH LOGIN PLAIN',
      'C: AUTH LOGIN',
      'S: 334 [redacted]',
      'C: [redacted]',
      'S: 334 [redacted]',
      'C: [redacted]',
      'S: 235 2.7.0 Authentication successful',
      'C: MAIL FROM:<n8n@example.com>',
    ]);
    expect(recorder.stages.map((s) => s.stage)).toEqual(['greeting', 'ehlo', 'auth', 'mail-from']);
  });

  it('keeps only the mechanism of a one-line AUTH, and the final reply of a failed XOAUTH2', () => {
    const recorder = replay([
      ['S', '220 ready'],
      ['C', `AUTH PLAIN ${Buffer.from(`\0${'n8n@example.com'}\0/* secret */`).toString('base64')}`],
      ['S', '535 5.7.8 bad'],
      ['C', 'AUTH XOAUTH2 dXNlcj1hQGIuYwFhdXRoPUJlYXJlciB5YTI5Lnh4eAEB'],
      ['S', '334 eyJzdGF0dXMiOiI0MDEifQ=='],
      ['C', ''],
      ['S', '535 5.7.8 Username and Password not accepted'],
    ]);
    expect(recorder.transcript.map((l) => l.text)).toEqual(['220 ready', 'AUTH PLAIN [redacted]', '535 5.7.8 bad', 'AUTH XOAUTH2 [redacted]', '334 [redacted]', '[redacted]', '535 5.7.8 Username and Password not accepted']);
  });

  it('tells listeners once when the server first speaks', () => {
    const recorder = createSessionRecorder();
    let calls = 0;
    recorder.onServerSpeaks(() => (calls += 1));
    recorder.logger.debug({ tnx: 'server' }, '220 hi');
    recorder.logger.debug({ tnx: 'server' }, '250 ok');
    recorder.onServerSpeaks(() => (calls += 10));
    expect(calls).toBe(11);
  });
});
