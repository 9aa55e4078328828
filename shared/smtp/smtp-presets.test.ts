import { describe, expect, it } from 'vitest';
import { presetForHost, SMTP_PRESETS } from './smtp-presets.js';

/** Every provider of the SMTP reference's preset table, by its host. */
const REFERENCE_HOSTS = [
  'smtp.gmail.com',
  'smtp-relay.gmail.com',
  'smtp.office365.com',
  'smtp-mail.outlook.com',
  'email-smtp.eu-west-1.amazonaws.com',
  'smtp.sendgrid.net',
  'smtp.mailgun.org',
  'smtp.eu.mailgun.org',
  'smtp.postmarkapp.com',
  'smtp-relay.brevo.com',
  'in-v3.mailjet.com',
  'smtp.zoho.com',
  'smtppro.zoho.eu',
  'smtp.fastmail.com',
  'smtp.mail.me.com',
  'smtp.resend.com',
  'mail.smtp2go.com',
];

describe('SMTP_PRESETS', () => {
  it.each(REFERENCE_HOSTS)('knows %s', (host) => {
    expect(presetForHost(host)).toBeDefined();
  });

  it.each(SMTP_PRESETS.map((p) => [p.id, p] as const))('%s is complete: its own host, ports with security, user rule, secret name, https docs', (_id, preset) => {
    expect(preset.hostPattern.test(preset.host.replace('REGION', 'us-east-1'))).toBe(true);
    expect(preset.ports.length).toBeGreaterThan(0);
    expect(new Set(preset.ports.map((p) => p.port)).size).toBe(preset.ports.length);
    expect(preset.user).toMatch(/\.$/);
    expect(preset.secretName.length).toBeGreaterThan(2);
    if (preset.docs) expect(preset.docs).toMatch(/^https:\/\/[a-z0-9.-]+\//);
  });

  it('carries the policies that make tests fail', () => {
    const notes = (id: string) => SMTP_PRESETS.find((p) => p.id === id)?.notes.join(' ') ?? '';
    expect(notes('gmail')).toMatch(/app password/i);
    expect(notes('microsoft-365')).toMatch(/SMTP AUTH must be enabled/);
    expect(notes('amazon-ses')).toMatch(/sandbox/);
    expect(SMTP_PRESETS.find((p) => p.id === 'outlook-com')?.supported).toBe(false);
    expect(SMTP_PRESETS.find((p) => p.id === 'postmark')?.ports.some((p) => p.port === 465)).toBe(false);
  });

  it('does not mistake unknown hosts for a provider', () => {
    expect(presetForHost('mail.example.com')).toBeUndefined();
    expect(presetForHost('smtp.gmail.com.evil.example')).toBeUndefined();
  });
});
