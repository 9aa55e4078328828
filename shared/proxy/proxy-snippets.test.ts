import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptCaddyfile, caddyEnvironment } from '../../test/support/caddy.js';
import { CADDY, NGINX, OPENSSL, requireTool } from '../../test/support/external-tools.js';
import { proxySnippets } from './proxy-snippets.js';

const snippet = (publicUrl: string, title: string, upstream = '127.0.0.1:5678') =>
  proxySnippets({ publicUrl, upstream }).find((s) => s.title.startsWith(title))!.text;

describe('proxySnippets', () => {
  it('returns the same routing for nginx, Caddy and Traefik, as files to paste', () => {
    expect(proxySnippets({ publicUrl: 'https://n8n.example.com/', upstream: '127.0.0.1:5678' }).map(({ fileName, title }) => [fileName, title])).toEqual([
      ['n8n.conf', 'nginx'],
      ['Caddyfile', 'Caddy'],
      ['n8n-traefik.yaml', 'Traefik (file provider)'],
    ]);
  });

  it('nginx: speaks HTTP/1.1 upstream, passes websocket upgrades, keeps Host, sets X-Forwarded-*, does not buffer', () => {
    const text = snippet('https://n8n.example.com/', 'nginx');
    for (const line of [
      'proxy_pass http://127.0.0.1:5678;',
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Connection $n8n_connection_upgrade;',
      'proxy_set_header Host $host;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_buffering off;',
    ]) {
      expect(text).toContain(`        ${line}\n`);
    }
    expect(text).toContain('map $http_upgrade $n8n_connection_upgrade {');
  });

  it('nginx: redirects http to https and points at the certificates for the host', () => {
    const text = snippet('https://n8n.example.com/', 'nginx');
    expect(text).toContain('    return 301 https://$host$request_uri;\n');
    expect(text).toContain('    ssl_certificate /etc/letsencrypt/live/n8n.example.com/fullchain.pem;\n');
  });

  it('nginx: on a sub-path, strips the prefix (proxy_pass with a trailing slash) and redirects the bare prefix', () => {
    const text = snippet('https://example.com/n8n/', 'nginx');
    expect(text).toContain('    location = /n8n {\n        return 301 /n8n/;\n    }\n');
    expect(text).toContain('    location /n8n/ {\n        proxy_pass http://127.0.0.1:5678/;\n');
  });

  it('nginx: keeps the port in Host when the public URL has one (n8n compares it with the browser\'s Origin)', () => {
    expect(snippet('https://n8n.example.com:8443/', 'nginx')).toContain('proxy_set_header Host $http_host;');
  });

  it('Caddy: a site block for the public host; plain http only when the URL says so', () => {
    expect(snippet('https://n8n.example.com/', 'Caddy')).toContain('\nn8n.example.com {\n\treverse_proxy 127.0.0.1:5678 {\n\t\tflush_interval -1\n');
    expect(snippet('http://n8n.lan:8080/', 'Caddy')).toContain('\nhttp://n8n.lan:8080 {\n');
  });

  it('refuses an upstream that is not host:port', () => {
    expect(() => proxySnippets({ publicUrl: 'https://n8n.example.com/', upstream: 'http://127.0.0.1:5678' })).toThrow(
      expect.objectContaining({ code: 'INVALID_VALUE' }),
    );
  });

  it('nginx accepts every variant (nginx -t)', (context) => {
    requireTool(context, NGINX);
    requireTool(context, OPENSSL);
    const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-nginx-'));
    try {
      const certificate = spawnSync(OPENSSL.command, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
      expect(certificate.status).toBe(0);
      for (const url of ['https://n8n.example.com/', 'https://example.com/n8n/', 'http://10.0.0.5:8080/tools/n8n', 'https://n8n.example.com:8443/']) {
        const text = snippet(url, 'nginx')
          .replace(/ssl_certificate (\S+);/, `ssl_certificate ${join(dir, 'cert.pem')};`)
          .replace(/ssl_certificate_key (\S+);/, `ssl_certificate_key ${join(dir, 'key.pem')};`);
        writeFileSync(join(dir, 'n8n.conf'), text);
        writeFileSync(join(dir, 'nginx.conf'), nginxMainConfig(dir));
        const test = spawnSync(NGINX.command, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
        expect(test.stderr, url).toContain('test is successful');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Caddy accepts every variant (caddy adapt)', (context) => {
    requireTool(context, CADDY);
    for (const url of ['https://n8n.example.com/', 'https://example.com/n8n/', 'http://10.0.0.5:8080/tools/n8n']) {
      const adapt = adaptCaddyfile(snippet(url, 'Caddy'));
      expect(adapt.status, `${url}: ${adapt.stderr}`).toBe(0);
      expect(adapt.stdout).toContain('"flush_interval":-1');
    }
  });
});

describe.each([
  { proxy: 'nginx', tool: NGINX },
  { proxy: 'Caddy', tool: CADDY },
])('the $proxy snippet in front of a stand-in n8n, on a sub-path', ({ proxy, tool }) => {
  let n8n: StandIn;
  let running: { port: number; stop: () => void };

  beforeAll(async () => {
    if (!tool.installed) return;
    n8n = await standInN8n();
    running = await runProxy(proxy, `http://example.com:${await freePort()}/n8n/`, `127.0.0.1:${n8n.port}`);
  });
  afterAll(() => {
    running?.stop();
    n8n?.server.close();
  });

  it('passes requests on with the prefix stripped, Host kept and X-Forwarded-* set', async (context) => {
    requireTool(context, tool);
    const response = await get(running.port, '/n8n/rest/settings?x=1');
    expect(response.status).toBe(200);
    const seen = JSON.parse(response.body) as { url: string; headers: IncomingHttpHeaders };
    expect(seen.url).toBe('/rest/settings?x=1');
    expect(seen.headers.host).toBe(`example.com:${running.port}`);
    expect(seen.headers['x-forwarded-for']).toContain('127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
  });

  it('redirects the bare prefix to its slash', async (context) => {
    requireTool(context, tool);
    const response = await get(running.port, '/n8n');
    expect([301, 308]).toContain(response.status);
    expect(response.location).toMatch(/\/n8n\/$/);
  });

  it('passes a websocket upgrade on and carries the bytes both ways (the editor\'s push connection)', async (context) => {
    requireTool(context, tool);
    const { status, path, reply } = await upgrade(running.port, '/n8n/rest/push?pushRef=abc', 'ping');
    expect(status).toBe(101);
    expect(path).toBe('/rest/push?pushRef=abc');
    expect(reply).toBe('PING');
  });
});

type StandIn = { server: Server; port: number };

/** Answers with what it received; on an upgrade, switches protocols and echoes bytes in upper case. */
async function standInN8n(): Promise<StandIn> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  server.on('upgrade', (req, socket: Socket) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Path: ${req.url}\r\n\r\n`);
    socket.on('data', (data) => socket.write(data.toString().toUpperCase()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function runProxy(proxy: string, publicUrl: string, upstream: string): Promise<{ port: number; stop: () => void }> {
  const port = Number(new URL(publicUrl).port);
  const dir = mkdtempSync(join(tmpdir(), `n8n-setup-${proxy.toLowerCase()}-`));
  let child: ChildProcess;
  if (proxy === 'nginx') {
    writeFileSync(join(dir, 'n8n.conf'), snippet(publicUrl, 'nginx', upstream));
    writeFileSync(join(dir, 'nginx.conf'), `daemon off;\nmaster_process off;\n${nginxMainConfig(dir)}`);
    child = spawn(NGINX.command, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  } else {
    writeFileSync(join(dir, 'Caddyfile'), `{\n\tadmin off\n}\n${snippet(publicUrl, 'Caddy', upstream)}`);
    child = spawn(CADDY.command, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { stdio: 'ignore', env: caddyEnvironment(dir) });
  }
  const stop = () => {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  await waitForPort(port).catch((error: unknown) => {
    stop();
    throw error;
  });
  return { port, stop };
}

function nginxMainConfig(dir: string): string {
  return `error_log stderr;\npid ${join(dir, 'nginx.pid')};\nevents {}\nhttp {\n    access_log off;\n    include ${join(dir, 'n8n.conf')};\n}\n`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

function get(port: number, path: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `example.com:${port}` } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ...(res.headers.location ? { location: res.headers.location } : {}) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(port: number, path: string, send: string): Promise<{ status: number; path: string; reply: string }> {
  return new Promise((resolve, reject) => {
    const headers = { host: `example.com:${port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const req = request({ host: '127.0.0.1', port, path, headers });
    req.on('upgrade', (res, socket: Socket) => {
      socket.on('data', (data) => {
        resolve({ status: res.statusCode ?? 0, path: String(res.headers['x-path']), reply: data.toString() });
        socket.destroy();
      });
      socket.write(send);
    });
    req.on('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}
