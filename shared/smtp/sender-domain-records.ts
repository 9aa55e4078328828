/**
 * What each provider's mail needs in the sender domain's DNS: the SPF include that authorises its servers
 * and the selectors its DKIM keys are published under (per preset id). Providers that give every domain its
 * own selectors are "per-customer": their DKIM is not checked (never reported missing). `ownDomains`: sender
 * domains the provider itself runs (gmail.com): their records are the provider's business.
 */
export interface SenderDomainRecords {
  /** Any of these `include:` domains authorises the provider (current name first). */
  spfIncludes: readonly string[];
  dkimSelectors: readonly string[] | 'per-customer';
  ownDomains?: readonly string[];
  /** Where the provider expects SPF, when not on the From domain itself. */
  spfNote?: string;
  /** What keeps mail from being delivered although the server accepted it. */
  notes?: readonly string[];
}

export const SENDER_DOMAIN_RECORDS: Readonly<Record<string, SenderDomainRecords>> = {
  gmail: { spfIncludes: ['_spf.google.com'], dkimSelectors: ['google'], ownDomains: ['gmail.com', 'googlemail.com'] },
  'google-relay': { spfIncludes: ['_spf.google.com'], dkimSelectors: ['google'] },
  'microsoft-365': { spfIncludes: ['spf.protection.outlook.com'], dkimSelectors: ['selector1', 'selector2'] },
  'outlook-com': { spfIncludes: ['spf.protection.outlook.com'], dkimSelectors: [], ownDomains: ['outlook.com', 'hotmail.com', 'live.com'] },
  'amazon-ses': {
    spfIncludes: ['amazonses.com'],
    dkimSelectors: 'per-customer',
    spfNote: 'SES sends with its own MAIL FROM unless a custom MAIL FROM domain is set up; SPF then belongs on that subdomain.',
    notes: ['A new SES account is in the sandbox: it delivers only to verified addresses until production access is granted.', 'The From domain (or address) must be a verified identity in the same region.'],
  },
  sendgrid: { spfIncludes: ['sendgrid.net'], dkimSelectors: ['s1', 's2'], notes: ['Without domain authentication SendGrid signs as sendgrid.net: DMARC then fails for a From on your domain.'] },
  mailgun: { spfIncludes: ['mailgun.org', 'eu.mailgun.org'], dkimSelectors: 'per-customer', notes: ['A sandbox domain delivers only to authorized recipients.'] },
  postmark: { spfIncludes: ['spf.mtasv.net'], dkimSelectors: 'per-customer', spfNote: 'Postmark uses its own Return-Path, so SPF on your domain is optional; DKIM is what aligns.' },
  brevo: { spfIncludes: ['spf.brevo.com', 'spf.sendinblue.com'], dkimSelectors: ['brevo1', 'brevo2', 'mail'] },
  mailjet: { spfIncludes: ['spf.mailjet.com'], dkimSelectors: ['mailjet'] },
  zoho: { spfIncludes: ['zoho.com', 'zoho.eu', 'zoho.in', 'zoho.com.au', 'zoho.jp'], dkimSelectors: 'per-customer' },
  fastmail: { spfIncludes: ['spf.messagingengine.com'], dkimSelectors: ['fm1', 'fm2', 'fm3'], ownDomains: ['fastmail.com'] },
  icloud: { spfIncludes: ['icloud.com'], dkimSelectors: ['sig1'], ownDomains: ['icloud.com', 'me.com', 'mac.com'] },
  resend: { spfIncludes: ['amazonses.com'], dkimSelectors: ['resend'], spfNote: 'Resend checks SPF on the send. subdomain it sends from, not on the From domain.' },
  smtp2go: { spfIncludes: ['spf.smtp2go.com'], dkimSelectors: 'per-customer' },
};
