import { describe, expect, it } from 'vitest';
import { adaptCaddyfile } from '../../test/support/caddy.js';
import { CADDY, requireTool } from '../../test/support/external-tools.js';
import { bundledCaddyfile, caddySiteBlock } from './caddyfile.js';

describe('caddySiteBlock', () => {
  it('proxies the site to n8n and flushes at once (push messages must not wait in a buffer)', () => {
    expect(caddySiteBlock({ address: 'n8n.example.com', pathPrefix: '', upstream: '127.0.0.1:5678' })).toBe(
      'n8n.example.com {\n\treverse_proxy 127.0.0.1:5678 {\n\t\tflush_interval -1\n\t}\n}\n',
    );
  });

  it('on a sub-path, strips the prefix with handle_path and redirects the bare prefix to its slash', () => {
    const block = caddySiteBlock({ address: 'example.com', pathPrefix: '/n8n', upstream: 'n8n:5678' });
    expect(block).toContain('\tredir /n8n /n8n/ 308\n');
    expect(block).toContain('\thandle_path /n8n/* {\n\t\treverse_proxy n8n:5678 {\n');
  });
});

describe('bundledCaddyfile', () => {
  it('serves the public host with the ACME e-mail as a global option and reaches n8n on the compose network', () => {
    const text = bundledCaddyfile({ host: 'n8n.example.com', acmeEmail: 'admin@example.com' });
    expect(text).toContain('{\n\temail admin@example.com\n}\n');
    expect(text).toContain('n8n.example.com {\n\treverse_proxy n8n:5678 {\n\t\tflush_interval -1\n');
    expect(text.startsWith('# Written by n8n Setup')).toBe(true);
  });

  it('leaves the e-mail out when there is none, and refuses one that would break the Caddyfile', () => {
    expect(bundledCaddyfile({ host: 'n8n.example.com', acmeEmail: '' })).not.toContain('email');
    expect(() => bundledCaddyfile({ host: 'n8n.example.com', acmeEmail: 'a@b.c }' })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
  });

  it('is a Caddyfile Caddy accepts, with the ACME e-mail and the sub-path handled (caddy adapt)', (context) => {
    requireTool(context, CADDY);
    const adapt = adaptCaddyfile(bundledCaddyfile({ host: 'n8n.example.com', acmeEmail: 'admin@example.com', pathPrefix: '/n8n/' }));
    expect(adapt.status, adapt.stderr).toBe(0);
    for (const part of ['"email":"admin@example.com"', '"strip_path_prefix":"/n8n"', '"dial":"n8n:5678"', '"flush_interval":-1']) expect(adapt.stdout).toContain(part);
  });
});
