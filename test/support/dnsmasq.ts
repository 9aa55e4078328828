/**
 * A real DNS server for the tests (Debian dnsmasq-base, not the dnsmasq package that starts a system
 * service): on a loopback port, answering only for example.test from the records the test gives, never
 * forwarding, with no pid file and no host files. Stopped by the test.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testProgram } from '../../scripts/test-programs.mjs';
import { freePorts } from '../acceptance/free-ports.js';
import { stopChild } from './stop-child.js';

export interface DnsServer {
  /** `127.0.0.1:PORT`, for Resolver.setServers and --dns-server. */
  server: string;
  stop(): Promise<void>;
}

/** `records`: dnsmasq lines such as `mx-host=…` and `txt-record=…` (a TXT of several quoted strings comes in chunks). */
export async function startDnsmasq(records: readonly string[]): Promise<DnsServer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(records);
    } catch (error) {
      if (attempt >= 2 || !/Address already in use/.test(String(error))) throw error;
    }
  }
}

async function startOnce(records: readonly string[]): Promise<DnsServer> {
  const [port] = await freePorts(1);
  const dir = mkdtempSync(join(tmpdir(), 'n8n-setup-dnsmasq-'));
  const conf = join(dir, 'dnsmasq.conf');
  writeFileSync(conf, [`port=${port}`, 'listen-address=127.0.0.1', 'bind-interfaces', 'no-resolv', 'no-hosts', 'no-poll', 'local=/example.test/', 'pid-file=', ...records, ''].join('\n'));
  const child = spawn(testProgram('dnsmasq'), ['--keep-in-foreground', `--conf-file=${conf}`, '--log-facility=-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dnsmasq exited (${code}): ${output}`))));
  exited.catch(() => undefined);
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const server = `127.0.0.1:${port}`;
  const resolver = new Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  const deadline = Date.now() + 5_000;
  for (;;) {
    // Any answer (NXDOMAIN included) says it is serving.
    const answered = await Promise.race([
      resolver.resolveTxt('ready.example.test').then(
        () => true,
        (error: NodeJS.ErrnoException) => error.code === 'ENOTFOUND' || error.code === 'ENODATA',
      ),
      exited,
    ]).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    if (answered) return { server, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`dnsmasq did not answer on ${server} within 5 s: ${output}`);
    }
  }
}
