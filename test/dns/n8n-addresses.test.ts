/**
 * The SMTP test connects where n8n's mailer would (nodemailer 8.0.10: DNS A then AAAA, not /etc/hosts; a
 * family only when the machine has a non-loopback interface of it; one address at random, then the others on
 * a connection error), against a real DNS server (dnsmasq on loopback) and a real SMTP server that listens
 * on one address family only — the IPv6-broken host. Each address that fails is a warning with its fix.
 * The interface table is given to the test (this machine's may lack IPv6), the addresses are real.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLikeN8n } from '../../services/smtp/resolve-like-n8n.js';
import { sendTestEmail } from '../../services/smtp/send-test-email.js';
import type { SmtpTestResult } from '../../shared/smtp/smtp-test-result.js';
import { startDnsmasq, type DnsServer } from '../support/dnsmasq.js';
import { startSmtpFixture, type SmtpFixture } from '../smtp/smtp-fixtures.js';

const BOTH_FAMILIES = () => interfaces(['IPv4', '192.0.2.10'], ['IPv6', '2001:db8::10']);
const IPV4_ONLY = () => interfaces(['IPv4', '192.0.2.10']);

function interfaces(...entries: Array<['IPv4' | 'IPv6', string]>): NodeJS.Dict<NetworkInterfaceInfo[]> {
  const loopback = [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ];
  return { lo: loopback, eth0: entries.map(([family, address]) => ({ address, family, internal: false })) } as unknown as NodeJS.Dict<NetworkInterfaceInfo[]>;
}

let dns: DnsServer;
let v4Only: SmtpFixture;
let v6Only: SmtpFixture;
beforeAll(async () => {
  dns = await startDnsmasq(['host-record=mail.example.test,127.0.0.1,::1', 'host-record=mail4.example.test,127.0.0.1']);
  v4Only = await startSmtpFixture({ address: '127.0.0.1' });
  v6Only = await startSmtpFixture({ address: '::1' });
});
afterAll(async () => {
  await Promise.all([v4Only?.close(), v6Only?.close(), dns?.stop()]);
});

function send(host: string, server: SmtpFixture, options: Parameters<typeof sendTestEmail>[1] = {}): Promise<SmtpTestResult> {
  return sendTestEmail(
    { variables: { N8N_SMTP_HOST: host, N8N_SMTP_PORT: String(server.port), N8N_SMTP_SSL: 'false', N8N_SMTP_STARTTLS: 'false', N8N_SMTP_SENDER: 'n8n@example.test' }, to: 'admin@example.test' },
    { dnsServers: [dns.server], interfaces: BOTH_FAMILIES, ...options },
  );
}

const notes = (result: SmtpTestResult) => result.transcript.filter((line) => line.dir === '*').map((line) => line.text);
const warning = (result: SmtpTestResult, code: string) => result.warnings.find((w) => w.code === code);

describe('where the SMTP test connects: as n8n’s mailer would', () => {
  it('asks DNS for A, then AAAA, in that order, as nodemailer lists them', async () => {
    expect(await resolveLikeN8n('mail.example.test', { timeoutMs: 5_000, servers: [dns.server], interfaces: BOTH_FAMILIES })).toEqual({ addresses: ['127.0.0.1', '::1'], via: 'dns', skipped: [] });
  });

  it('does not ask for AAAA on a machine without a non-loopback IPv6 interface (nodemailer skips the family)', async () => {
    expect(await resolveLikeN8n('mail.example.test', { timeoutMs: 5_000, servers: [dns.server], interfaces: IPV4_ONLY })).toEqual({ addresses: ['127.0.0.1'], via: 'dns', skipped: [6] });
  });

  it('falls back to getaddrinfo (/etc/hosts) only when DNS has no address, as nodemailer does', async () => {
    const found = await resolveLikeN8n('localhost', { timeoutMs: 5_000, servers: [dns.server], interfaces: BOTH_FAMILIES, lookupAll: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(found).toEqual({ addresses: ['127.0.0.1'], via: 'system', skipped: [] });
  });

  it('server on IPv4 only, name with A and AAAA: sent, and the AAAA address that refuses is a warning (n8n picks it for some emails)', async () => {
    const result = await send('mail.example.test', v4Only);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(notes(result)).toContain(`mail.example.test → 127.0.0.1, ::1 (DNS A/AAAA, as n8n’s mailer asks (not /etc/hosts))`);
    expect(notes(result)).toContain(`connected to 127.0.0.1:${v4Only.port}`);
    expect(warning(result, 'WARN_ADDRESS_UNREACHABLE')?.message).toMatch(new RegExp(`mail\\.example\\.test has 2 addresses and n8n picks one at random for each email: \\[::1\\]:${v4Only.port} refused or failed \\(ECONNREFUSED\\)\\. Emails that pick it fail over to the next address at once\\. Fix the AAAA record of mail\\.example\\.test, or this server's IPv6 route`));
  });

  it('server on IPv6 only: the IPv4 address refuses, the test goes on to the AAAA address as n8n does, sent, with the warning', async () => {
    const result = await send('mail.example.test', v6Only);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(notes(result)).toContain(`connection to 127.0.0.1:${v6Only.port} failed (ECONNREFUSED): n8n tries the next address`);
    expect(notes(result)).toContain(`connected to ::1:${v6Only.port}`);
    expect(warning(result, 'WARN_ADDRESS_UNREACHABLE')?.message).toMatch(/127\.0\.0\.1:\d+ refused or failed \(ECONNREFUSED\)[\s\S]*Fix the A record/);
  });

  it('server on IPv6 only, on a machine n8n would not ask AAAA from: fails as n8n would, and says IPv6 was not asked', async () => {
    const result = await send('mail.example.test', v6Only, { interfaces: IPV4_ONLY });
    expect(result).toMatchObject({ ok: false, class: 'CONNECTION_REFUSED' });
    expect(notes(result)[0]).toMatch(/mail\.example\.test → 127\.0\.0\.1 \(DNS A\/AAAA.*; IPv6 not asked \(no such interface here, as n8n's mailer skips it\)\)/);
  });

  it('a name with one address that works: no address warning (only the plain-text one of this server)', async () => {
    const result = await send('mail4.example.test', v4Only, { lookupAll: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(['WARN_PLAINTEXT']);
  });

  it('/etc/hosts pointing elsewhere than DNS: the test goes where n8n goes (DNS) and says that other tools here go elsewhere', async () => {
    const result = await send('mail4.example.test', v4Only, { lookupAll: async () => [{ address: '127.0.0.2', family: 4 }] });
    expect(result.ok).toBe(true);
    expect(warning(result, 'WARN_RESOLVES_DIFFERENTLY')?.message).toMatch(/gives 127\.0\.0\.2 for mail4\.example\.test, but n8n's mailer asks DNS directly and gets 127\.0\.0\.1: the test connected as n8n will/);
  });
});
