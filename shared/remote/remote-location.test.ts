import { describe, expect, it } from 'vitest';
import { SetupError } from '../errors.js';
import { formatLocation, parseLocation, parseSshTarget } from './remote-location.js';

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
