/**
 * "Accepted by the server" is not "in the inbox": what the sender domain's DNS says about delivery, from
 * records already looked up (services/check/check-sender-domain.ts). Pure, so every rule is tested on its
 * own. Findings are advice: they never fail a check.
 */
import type { SenderDomainRecords } from '../smtp/sender-domain-records.js';

export type DomainFindingStatus = 'ok' | 'warning' | 'not-checked' | 'info';

export interface DomainFinding {
  check: 'domain' | 'mx' | 'spf' | 'dkim' | 'dmarc' | 'provider';
  status: DomainFindingStatus;
  message: string;
  fix?: string;
}

/** A lookup's answer: the records (TXT chunks already joined), none, or a failure to ask. */
export type Lookup<T> = { records: T[] } | { missing: 'no-domain' | 'no-records' } | { failed: string };

export interface SenderDomainAnswers {
  domain: string;
  mx: Lookup<{ exchange: string; priority: number }>;
  /** TXT at the domain (where SPF lives). */
  txt: Lookup<string>;
  /** Every SPF record reached through include: and redirect=, by domain (at most 10 lookups, as SPF allows). */
  spfTree: ReadonlyMap<string, string | undefined>;
  /** The record needs more than SPF's 10 lookups: receivers stop with permerror. */
  spfOverLimit?: boolean;
  dmarc: Lookup<string>;
  /** Where the DMARC record was found: the domain, or its organisational parent for a subdomain. */
  dmarcDomain?: string;
  /** DKIM TXT by selector (for a provider with fixed selectors). */
  dkim: ReadonlyMap<string, Lookup<string>>;
}

export function senderDomainFindings(answers: SenderDomainAnswers, provider: { name: string; records: SenderDomainRecords } | undefined): DomainFinding[] {
  const { domain } = answers;
  if (provider?.records.ownDomains?.includes(domain)) {
    return [{ check: 'domain', status: 'ok', message: `${domain} is ${provider.name}'s own domain: its SPF, DKIM and DMARC are ${provider.name}'s.` }];
  }
  if ('missing' in answers.mx && answers.mx.missing === 'no-domain' && 'missing' in answers.txt) {
    return [{ check: 'domain', status: 'warning', message: `${domain} does not exist in DNS: receivers reject mail from it.`, fix: 'Use a sender address on a domain you own and have set up for mail.' }];
  }
  return [mxFinding(answers), ...spfFindings(answers, provider), ...dkimFindings(answers, provider), dmarcFinding(answers), ...providerNotes(provider)];
}

function mxFinding({ domain, mx }: SenderDomainAnswers): DomainFinding {
  if ('failed' in mx) return { check: 'mx', status: 'not-checked', message: `The MX records of ${domain} could not be looked up (${mx.failed}).` };
  if ('missing' in mx) return { check: 'mx', status: 'warning', message: `${domain} has no MX record: bounces and replies cannot reach it, and some receivers reject senders without one.`, fix: `Add an MX record for ${domain} (your mail host), or send from a domain that receives mail.` };
  const hosts = [...mx.records].sort((a, b) => a.priority - b.priority).map((r) => r.exchange.replace(/\.$/, ''));
  // RFC 7505's null MX ("0 ."): the domain says it takes no mail at all.
  if (hosts.every((host) => host === '')) return { check: 'mx', status: 'warning', message: `${domain} declares that it receives no mail (a null MX): bounces and replies are lost, and receivers may reject it as a sender.`, fix: `Publish a real MX record for ${domain}, or send from a domain that receives mail.` };
  return { check: 'mx', status: 'ok', message: `${domain} receives mail (MX ${hosts.filter(Boolean).join(', ')}).` };
}

const SPF = /^v=spf1(\s|$)/i;

function spfFindings({ domain, txt, spfTree, spfOverLimit }: SenderDomainAnswers, provider: { name: string; records: SenderDomainRecords } | undefined): DomainFinding[] {
  if ('failed' in txt) return [{ check: 'spf', status: 'not-checked', message: `The TXT records of ${domain} could not be looked up (${txt.failed}).` }];
  const spf = 'records' in txt ? txt.records.filter((record) => SPF.test(record)) : [];
  const include = provider?.records.spfIncludes[0];
  const addFix = include ? `Add include:${include} to the SPF record of ${domain}, before its "all" (e.g. v=spf1 include:${include} ~all).` : `Publish an SPF record for ${domain} that names the servers you send through.`;
  if (spf.length === 0) return [{ check: 'spf', status: 'warning', message: `${domain} publishes no SPF record: receivers cannot tell which servers may send for it.`, fix: addFix }];
  if (spf.length > 1) return [{ check: 'spf', status: 'warning', message: `${domain} publishes ${spf.length} SPF records; SPF then fails for every message (permerror).`, fix: 'Merge them into one v=spf1 record.' }];
  const findings: DomainFinding[] = [];
  const record = spf[0]!;
  if (spfOverLimit) findings.push({ check: 'spf', status: 'warning', message: `The SPF record of ${domain} needs more than 10 DNS lookups (its includes and their includes): receivers stop with permerror and treat it as failed.`, fix: 'Flatten or remove includes until the whole record needs at most 10 lookups.' });
  if (/(^|\s)\+?all(\s|$)/i.test(record)) findings.push({ check: 'spf', status: 'warning', message: `The SPF record of ${domain} ends in "+all": it allows any server in the world to send as ${domain}.`, fix: 'End it with ~all or -all.' });
  if (!provider) return [...findings, { check: 'spf', status: 'ok', message: `${domain} has an SPF record: ${record}` }];
  const reached = [...spfTree.keys()].map((name) => name.toLowerCase());
  const found = provider.records.spfIncludes.find((name) => reached.includes(name.toLowerCase()));
  if (found) findings.push({ check: 'spf', status: 'ok', message: `The SPF record of ${domain} authorises ${provider.name} (include:${found}).` });
  else if (provider.records.spfNote) findings.push({ check: 'spf', status: 'info', message: `The SPF record of ${domain} does not include ${provider.name} (include:${include}). ${provider.records.spfNote}` });
  else findings.push({ check: 'spf', status: 'warning', message: `The SPF record of ${domain} does not authorise ${provider.name}: receivers may treat its mail as forged.`, fix: addFix });
  return findings;
}

function dkimFindings({ domain, dkim }: SenderDomainAnswers, provider: { name: string; records: SenderDomainRecords } | undefined): DomainFinding[] {
  if (!provider) return [{ check: 'dkim', status: 'not-checked', message: `DKIM of ${domain} was not checked: the selector depends on the mail server (choose its provider to check it).` }];
  const selectors = provider.records.dkimSelectors;
  if (selectors === 'per-customer') return [{ check: 'dkim', status: 'not-checked', message: `DKIM of ${domain} was not checked: ${provider.name} gives each domain its own selectors. Its dashboard shows whether the domain is verified.` }];
  if (selectors.length === 0) return [];
  const answers = selectors.map((selector) => [selector, dkim.get(selector)] as const);
  // A key with an empty p= is revoked: it signs nothing.
  const found = answers.filter(([, lookup]) => lookup && 'records' in lookup && lookup.records.some((record) => /(^|;)\s*p=[A-Za-z0-9+/]/.test(record)));
  if (found.length > 0) return [{ check: 'dkim', status: 'ok', message: `${domain} publishes ${provider.name}'s DKIM key${found.length > 1 ? 's' : ''} (${found.map(([selector]) => `${selector}._domainkey`).join(', ')}).` }];
  const failed = answers.find(([, lookup]) => lookup && 'failed' in lookup);
  if (failed) return [{ check: 'dkim', status: 'not-checked', message: `The DKIM records of ${domain} could not be looked up (${(failed[1] as { failed: string }).failed}).` }];
  return [
    {
      check: 'dkim',
      status: 'warning',
      message: `${domain} publishes no DKIM key where ${provider.name} signs (${selectors.map((selector) => `${selector}._domainkey.${domain}`).join(', ')}): its mail cannot pass DMARC on DKIM.`,
      fix: `Set up domain authentication (DKIM) for ${domain} in ${provider.name} and publish the records it shows.`,
    },
  ];
}

function dmarcFinding({ domain, dmarc, dmarcDomain }: SenderDomainAnswers): DomainFinding {
  if ('failed' in dmarc) return { check: 'dmarc', status: 'not-checked', message: `The DMARC record of ${domain} could not be looked up (${dmarc.failed}).` };
  const record = 'records' in dmarc ? dmarc.records.find((text) => /^v=DMARC1\s*(;|$)/i.test(text)) : undefined;
  const fix = `Publish a TXT record at _dmarc.${domain}, e.g. "v=DMARC1; p=none; rua=mailto:dmarc@${domain}", then tighten p= once reports look right.`;
  if (!record) return { check: 'dmarc', status: 'warning', message: `${domain} publishes no DMARC record: Gmail and Yahoo require one from bulk senders, and others trust its mail less.`, fix };
  const tags = new Map(record.split(';').map((part) => part.trim().split('=').map((s) => s.trim().toLowerCase()) as [string, string?]).map(([k, v]) => [k, v ?? '']));
  const policy = (dmarcDomain && dmarcDomain !== domain ? (tags.get('sp') ?? tags.get('p')) : tags.get('p')) ?? 'none';
  const where = dmarcDomain && dmarcDomain !== domain ? ` (from ${dmarcDomain})` : '';
  const strict = [tags.get('adkim') === 's' && 'DKIM', tags.get('aspf') === 's' && 'SPF'].filter(Boolean);
  const alignment = strict.length ? ` Alignment is strict for ${strict.join(' and ')}: the signing or Return-Path domain must be exactly ${domain}.` : ' Alignment is relaxed: a subdomain of the same domain counts.';
  if (policy === 'none') return { check: 'dmarc', status: 'ok', message: `${domain} has a DMARC record${where} with p=none: receivers report but do not act on failures.${alignment}` };
  if (policy === 'quarantine' || policy === 'reject') return { check: 'dmarc', status: 'ok', message: `${domain} has a DMARC record${where} with p=${policy}: mail that fails SPF and DKIM alignment is ${policy === 'reject' ? 'refused' : 'put in spam'}, so the provider must sign with ${domain} (DKIM).${alignment}` };
  return { check: 'dmarc', status: 'warning', message: `The DMARC record of ${domain}${where} has an unknown policy p=${policy}: receivers treat it as p=none.`, fix };
}

function providerNotes(provider: { name: string; records: SenderDomainRecords } | undefined): DomainFinding[] {
  return (provider?.records.notes ?? []).map((note) => ({ check: 'provider', status: 'info', message: `${provider!.name}: ${note}` }));
}
