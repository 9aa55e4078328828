import { TEMPLATE_KINDS, type TemplateKindName } from '../n8n/email-templates.js';
import type { Auth, Profile, ProxyKind, Security } from './profile-schema.js';

/** A profile with every default filled in: what export and the wizard's review work from. */
export interface ResolvedProfile {
  name: string;
  email: ResolvedSmtp | { mode: 'none' };
  url: { public: string; proxyHops: number };
  deploy: {
    proxy: ProxyKind;
    acmeEmail?: string;
    secrets: 'env' | 'file';
    /** Only when the profile names one: otherwise export keeps what the target has (see plan-export). */
    timezone?: string;
    /** Only when the profile names one: otherwise export keeps the image the target runs. */
    image?: string;
    encryptionKey: 'keep' | 'generate';
  };
}

export interface ResolvedSmtp {
  mode: 'smtp';
  host: string;
  port: number;
  security: Security;
  auth: Auth;
  sender: string;
  caFile?: string;
  templates: Partial<Record<TemplateKindName, { file: string }>>;
}

export function resolveProfile(profile: Profile): ResolvedProfile {
  const proxy = profile.deploy?.proxy ?? 'none';
  const email = profile.email;
  return {
    name: profile.name ?? 'default',
    email:
      email.mode === 'none'
        ? { mode: 'none' }
        : {
            mode: 'smtp',
            host: email.host,
            port: email.port,
            security: email.security,
            auth: email.auth,
            sender: email.sender,
            ...(email.caFile !== undefined && { caFile: email.caFile }),
            templates: canonicalTemplates(email.templates),
          },
    url: { public: profile.url.public, proxyHops: profile.url.proxyHops ?? (proxy === 'none' ? 0 : 1) },
    deploy: {
      proxy,
      ...(profile.deploy?.acmeEmail !== undefined && { acmeEmail: profile.deploy.acmeEmail }),
      secrets: profile.deploy?.secrets ?? 'env',
      ...(profile.deploy?.timezone !== undefined && { timezone: profile.deploy.timezone }),
      ...(profile.deploy?.image !== undefined && { image: profile.deploy.image }),
      encryptionKey: profile.deploy?.encryptionKey ?? 'keep',
    },
  };
}

function canonicalTemplates(templates: Record<string, { file: string } | undefined> | undefined): ResolvedSmtp['templates'] {
  const out: ResolvedSmtp['templates'] = {};
  for (const kind of TEMPLATE_KINDS) {
    const entry = templates?.[kind.kind] ?? templates?.[kind.loaderKey];
    if (entry) out[kind.kind] = entry;
  }
  return out;
}
