/**
 * Real proxies in front of the acceptance tier's n8n: Debian's nginx and Caddy, on loopback ports in temp
 * folders, with the throwaway CA's certificate, each stopped by the test. They run the configuration this
 * tool writes (nginx-server-block.ts, caddyfile.ts) with only the certificate and listen lines adapted — or
 * a deliberately broken copy of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';
import { caddyEnvironment } from '../support/caddy.js';
import type { KeyAndCertificate } from '../smtp/test-certificates.js';
import { stopChild } from '../support/stop-child.js';

export interface RunningProxy {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

/**
 * nginx with one server block (as written for conf.d/): its certificate lines point at `certificate`, it
 * listens on 127.0.0.1 only.
 */
export async function startNginx(serverBlock: string, port: number, certificate: KeyAndCertificate): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-nginx-'));
  const files = certificateFiles(dir, certificate);
  const block = serverBlock
    .replace(/^\s*listen \[::\]:.*$/gm, '')
    .replace(/listen (\d+)( ssl)?;/g, (_m, p: string, ssl: string | undefined) => `listen 127.0.0.1:${p}${ssl ?? ''};`)
    .replace(/ssl_certificate \S+;/, `ssl_certificate ${files.cert};`)
    .replace(/ssl_certificate_key \S+;/, `ssl_certificate_key ${files.key};`);
  writeFileSync(join(dir, 'n8n.conf'), block);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      ...(process.getuid?.() === 0 ? ['user root;'] : []),
      'daemon off;',
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log info;`,
      'events { worker_connections 64; }',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${dir}/body;`,
      `    proxy_temp_path ${dir}/proxy;`,
      `    fastcgi_temp_path ${dir}/fastcgi;`,
      `    uwsgi_temp_path ${dir}/uwsgi;`,
      `    scgi_temp_path ${dir}/scgi;`,
      `    include ${dir}/n8n.conf;`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(testProgram('nginx'), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  return running(child, dir, port, 'nginx');
}

/** Caddy with one site block (as written for a Caddyfile), served with `certificate`; no admin API, no trust store. */
export async function startCaddy(siteBlock: string, port: number, certificate: KeyAndCertificate): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-caddy-run-'));
  const files = certificateFiles(dir, certificate);
  const site = siteBlock.replace(/^(.*\{)\n/, `$1\n\ttls ${files.cert} ${files.key}\n`);
  const global = ['{', '\tadmin off', '\tskip_install_trust', '\tauto_https disable_redirects', `\tstorage file_system ${dir}/data`, '}', ''];
  writeFileSync(join(dir, 'Caddyfile'), [...global, site].join('\n'));
  const child = spawn(testProgram('caddy'), ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { stdio: ['ignore', 'pipe', 'pipe'], env: caddyEnvironment(dir) });
  return running(child, dir, port, 'caddy');
}

function certificateFiles(dir: string, certificate: KeyAndCertificate): { cert: string; key: string } {
  const files = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  writeFileSync(files.cert, certificate.cert);
  writeFileSync(files.key, certificate.key, { mode: 0o600 });
  return files;
}

async function running(child: ChildProcess, dir: string, port: number, name: string): Promise<RunningProxy> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${name} did not start on 127.0.0.1:${port}: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { port, log: () => output, stop };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
