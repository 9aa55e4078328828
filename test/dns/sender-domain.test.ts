/**
 * The sender domain's DNS, read from a real DNS server (dnsmasq on loopback, serving example.test from this
 * test): a good domain, an SPF record without the provider's include, no DMARC, a DKIM key at the wrong
 * selector, a TXT record in chunks, a nested include, a subdomain under its parent's DMARC, a provider with
 * per-customer selectors, a domain that does not exist, and a DNS server that does not answer.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.js';
import { checkSenderDomain } from '../../services/check/check-sender-domain.js';
import type { DomainFinding } from '../../shared/check/sender-domain-findings.js';
import { startDnsmasq, type DnsServer } from '../support/dnsmasq.js';

const DKIM_KEY = 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtest';
// One SPF record in two character-strings (each at most 255): readers join them as they are, adding nothing.
const LONG_SPF = [`v=spf1 ${Array.from({ length: 16 }, (_, i) => `ip4:192.0.2.${i + 1}`).join(' ')} `, `${Array.from({ length: 6 }, (_, i) => `ip4:198.51.100.${i + 1}`).join(' ')} include:_spf.google.com ~all`];

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsmasq([
    // good: Google Workspace with everything in place
    'mx-host=good.example.test,mx1.good.example.test,10',
    'txt-record=good.example.test,"v=spf1 include:_spf.google.com ~all"',
    `txt-record=google._domainkey.good.example.test,"${DKIM_KEY}"`,
    'txt-record=_dmarc.good.example.test,"v=DMARC1; p=reject; sp=quarantine; adkim=s"',
    // a subdomain sender under good's DMARC
    'mx-host=alerts.good.example.test,mx1.good.example.test,10',
    // SendGrid, but the SPF names another provider
    'mx-host=nospf.example.test,mx.nospf.example.test,10',
    'txt-record=nospf.example.test,"v=spf1 include:spf.mailjet.com -all"',
    `txt-record=s1._domainkey.nospf.example.test,"${DKIM_KEY}"`,
    'txt-record=_dmarc.nospf.example.test,"v=DMARC1; p=none"',
    // SendGrid, all but DMARC
    'mx-host=nodmarc.example.test,mx.nodmarc.example.test,10',
    'txt-record=nodmarc.example.test,"v=spf1 include:sendgrid.net ~all"',
    `txt-record=s1._domainkey.nodmarc.example.test,"${DKIM_KEY}"`,
    // SendGrid, DKIM at a selector SendGrid does not use
    'mx-host=wrongdkim.example.test,mx.wrongdkim.example.test,10',
    'txt-record=wrongdkim.example.test,"v=spf1 include:sendgrid.net ~all"',
    `txt-record=other._domainkey.wrongdkim.example.test,"${DKIM_KEY}"`,
    'txt-record=_dmarc.wrongdkim.example.test,"v=DMARC1; p=quarantine"',
    // an SPF record over 255 characters, in two chunks, the include in the second
    'mx-host=long.example.test,mx.long.example.test,10',
    `txt-record=long.example.test,${LONG_SPF.map((chunk) => `"${chunk}"`).join(',')}`,
    'txt-record=_dmarc.long.example.test,"v=DMARC1; p=none"',
    `txt-record=google._domainkey.long.example.test,"${DKIM_KEY}"`,
    // the provider reached through the company relay's SPF
    'mx-host=nested.example.test,mx.nested.example.test,10',
    'txt-record=nested.example.test,"v=spf1 include:relay.example.test ~all"',
    'txt-record=relay.example.test,"v=spf1 ip4:203.0.113.5 include:_spf.google.com -all"',
    // no MX at all, two SPF records
    'txt-record=twospf.example.test,"v=spf1 -all"',
    'txt-record=twospf.example.test,"v=spf1 include:amazonses.com ~all"',
  ]);
});
afterAll(() => dns?.stop());

const check = (sender: string, smtpHost?: string) => checkSenderDomain({ sender, ...(smtpHost && { smtpHost }), dnsServers: [dns.server] });
const byCheck = (findings: DomainFinding[]) => Object.fromEntries(findings.map((f) => [`${f.check}:${f.status}`, f.message]));
const statuses = (findings: DomainFinding[]) => findings.map((f) => `${f.check}:${f.status}`);

describe('checkSenderDomain against a real DNS server', () => {
  it('a good domain: MX, SPF with the provider, its DKIM key, DMARC with the policy and alignment said', async () => {
    const report = await check('n8n <n8n@good.example.test>', 'smtp.gmail.com');
    expect(report).toMatchObject({ domain: 'good.example.test', provider: 'Gmail / Google Workspace' });
    expect(statuses(report.findings)).toEqual(['mx:ok', 'spf:ok', 'dkim:ok', 'dmarc:ok']);
    const said = byCheck(report.findings);
    expect(said['spf:ok']).toContain('include:_spf.google.com');
    expect(said['dkim:ok']).toContain('google._domainkey');
    expect(said['dmarc:ok']).toMatch(/p=reject: mail that fails SPF and DKIM alignment is refused/);
    expect(said['dmarc:ok']).toContain('strict for DKIM');
  });

  it('an SPF record without the provider is a warning with the include to add', async () => {
    const report = await check('n8n@nospf.example.test', 'smtp.sendgrid.net');
    const spf = report.findings.find((f) => f.check === 'spf');
    expect(spf).toMatchObject({ status: 'warning', fix: expect.stringContaining('include:sendgrid.net') });
    expect(statuses(report.findings)).toContain('dkim:ok');
  });

  it('no DMARC record is a warning with a record to publish', async () => {
    const report = await check('n8n@nodmarc.example.test', 'smtp.sendgrid.net');
    expect(report.findings.find((f) => f.check === 'dmarc')).toMatchObject({ status: 'warning', fix: expect.stringContaining('_dmarc.nodmarc.example.test') });
    expect(statuses(report.findings).filter((s) => s.endsWith(':warning'))).toEqual(['dmarc:warning']);
  });

  it("a DKIM key at a selector the provider does not sign with is missing, naming the provider's selectors", async () => {
    const report = await check('n8n@wrongdkim.example.test', 'smtp.sendgrid.net');
    expect(report.findings.find((f) => f.check === 'dkim')).toMatchObject({ status: 'warning', message: expect.stringContaining('s1._domainkey.wrongdkim.example.test, s2._domainkey.wrongdkim.example.test') });
  });

  it('a TXT record over 255 characters comes in chunks and is read joined; an include reached through another domain counts', async () => {
    const long = await check('n8n@long.example.test', 'smtp.gmail.com');
    expect(LONG_SPF.every((chunk) => chunk.length <= 255) && LONG_SPF.join('').length > 255).toBe(true);
    expect(long.findings.find((f) => f.check === 'spf')).toMatchObject({ status: 'ok', message: expect.stringContaining('include:_spf.google.com') });
    const nested = await check('n8n@nested.example.test', 'smtp.gmail.com');
    expect(nested.findings.find((f) => f.check === 'spf')?.status).toBe('ok');
  });

  it("a subdomain sender is judged by its parent's DMARC (its sp= policy)", async () => {
    const report = await check('alerts@alerts.good.example.test', 'smtp.gmail.com');
    expect(report.findings.find((f) => f.check === 'dmarc')).toMatchObject({ status: 'ok', message: expect.stringContaining('(from good.example.test) with p=quarantine') });
  });

  it('per-customer DKIM selectors are "not checked", never "missing"; provider notes come along', async () => {
    const report = await check('n8n@twospf.example.test', 'email-smtp.eu-west-1.amazonaws.com');
    expect(report.findings.find((f) => f.check === 'dkim')).toMatchObject({ status: 'not-checked', message: expect.stringContaining('gives each domain its own selectors') });
    expect(report.findings.find((f) => f.check === 'mx')?.status).toBe('warning');
    expect(report.findings.find((f) => f.check === 'spf')).toMatchObject({ status: 'warning', message: expect.stringContaining('2 SPF records') });
    expect(report.findings.filter((f) => f.check === 'provider').map((f) => f.message).join(' ')).toContain('sandbox');
  });

  it('a domain that does not exist is said in one finding', async () => {
    const report = await check('n8n@missing.example.test', 'smtp.gmail.com');
    expect(report.findings).toEqual([expect.objectContaining({ check: 'domain', status: 'warning', message: 'missing.example.test does not exist in DNS: receivers reject mail from it.' })]);
  });

  it("a provider's own domain (gmail.com) needs nothing from the admin, and is not looked up further", async () => {
    const report = await checkSenderDomain({ sender: 'me@gmail.com', smtpHost: 'smtp.gmail.com', dnsServers: [dns.server] });
    expect(statuses(report.findings)).toEqual(['domain:ok']);
  });

  it('a sender without a domain is refused with the field', async () => {
    await expect(check('n8n', 'smtp.gmail.com')).rejects.toMatchObject({ code: 'INVALID_VALUE', field: 'sender' });
  });
});

describe('check --deliverability', () => {
  async function cli(args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['check', ...args], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => new Uint8Array(), cwd: process.cwd() });
    return { code, stdout, stderr };
  }

  it('prints each finding with its fix and exits 0: advice never fails the check', async () => {
    const run = await cli(['--deliverability', '--from', 'n8n <n8n@nodmarc.example.test>', '--smtp-host', 'smtp.sendgrid.net', '--dns-server', dns.server]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Sender domain nodmarc.example.test, sending through SendGrid');
    expect(run.stdout).toMatch(/WARNING {2}nodmarc\.example\.test publishes no DMARC record/);
    expect(run.stdout).toMatch(/fix: {4}Publish a TXT record at _dmarc\.nodmarc\.example\.test/);
    const json = JSON.parse((await cli(['--deliverability', '--from', 'n8n@good.example.test', '--smtp-host', 'smtp.gmail.com', '--dns-server', dns.server, '--json'])).stdout);
    expect(json).toMatchObject({ ok: true, deliverability: { domain: 'good.example.test', findings: expect.arrayContaining([expect.objectContaining({ check: 'dkim', status: 'ok' })]) } });
  });

  it('refuses a DNS server that is not an address, and the options without --deliverability', async () => {
    expect(await cli(['--deliverability', '--from', 'n8n@good.example.test', '--dns-server', 'not-an-ip'])).toMatchObject({ code: 2, stderr: expect.stringContaining('not-an-ip is not a DNS server address') });
    expect((await cli(['--url', 'http://127.0.0.1:9', '--from', 'n8n@good.example.test'])).code).toBe(2);
  });
});

describe('a DNS server that never answers', () => {
  let silent: Socket;
  beforeAll(async () => {
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  });
  afterAll(() => silent.close());

  it('ends within the deadline with every lookup "not checked", never a throw', async () => {
    const started = performance.now();
    const report = await checkSenderDomain({ sender: 'n8n@good.example.test', smtpHost: 'smtp.gmail.com', dnsServers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 1_500 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(report.findings.filter((f) => f.check !== 'provider').every((f) => f.status === 'not-checked')).toBe(true);
  });
});
