/**
 * The profile: everything the admin decides, without secrets. JSON files and the wizard share it;
 * docs/profile.schema.json is generated from these schemas (npm run schema).
 * Unknown keys are rejected everywhere, so a typo never passes silently.
 */
// zod/mini (the functional API of the same zod package): its schema objects are cheaper to build at
// startup than classic zod's and bundles carry less of zod. The issues it reports are the same core types.
// Mini loads no English locale, so zod's own issue.message is a bare "Invalid input": parse-profile.ts words
// every issue itself (and custom issues and regexes carry their own message), so nothing shows it.
import * as z from 'zod/mini';

// One-shot parses (a CLI run, an IPC call): compiling a fast path with new Function costs more than it saves.
z.config({ jitless: true });
import { TEMPLATE_KINDS } from '../n8n/email-templates.js';
import { checkHostName, checkImageReference, checkPlainText, checkPublicUrl, checkReadAsWrittenByN8n, checkSender, checkTimezone, type Problem } from './field-rules.js';

/** Attaches a description (for docs/profile.schema.json) to a freshly built schema; registers it without cloning. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema as z.ZodMiniType, { description });
  return schema;
}

function rule(check: (value: string) => Problem | undefined) {
  return z.superRefine((value: string, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
  });
}

export const SecuritySchema = described(
  z.enum(['tls', 'starttls', 'none']),
  '"tls": TLS from the first byte (usually port 465); "starttls": plain connect, then upgrade (587, 25, 2525); "none": no encryption.',
);

/** Every string of the profile: text a file and a variable can carry (no NUL, no broken surrogate). */
const text = () => z.string().check(rule(checkPlainText));

const userSchema = text().check(z.minLength(1), rule((v) => checkReadAsWrittenByN8n(v, 'n8n would log in as a different user')));

export const AuthSchema = z.discriminatedUnion('type', [
  described(z.strictObject({ type: z.literal('none') }), 'No login (an internal relay that trusts this host).'),
  described(z.strictObject({ type: z.literal('password'), user: userSchema }), 'User name and password; the password lives in the OS keychain.'),
  described(
    z.strictObject({
      type: z.literal('google-service-account'),
      user: userSchema,
      serviceClient: text().check(z.minLength(1), z.regex(/^\d+$/, 'must be the numeric client ID of the service account')),
    }),
    'Google Workspace service account with domain-wide delegation (2-legged OAuth2); the private key lives in the OS keychain.',
  ),
]);

const templateFileSchema = z.strictObject({
  file: described(text().check(z.minLength(1)), 'An HTML file (Handlebars) on this machine; copied beside the compose file and mounted read-only.'),
});

const templateShape = Object.fromEntries(
  TEMPLATE_KINDS.flatMap((t) => [
    [t.kind, described(z.optional(templateFileSchema), `Template for: ${t.purpose} (${t.variable}).`)],
    [t.loaderKey, described(z.optional(templateFileSchema), `Same as "${t.kind}" (the loader's name for it).`)],
  ]),
) as Record<string, z.ZodMiniOptional<typeof templateFileSchema>>;

export const TemplatesSchema = z.strictObject(templateShape);

export const SmtpEmailSchema = z.strictObject({
  mode: z.literal('smtp'),
  host: described(text().check(rule(checkHostName)), 'SMTP server host name, without scheme or port.'),
  port: z.int().check(z.minimum(1), z.maximum(65535)),
  security: SecuritySchema,
  auth: AuthSchema,
  sender: described(text().check(rule(checkSender)), 'From address: "addr@example.com" or "Name <addr@example.com>".'),
  caFile: described(z.optional(text().check(z.minLength(1))), 'PEM file with a private CA to trust for the SMTP server; mounted into /opt/custom-certificates.'),
  templates: z.optional(TemplatesSchema),
});

export const ManualEmailSchema = described(z.strictObject({ mode: z.literal('none') }), 'No email: admins copy invite links by hand. Password resets then cannot work.');

export const EmailSchema = z.discriminatedUnion('mode', [SmtpEmailSchema, ManualEmailSchema]);

export const UrlSchema = z.strictObject({
  public: described(text().check(rule(checkPublicUrl)), 'The address people type to reach n8n, e.g. https://n8n.example.com/ — used in every invite and reset link.'),
  proxyHops: described(z.optional(z.int().check(z.minimum(0), z.maximum(10))), 'Proxies in front of n8n (N8N_PROXY_HOPS). Default: 1 with a proxy, else 0.'),
});

export const ProxySchema = z.enum(['none', 'caddy', 'traefik', 'external', 'platform']);

export const DeploySchema = z.strictObject({
  proxy: described(z.optional(ProxySchema), '"none": n8n published on 5678; "caddy"/"traefik": a proxy service with automatic TLS; "external": your own proxy (n8n bound to 127.0.0.1:5678); "platform": Coolify, Dokploy, CapRover and the like route to the container (no published port).'),
  acmeEmail: described(z.optional(text().check(z.regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be an email address'))), "Let's Encrypt account email: required when export adds the caddy or traefik service (a proxy already in the compose file keeps its own)."),
  secrets: described(z.optional(z.enum(['env', 'file'])), '"env": the password in .env (0600); "file": a Docker secret file and N8N_SMTP_PASS_FILE.'),
  timezone: described(z.optional(text().check(rule(checkTimezone))), "IANA time zone, e.g. Europe/Berlin (TZ and GENERIC_TIMEZONE). Default: a new folder gets this machine's zone; an existing deployment keeps the zone it has."),
  image: described(z.optional(text().check(rule(checkImageReference))), 'Full image reference. Default: the n8n release this tool is tested against.'),
  encryptionKey: described(z.optional(z.enum(['keep', 'generate'])), '"keep": never written or removed; "generate": a new random key, for a new instance only.'),
});

export const ProfileSchema = z
  .strictObject({
    version: z.literal(1),
    name: described(
      z.optional(text().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1–64 letters, digits, ".", "_" or "-"'))),
      'Profile name (default "default"); also names its keychain entries.',
    ),
    email: EmailSchema,
    url: UrlSchema,
    deploy: z.optional(DeploySchema),
  })
  .check(
    z.superRefine((profile, ctx) => {
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
    }),
  );

export type Profile = z.infer<typeof ProfileSchema>;
export type SmtpEmail = z.infer<typeof SmtpEmailSchema>;
export type Auth = z.infer<typeof AuthSchema>;
export type Security = z.infer<typeof SecuritySchema>;
export type ProxyKind = z.infer<typeof ProxySchema>;
