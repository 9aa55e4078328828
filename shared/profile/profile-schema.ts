/**
 * The profile: everything the admin decides, without secrets. JSON files and the wizard share it;
 * docs/profile.schema.json is generated from these schemas (npm run schema).
 * Unknown keys are rejected everywhere, so a typo never passes silently.
 */
import { z } from 'zod';
import { TEMPLATE_KINDS } from '../n8n/email-templates.js';
import { checkHostName, checkImageReference, checkPublicUrl, checkSender, checkTimezone, type Problem } from './field-rules.js';

function rule(check: (value: string) => Problem | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
  };
}

export const SecuritySchema = z.enum(['tls', 'starttls', 'none']).describe(
  '"tls": TLS from the first byte (usually port 465); "starttls": plain connect, then upgrade (587, 25, 2525); "none": no encryption.',
);

const userSchema = z.string().min(1).superRefine(rule((v) => (v.trim() !== v ? { message: 'has spaces at the start or end, which n8n strips.', fix: 'Remove the surrounding spaces.' } : undefined)));

export const AuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }).describe('No login (an internal relay that trusts this host).'),
  z.strictObject({ type: z.literal('password'), user: userSchema }).describe('User name and password; the password lives in the OS keychain.'),
  z
    .strictObject({ type: z.literal('google-service-account'), user: userSchema, serviceClient: z.string().min(1).regex(/^\d+$/, 'must be the numeric client ID of the service account') })
    .describe('Google Workspace service account with domain-wide delegation (2-legged OAuth2); the private key lives in the OS keychain.'),
]);

const templateFileSchema = z.strictObject({ file: z.string().min(1).describe('An HTML file (Handlebars) on this machine; copied beside the compose file and mounted read-only.') });

const templateShape = Object.fromEntries(
  TEMPLATE_KINDS.flatMap((t) => [
    [t.kind, templateFileSchema.optional().describe(`Template for: ${t.purpose} (${t.variable}).`)],
    [t.loaderKey, templateFileSchema.optional().describe(`Same as "${t.kind}" (the loader's name for it).`)],
  ]),
) as Record<string, z.ZodOptional<typeof templateFileSchema>>;

export const TemplatesSchema = z.strictObject(templateShape);

export const SmtpEmailSchema = z.strictObject({
  mode: z.literal('smtp'),
  host: z.string().superRefine(rule(checkHostName)).describe('SMTP server host name, without scheme or port.'),
  port: z.number().int().min(1).max(65535),
  security: SecuritySchema,
  auth: AuthSchema,
  sender: z.string().superRefine(rule(checkSender)).describe('From address: "addr@example.com" or "Name <addr@example.com>".'),
  caFile: z.string().min(1).optional().describe('PEM file with a private CA to trust for the SMTP server; mounted into /opt/custom-certificates.'),
  templates: TemplatesSchema.optional(),
});

export const ManualEmailSchema = z
  .strictObject({ mode: z.literal('none') })
  .describe('No email: admins copy invite links by hand. Password resets then cannot work.');

export const EmailSchema = z.discriminatedUnion('mode', [SmtpEmailSchema, ManualEmailSchema]);

export const UrlSchema = z.strictObject({
  public: z.string().superRefine(rule(checkPublicUrl)).describe('The address people type to reach n8n, e.g. https://n8n.example.com/ — used in every invite and reset link.'),
  proxyHops: z.number().int().min(0).max(10).optional().describe('Proxies in front of n8n (N8N_PROXY_HOPS). Default: 1 with a proxy, else 0.'),
});

export const ProxySchema = z.enum(['none', 'caddy', 'traefik', 'external']);

export const DeploySchema = z.strictObject({
  proxy: ProxySchema.optional().describe('"none": n8n published on 5678; "caddy"/"traefik": a proxy service with automatic TLS; "external": your own proxy (n8n bound to 127.0.0.1:5678).'),
  acmeEmail: z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an email address').optional().describe("Let's Encrypt account email (required for caddy and traefik)."),
  secrets: z.enum(['env', 'file']).optional().describe('"env": the password in .env (0600); "file": a Docker secret file and N8N_SMTP_PASS_FILE.'),
  timezone: z.string().superRefine(rule(checkTimezone)).optional().describe('IANA time zone, e.g. Europe/Berlin (TZ and GENERIC_TIMEZONE). Default: this machine\'s zone.'),
  image: z.string().superRefine(rule(checkImageReference)).optional().describe('Full image reference. Default: the n8n release this tool is tested against.'),
  encryptionKey: z.enum(['keep', 'generate']).optional().describe('"keep": never written or removed; "generate": a new random key, for a new instance only.'),
});

export const ProfileSchema = z
  .strictObject({
    version: z.literal(1),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-"').optional().describe('Profile name (default "default"); also names its keychain entries.'),
    email: EmailSchema,
    url: UrlSchema,
    deploy: DeploySchema.optional(),
  })
  .superRefine((profile, ctx) => {
    const proxy = profile.deploy?.proxy ?? 'none';
    if ((proxy === 'caddy' || proxy === 'traefik') && !profile.deploy?.acmeEmail) {
      ctx.addIssue({
        code: 'custom',
        path: ['deploy', 'acmeEmail'],
        message: `is required with proxy "${proxy}": Let's Encrypt needs an account email to issue the certificate.`,
        params: { fix: 'Add "acmeEmail": "you@example.com" under deploy.' },
      });
    }
    if (profile.email.mode === 'smtp' && profile.email.templates) {
      const seen = new Map<string, string>();
      for (const key of Object.keys(profile.email.templates)) {
        const kind = TEMPLATE_KINDS.find((t) => t.kind === key || t.loaderKey === key);
        if (!kind) continue;
        const other = seen.get(kind.kind);
        if (other) {
          ctx.addIssue({ code: 'custom', path: ['email', 'templates', key], message: `names the same template as "${other}".`, params: { fix: `Keep only one of "${other}" and "${key}".` } });
        }
        seen.set(kind.kind, key);
      }
    }
  });

export type Profile = z.infer<typeof ProfileSchema>;
export type SmtpEmail = z.infer<typeof SmtpEmailSchema>;
export type Auth = z.infer<typeof AuthSchema>;
export type Security = z.infer<typeof SecuritySchema>;
export type ProxyKind = z.infer<typeof ProxySchema>;
