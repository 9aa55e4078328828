/**
 * Looks up what the sender domain publishes for mail — MX, SPF (following include: and redirect=, at most
 * the 10 lookups SPF itself allows), DMARC (on the domain, else its parent), and the chosen provider's DKIM
 * selectors — and hands the answers to the pure rules (shared/check/sender-domain-findings.ts). TXT records
 * longer than 255 characters arrive in chunks and are joined. Bounded: one deadline for all lookups.
 */
import { Resolver } from 'node:dns/promises';
import { SetupError } from '../../shared/errors.js';
import { senderDomainFindings, type DomainFinding, type Lookup, type SenderDomainAnswers } from '../../shared/check/sender-domain-findings.js';
import { SENDER_DOMAIN_RECORDS } from '../../shared/smtp/sender-domain-records.js';
import { presetForHost } from '../../shared/smtp/smtp-presets.js';

export interface SenderDomainRequest {
  /** The From as n8n sends it: an address or `Name <address>`. */
  sender: string;
  /** The SMTP host, to know the provider (its SPF include and DKIM selectors). */
  smtpHost?: string;
  /** DNS servers to ask (`IP` or `IP:PORT`); default: this machine's. */
  dnsServers?: readonly string[];
  /** For all lookups together. */
  timeoutMs?: number;
}

export interface SenderDomainReport {
  domain: string;
  provider?: string;
  findings: DomainFinding[];
}

export const SENDER_DOMAIN_TIMEOUT_MS = 10_000;
const SPF_LOOKUP_LIMIT = 10;

export async function checkSenderDomain(request: SenderDomainRequest): Promise<SenderDomainReport> {
  const domain = senderDomain(request.sender);
  const preset = request.smtpHost ? presetForHost(request.smtpHost) : undefined;
  const records = preset ? SENDER_DOMAIN_RECORDS[preset.id] : undefined;
  const provider = preset && records ? { name: preset.name, records } : undefined;
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  if (request.dnsServers?.length) {
    try {
      resolver.setServers([...request.dnsServers]);
    } catch {
      throw new SetupError({ code: 'INVALID_VALUE', field: 'dns-server', message: `${request.dnsServers.join(', ')} is not a DNS server address.`, fix: 'Give an IP address, with the port after a colon if it is not 53 (e.g. 127.0.0.1:5353 or [::1]:5353).' });
    }
  }
  const deadline = Date.now() + (request.timeoutMs ?? SENDER_DOMAIN_TIMEOUT_MS);
  // In-flight queries end at the deadline; a query not yet asked then is not asked at all.
  const timer = setTimeout(() => resolver.cancel(), deadline - Date.now());
  const ask = <T,>(query: () => Promise<T[]>) => (Date.now() >= deadline ? Promise.resolve<Lookup<T>>({ failed: 'no answer in time' }) : lookup(query));
  try {
    const txt = (name: string) => ask(() => resolver.resolveTxt(name).then((rows) => rows.map((chunks) => chunks.join(''))));
    const selectors = records && Array.isArray(records.dkimSelectors) ? records.dkimSelectors : [];
    const [mx, rootTxt, dmarc, dkimAnswers] = await Promise.all([
      ask(() => resolver.resolveMx(domain)),
      txt(domain),
      findDmarc(domain, txt),
      Promise.all(selectors.map(async (selector) => [selector, await txt(`${selector}._domainkey.${domain}`)] as const)),
    ]);
    const tree = await spfTree(domain, rootTxt, txt);
    const answers: SenderDomainAnswers = { domain, mx, txt: rootTxt, spfTree: tree.records, ...(tree.overLimit && { spfOverLimit: true }), ...dmarc, dkim: new Map(dkimAnswers) };
    return { domain, ...(provider && { provider: provider.name }), findings: senderDomainFindings(answers, provider) };
  } finally {
    clearTimeout(timer);
  }
}

/** The domain of `n8n@example.com` or `n8n <n8n@example.com>`, lower case. */
export function senderDomain(sender: string): string {
  const address = /<([^<>]*)>\s*$/.exec(sender)?.[1] ?? sender;
  const at = address.lastIndexOf('@');
  const domain = at === -1 ? '' : address.slice(at + 1).trim().replace(/\.$/, '').toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
    throw new SetupError({ code: 'INVALID_VALUE', field: 'sender', message: `The sender "${sender}" has no domain to check.`, fix: 'Give the From address, e.g. n8n@example.com or "n8n <n8n@example.com>".' });
  }
  return domain;
}

async function lookup<T>(query: () => Promise<T[]>): Promise<Lookup<T>> {
  try {
    const records = await query();
    return records.length ? { records } : { missing: 'no-records' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND') return { missing: 'no-domain' };
    if (code === 'ENODATA') return { missing: 'no-records' };
    return { failed: code === 'ECANCELLED' ? 'no answer in time' : (code ?? (error as Error).message) };
  }
}

/** DMARC at `_dmarc.<domain>`, else at its parents (the organisational domain's record covers subdomains). */
async function findDmarc(domain: string, txt: (name: string) => Promise<Lookup<string>>): Promise<Pick<SenderDomainAnswers, 'dmarc' | 'dmarcDomain'>> {
  const labels = domain.split('.');
  let first: Lookup<string> | undefined;
  for (let i = 0; i <= labels.length - 2; i++) {
    const name = labels.slice(i).join('.');
    const found = await txt(`_dmarc.${name}`);
    first ??= found;
    if ('failed' in found) return { dmarc: found };
    if ('records' in found && found.records.some((record) => /^v=DMARC1\s*(;|$)/i.test(record))) return { dmarc: found, dmarcDomain: name };
  }
  return { dmarc: first ?? { missing: 'no-records' } };
}

/** Every domain an SPF record reaches through include: and redirect=, with its SPF record (undefined: none there). */
async function spfTree(domain: string, rootTxt: Lookup<string>, txt: (name: string) => Promise<Lookup<string>>): Promise<{ records: Map<string, string | undefined>; overLimit: boolean }> {
  const tree = new Map<string, string | undefined>();
  let overLimit = false;
  const spfOf = (lookup: Lookup<string>) => ('records' in lookup ? lookup.records.find((record) => /^v=spf1(\s|$)/i.test(record)) : undefined);
  const queue: Array<[string, string | undefined]> = [[domain, spfOf(rootTxt)]];
  let lookups = 0;
  while (queue.length > 0) {
    const [name, record] = queue.shift()!;
    tree.set(name, record);
    for (const next of referenced(record)) {
      if (tree.has(next) || queue.some(([queued]) => queued === next)) continue;
      if (lookups >= SPF_LOOKUP_LIMIT) {
        overLimit = true;
        continue;
      }
      lookups++;
      queue.push([next, spfOf(await txt(next))]);
    }
  }
  return { records: tree, overLimit };
}

function referenced(record: string | undefined): string[] {
  if (!record) return [];
  return record
    .split(/\s+/)
    .flatMap((term) => /^[+~?-]?include:(.+)$/i.exec(term)?.[1] ?? /^redirect=(.+)$/i.exec(term)?.[1] ?? [])
    .map((name) => name.replace(/\.$/, '').toLowerCase());
}
