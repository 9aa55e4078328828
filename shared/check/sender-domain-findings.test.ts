import { describe, expect, it } from 'vitest';
import { SENDER_DOMAIN_RECORDS } from '../smtp/sender-domain-records.js';
import { senderDomainFindings, type SenderDomainAnswers } from './sender-domain-findings.js';

const sendgrid = { name: 'SendGrid', records: SENDER_DOMAIN_RECORDS.sendgrid! };
const answers = (overrides: Partial<SenderDomainAnswers>): SenderDomainAnswers => ({
  domain: 'example.test',
  mx: { records: [{ exchange: 'mx.example.test', priority: 10 }] },
  txt: { records: ['v=spf1 include:sendgrid.net ~all'] },
  spfTree: new Map([['example.test', 'v=spf1 include:sendgrid.net ~all'], ['sendgrid.net', 'v=spf1 ip4:1.2.3.4 -all']]),
  dmarc: { records: ['v=DMARC1; p=none'] },
  dkim: new Map([['s1', { records: ['v=DKIM1; k=rsa; p=MIIBIjAN'] }]]),
  ...overrides,
});
const finding = (a: SenderDomainAnswers, check: string) => senderDomainFindings(a, sendgrid).filter((f) => f.check === check);

describe('senderDomainFindings', () => {
  it('a null MX (RFC 7505) is a domain that takes no mail, not one that does', () => {
    expect(finding(answers({ mx: { records: [{ exchange: '', priority: 0 }] } }), 'mx')).toEqual([expect.objectContaining({ status: 'warning', message: expect.stringContaining('null MX') })]);
  });

  it('a revoked DKIM key (empty p=) is no key', () => {
    expect(finding(answers({ dkim: new Map([['s1', { records: ['v=DKIM1; p='] }]]) }), 'dkim')).toEqual([expect.objectContaining({ status: 'warning' })]);
  });

  it('an SPF record past 10 lookups is a permerror, said as such', () => {
    expect(finding(answers({ spfOverLimit: true }), 'spf').map((f) => f.status)).toEqual(['warning', 'ok']);
  });

  it('"+all" lets the world send as the domain', () => {
    expect(finding(answers({ txt: { records: ['v=spf1 include:sendgrid.net +all'] } }), 'spf')[0]).toMatchObject({ status: 'warning', message: expect.stringContaining('"+all"') });
  });
});
