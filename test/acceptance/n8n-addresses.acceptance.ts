/**
 * Our address resolution against n8n's own: nodemailer 8.0.10 from n8n 2.41.1's node_modules resolves the
 * same names (`lib/shared` resolveHostname) against the same real DNS server (dnsmasq on loopback) and the
 * same interface table; the address list (A then AAAA, or getaddrinfo's) must be ours, in order, and its
 * random pick one of them. nodemailer builds its own dns.Resolver, which reads the system's servers: the
 * child process points every Resolver at the test's server before loading nodemailer (a shim on Node's dns
 * module, nodemailer's code untouched), and sets the interface table nodemailer exports for that purpose.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLikeN8n } from '../../services/smtp/resolve-like-n8n.js';
import { startDnsmasq, type DnsServer } from '../support/dnsmasq.js';
import { preparedN8n } from './prepared-n8n.js';

const TABLES = {
  'IPv4 and IPv6': { eth0: [{ address: '192.0.2.10', family: 'IPv4', internal: false }, { address: '2001:db8::10', family: 'IPv6', internal: false }] },
  'IPv4 only': { eth0: [{ address: '192.0.2.10', family: 'IPv4', internal: false }] },
  'IPv6 only': { eth0: [{ address: '2001:db8::10', family: 'IPv6', internal: false }] },
};
const LOOPBACK = { lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }, { address: '::1', family: 'IPv6', internal: true }] };
const NAMES = ['both.example.test', 'v4.example.test', 'v6.example.test', 'three.example.test', 'localhost', '127.0.0.9'];

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsmasq(['host-record=both.example.test,127.0.0.1,::1', 'host-record=v4.example.test,127.0.0.2', 'host-record=v6.example.test,::2', 'address=/three.example.test/127.0.0.3', 'address=/three.example.test/127.0.0.4', 'address=/three.example.test/::3']);
});
afterAll(() => dns?.stop());

/** nodemailer 8.0.10's answer, in a child process with n8n's own module. */
function nodemailerResolves(host: string, table: object): Promise<{ host: string; addresses: string[] } | { error: string }> {
  const shared = join(preparedN8n().installDir, 'node_modules', 'nodemailer', 'lib', 'shared');
  const script = `
    const dns = require('node:dns');
    const Original = dns.Resolver;
    dns.Resolver = class extends Original { constructor(o) { super(o); this.setServers([${JSON.stringify(dns.server)}]); } };
    const shared = require(${JSON.stringify(shared)});
    shared.networkInterfaces = ${JSON.stringify(table)};
    shared.resolveHostname({ host: ${JSON.stringify(host)} }, (error, resolved) => {
      process.stdout.write(JSON.stringify(error ? { error: error.code } : { host: resolved.host, addresses: resolved._addresses }));
    });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 20_000 }, (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
  });
}

describe.each(Object.entries(TABLES))('a machine with %s', (_name, table) => {
  it.each(NAMES)('%s: our addresses are nodemailer 8.0.10’s, in its order (or both fail alike)', async (host) => {
    const theirs = await nodemailerResolves(host, { ...LOOPBACK, ...table });
    const ours = await resolveLikeN8n(host, { timeoutMs: 5_000, servers: [dns.server], interfaces: () => ({ ...LOOPBACK, ...table }) as never }).catch((error: { originalCode?: string }) => ({ error: error.originalCode }));
    if ('error' in theirs) {
      // No A/AAAA of a family the machine has, and getaddrinfo (the system's DNS) does not know the test's names.
      expect(ours).toEqual({ error: theirs.error });
      return;
    }
    expect(ours).toMatchObject({ addresses: theirs.addresses });
    expect(theirs.addresses).toContain(theirs.host);
  });
});
