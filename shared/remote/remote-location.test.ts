import { describe, expect, it } from 'vitest';
import { SetupError } from '../errors.js';
import { commandInFolder, formatLocation, parseLocation, parseSshTarget } from './remote-location.js';

describe('parseLocation: scp’s forms and the ssh:// URL; everything else is local', () => {
  it.each([
    ['deploy@vps.example.com:/opt/n8n', { kind: 'remote', user: 'deploy', host: 'vps.example.com', path: '/opt/n8n' }],
    ['vps:/opt/n8n', { kind: 'remote', host: 'vps', path: '/opt/n8n' }],
    ['vps:n8n', { kind: 'remote', host: 'vps', path: 'n8n' }],
    ['root@203.0.113.7:/srv/n8n', { kind: 'remote', user: 'root', host: '203.0.113.7', path: '/srv/n8n' }],
    ['admin@[2001:db8::1]:/opt/n8n', { kind: 'remote', user: 'admin', host: '2001:db8::1', path: '/opt/n8n' }],
    ['[::1]:/opt/n8n', { kind: 'remote', host: '::1', path: '/opt/n8n' }],
    ['ssh://deploy@vps.example.com:2222/opt/n8n', { kind: 'remote', user: 'deploy', host: 'vps.example.com', port: 2222, path: '/opt/n8n' }],
    ['ssh://vps/~/n8n', { kind: 'remote', host: 'vps', path: 'n8n' }],
    ['ssh://[2001:db8::1]:22/opt/n8n', { kind: 'remote', host: '2001:db8::1', port: 22, path: '/opt/n8n' }],
    ['ssh://deploy@vps/opt/my%20n8n', { kind: 'remote', user: 'deploy', host: 'vps', path: '/opt/my n8n' }],
  ])('%s is remote', (text, expected) => {
    expect(parseLocation(text)).toEqual(expected);
  });

  it.each(['/opt/n8n', './vps:n8n', 'n8n', 'C:\\n8n', 'C:/Users/admin/n8n', 'c:', 'folder/with:colon', '../a:b', '~/n8n', ''])('%j is local', (text) => {
    expect(parseLocation(text)).toEqual({ kind: 'local', path: text });
  });

  it.each([
    ['vps:', /names no folder after the colon/],
    ['-oProxyCommand=sh:/x', /not a host name or address/],
    ['bad user@vps:/x', /user name "bad user"/],
    ['ssh://u:secret@vps/x', /holds a password/],
    ['ssh://vps:0/x', /not an ssh:\/\/ address|port outside/],
    ['ssh://vps/x?y=1', /query or fragment/],
    ['vps:/a\nb', /line break or NUL/],
  ])('%j is refused with the field and the fix', (text, why) => {
    let error: unknown;
    try {
      parseLocation(text, '--out');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SetupError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', field: '--out', message: expect.stringMatching(why), fix: expect.stringContaining('user@host:/opt/n8n') });
  });

  it.each(['deploy@vps.example.com:/opt/n8n', 'vps:n8n', 'admin@[2001:db8::1]:/opt/n8n', 'ssh://deploy@vps.example.com:2222/opt/n8n', '/opt/n8n'])('formats %s back to what it parses from', (text) => {
    expect(parseLocation(formatLocation(parseLocation(text)))).toEqual(parseLocation(text));
  });
});

describe('parseSshTarget: a server without a folder', () => {
  it.each([
    ['deploy@vps.example.com', { user: 'deploy', host: 'vps.example.com' }],
    ['vps', { host: 'vps' }],
    ['root@[::1]', { user: 'root', host: '::1' }],
    ['ssh://deploy@127.0.0.1:2222', { user: 'deploy', host: '127.0.0.1', port: 2222 }],
    ['ssh://vps/', { host: 'vps' }],
  ])('%s', (text, expected) => {
    expect(parseSshTarget(text)).toEqual(expected);
  });

  it.each(['vps:/opt/n8n', 'vps:2222', '/opt/n8n', 'ssh://vps/opt', '-oProxyCommand=x'])('%j is refused', (text) => {
    expect(() => parseSshTarget(text, '--on')).toThrow(SetupError);
  });
});

describe('commandInFolder', () => {
  it('gives a command that a shell here hands to ssh, and the server’s shell runs in exactly that folder', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, mkdirSync, realpathSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { testProgram } = await import('../../scripts/test-programs.mjs');
    const sh = testProgram('sh');
    const base = mkdtempSync(join(tmpdir(), 'n8n-setup-cd-'));
    try {
      for (const name of ['plain', 'with space', "it's", 'a"b$c`d\\e', '-dash']) {
        const folder = join(base, name);
        mkdirSync(folder);
        const line = commandInFolder({ kind: 'remote', user: 'root', host: 'vps', port: 2222, path: folder }, 'pwd');
        expect(line.startsWith('ssh -p 2222 root@vps ')).toBe(true);
        // What the admin's shell passes to ssh as the remote command, then what the server's shell does with it.
        const sent = execFileSync(sh, ['-c', `printf '%s' ${line.slice('ssh -p 2222 root@vps '.length)}`], { encoding: 'utf8' });
        expect(execFileSync(sh, ['-c', sent], { encoding: 'utf8' }).trim(), name).toBe(realpathSync(folder));
      }
      expect(commandInFolder({ kind: 'remote', host: 'vps', path: '/opt/n8n' }, 'docker compose exec n8n true', { tty: true })).toBe("ssh -t vps 'cd /opt/n8n && docker compose exec n8n true'");
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
