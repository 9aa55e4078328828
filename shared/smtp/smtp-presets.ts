/**
 * Mail providers admins pick from, with what n8n needs for each: host, ports and security, what goes into
 * the user field, what the provider calls the secret, and the policies that make a test fail. Links point
 * at the provider's own documentation; where we know of none for certain, there is no link.
 */
import type { Security } from '../profile/profile-schema.js';

export interface PresetPort {
  port: number;
  security: Exclude<Security, 'none'>;
}

export interface SmtpPreset {
  id: string;
  name: string;
  /** `REGION` (SES) or a regional alternative is named in `notes`. */
  host: string;
  /** Recognises the host in existing settings (lint, import). */
  hostPattern: RegExp;
  /** The first entry is the recommended one. */
  ports: readonly PresetPort[];
  user: string;
  /** The secret's name in the provider's UI. */
  secretName: string;
  notes: readonly string[];
  docs?: string;
  /** False when n8n cannot log in at all (no Microsoft OAuth in n8n). */
  supported: boolean;
  /** n8n's Google service-account OAuth2 works with this provider. */
  oauth2?: boolean;
}

const STARTTLS = (port: number): PresetPort => ({ port, security: 'starttls' });
const TLS = (port: number): PresetPort => ({ port, security: 'tls' });

export const SMTP_PRESETS: readonly SmtpPreset[] = [
  {
    id: 'gmail',
    name: 'Gmail / Google Workspace',
    host: 'smtp.gmail.com',
    hostPattern: /^smtp\.gmail\.com$/i,
    ports: [STARTTLS(587), TLS(465)],
    user: 'The full Gmail or Workspace address.',
    secretName: 'App password (16 characters)',
    notes: [
      'An app password needs 2-Step Verification on the account; the normal account password is refused (534 5.7.9).',
      'Workspace can instead use n8n\'s service-account OAuth2: scope https://mail.google.com/ with domain-wide delegation, and the user must be a real mailbox.',
      'Google rewrites the From to the account (or a verified alias).',
    ],
    docs: 'https://support.google.com/mail/answer/185833',
    supported: true,
    oauth2: true,
  },
  {
    id: 'google-relay',
    name: 'Google Workspace SMTP relay',
    host: 'smtp-relay.gmail.com',
    hostPattern: /^smtp-relay\.gmail\.com$/i,
    ports: [STARTTLS(587), STARTTLS(25), TLS(465)],
    user: 'A Workspace address, when the relay is set to require SMTP AUTH; nothing with an IP allow-list.',
    secretName: 'App password (when SMTP AUTH is required)',
    notes: ['Configured by a Workspace admin (Gmail → Routing → SMTP relay service): allowed senders, IP addresses, and whether SMTP AUTH and TLS are required.'],
    docs: 'https://support.google.com/a/answer/2956491',
    supported: true,
  },
  {
    id: 'microsoft-365',
    name: 'Microsoft 365 (Exchange Online)',
    host: 'smtp.office365.com',
    hostPattern: /^smtp\.office365\.com$/i,
    ports: [STARTTLS(587)],
    user: 'The mailbox address.',
    secretName: 'Password (or app password with MFA)',
    notes: [
      'SMTP AUTH must be enabled for the mailbox ("Authenticated SMTP"); otherwise the login fails with 5.7.139 or 5.7.3.',
      'Microsoft announced that password SMTP AUTH is switched off by default for existing tenants from the end of December 2026 (MC786329); n8n has no Microsoft OAuth, so plan a relay (e.g. a transactional provider).',
      'The sender must be the mailbox or an address it may send as.',
    ],
    docs: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
    supported: true,
  },
  {
    id: 'outlook-com',
    name: 'Outlook.com / Hotmail',
    host: 'smtp-mail.outlook.com',
    hostPattern: /^smtp-mail\.outlook\.com$/i,
    ports: [STARTTLS(587)],
    user: 'The Outlook.com address.',
    secretName: 'Password',
    notes: ['Password (basic) authentication was switched off in September 2024 and n8n has no Microsoft OAuth: n8n cannot send through Outlook.com. Use a transactional provider or your domain\'s mail server.'],
    docs: 'https://support.microsoft.com/en-us/office/pop-imap-and-smtp-settings-8361e398-8af4-4e97-b147-6c6c4ac95353',
    supported: false,
  },
  {
    id: 'amazon-ses',
    name: 'Amazon SES',
    host: 'email-smtp.REGION.amazonaws.com',
    hostPattern: /^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/i,
    ports: [STARTTLS(587), STARTTLS(2587), TLS(465), TLS(2465)],
    user: 'The SMTP user name of SES SMTP credentials (not an IAM access key).',
    secretName: 'SMTP password',
    notes: [
      'SMTP credentials belong to one region: use the host of the region they were created in (replace REGION, e.g. eu-west-1).',
      'In the sandbox, sender and recipients must be verified identities; request production access to send to anyone.',
    ],
    docs: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
    supported: true,
  },
  {
    id: 'sendgrid',
    name: 'SendGrid',
    host: 'smtp.sendgrid.net',
    hostPattern: /^smtp\.sendgrid\.net$/i,
    ports: [STARTTLS(587), STARTTLS(2525), TLS(465)],
    user: 'Literally "apikey".',
    secretName: 'API key (with Mail Send permission)',
    notes: ['The sender must be a verified Sender Identity (single sender or authenticated domain), written as "Name <address>" or an address.'],
    docs: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
    supported: true,
  },
  {
    id: 'mailgun',
    name: 'Mailgun',
    host: 'smtp.mailgun.org',
    hostPattern: /^smtp\.(eu\.)?mailgun\.org$/i,
    ports: [STARTTLS(587), STARTTLS(2525), TLS(465)],
    user: 'The domain\'s SMTP login, e.g. postmaster@mg.example.com.',
    secretName: 'SMTP password',
    notes: ['EU accounts use smtp.eu.mailgun.org.', 'Sandbox domains deliver only to authorized recipients.'],
    docs: 'https://documentation.mailgun.com/docs/mailgun/user-manual/smtp-protocol/',
    supported: true,
  },
  {
    id: 'postmark',
    name: 'Postmark',
    host: 'smtp.postmarkapp.com',
    hostPattern: /^smtp\.postmarkapp\.com$/i,
    ports: [STARTTLS(587), STARTTLS(2525)],
    user: 'The Server API token (the same value as the password).',
    secretName: 'Server API token',
    notes: ['No implicit TLS (port 465): keep N8N_SMTP_SSL=false.', 'The sender must be a confirmed Sender Signature or on a verified domain.'],
    docs: 'https://postmarkapp.com/developer/user-guide/send-email-with-smtp',
    supported: true,
  },
  {
    id: 'brevo',
    name: 'Brevo',
    host: 'smtp-relay.brevo.com',
    hostPattern: /^smtp-relay\.(brevo|sendinblue)\.com$/i,
    ports: [STARTTLS(587), STARTTLS(2525), TLS(465)],
    user: 'The SMTP login shown under SMTP & API → SMTP.',
    secretName: 'SMTP key (not an API key)',
    notes: ['The sender must be a verified sender or on an authenticated domain.'],
    docs: 'https://developers.brevo.com/docs/smtp-integration',
    supported: true,
  },
  {
    id: 'mailjet',
    name: 'Mailjet',
    host: 'in-v3.mailjet.com',
    hostPattern: /^in(-v3)?\.mailjet\.com$/i,
    ports: [STARTTLS(587), TLS(465)],
    user: 'The API key.',
    secretName: 'Secret key',
    notes: ['The sender address must be validated in Mailjet.'],
    supported: true,
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    host: 'smtp.zoho.com',
    hostPattern: /^smtp(pro)?\.zoho\.(com|eu|in|com\.au|jp)$/i,
    ports: [TLS(465), STARTTLS(587)],
    user: 'The full Zoho address.',
    secretName: 'Password, or application-specific password with two-factor authentication',
    notes: ['Paid organization accounts use smtppro.zoho.com; other data centers use .eu, .in, .com.au or .jp.', 'The From must be the account or one of its aliases.'],
    docs: 'https://www.zoho.com/mail/help/zoho-smtp.html',
    supported: true,
  },
  {
    id: 'fastmail',
    name: 'Fastmail',
    host: 'smtp.fastmail.com',
    hostPattern: /^smtp\.fastmail\.com$/i,
    ports: [TLS(465), STARTTLS(587)],
    user: 'The full Fastmail address.',
    secretName: 'App password',
    notes: ['The normal account password is refused; create an app password with SMTP access.'],
    docs: 'https://www.fastmail.com/help/technical/servernamesandports.html',
    supported: true,
  },
  {
    id: 'icloud',
    name: 'iCloud Mail',
    host: 'smtp.mail.me.com',
    hostPattern: /^smtp\.mail\.me\.com$/i,
    ports: [STARTTLS(587)],
    user: 'The full iCloud address.',
    secretName: 'App-specific password',
    notes: ['App-specific passwords need two-factor authentication on the Apple Account.', 'Meant for personal mail: low daily limits.'],
    docs: 'https://support.apple.com/en-us/102525',
    supported: true,
  },
  {
    id: 'resend',
    name: 'Resend',
    host: 'smtp.resend.com',
    hostPattern: /^smtp\.resend\.com$/i,
    ports: [TLS(465), TLS(2465), STARTTLS(587), STARTTLS(2587)],
    user: 'Literally "resend".',
    secretName: 'API key',
    notes: ['The sender must be on a verified domain.'],
    docs: 'https://resend.com/docs/send-with-smtp',
    supported: true,
  },
  {
    id: 'smtp2go',
    name: 'SMTP2GO',
    host: 'mail.smtp2go.com',
    hostPattern: /^mail(-(us|eu|au))?\.smtp2go\.com$/i,
    ports: [STARTTLS(587), STARTTLS(2525), STARTTLS(8025), TLS(465), TLS(8465)],
    user: 'An SMTP user from Sending → SMTP Users.',
    secretName: 'SMTP user password',
    notes: ['The sender must be a verified sender (address or domain).'],
    docs: 'https://developers.smtp2go.com/docs/smtp-relay',
    supported: true,
  },
];

export function presetForHost(host: string): SmtpPreset | undefined {
  return SMTP_PRESETS.find((preset) => preset.hostPattern.test(host.trim()));
}
