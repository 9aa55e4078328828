/**
 * The setups the acceptance tier exports and runs on a real n8n: the matrix the product promises to get
 * right, and the classic mistakes whose outcome our SMTP test must predict.
 */
import type { SecretFileVariable } from '../../shared/export/secret-files.js';
import { PASSWORD, SENDER, USER } from '../smtp/smtp-test-setup.js';
import { TEST_HOST } from '../smtp/test-certificates.js';
import type { MailServers } from './mail-servers.js';

type ServerName = 'starttls' | 'tls' | 'rejectsSender';

export interface AcceptanceSetup {
  name: string;
  /** The profile, given the running mail servers and the folder with the admin's own files. */
  profile(servers: MailServers, sourceDir: string): Record<string, unknown>;
  secrets: Partial<Record<SecretFileVariable, string>>;
  /** The server n8n sends to; undefined: the setup sends no email. */
  server?: ServerName;
  /** What every link must start with: the public URL without its trailing slash. */
  instanceUrl: string;
  /**
   * Whether the throwaway CA stands in for the public roots (container-view.ts). False for the private-CA
   * setup, which must reach the server through the CA the export mounts.
   */
  publicRootsStandIn: boolean;
}

export const CUSTOM_INVITE = '<html><body><p id="n8n-setup-acceptance-invite">Welcome aboard, {{email}}!</p><p><a href="{{inviteAcceptUrl}}">Accept the invitation</a></p></body></html>\n';
export const CUSTOM_RESET = '<html><body><p id="n8n-setup-acceptance-reset">Hello {{firstName}},</p><p><a href="{{passwordResetUrl}}">Choose a new password</a></p></body></html>\n';

function smtp(servers: MailServers, server: ServerName, extra: Record<string, unknown> = {}) {
  return {
    mode: 'smtp',
    host: TEST_HOST,
    port: servers[server].port,
    security: server === 'tls' ? 'tls' : 'starttls',
    auth: { type: 'password', user: USER },
    sender: SENDER,
    ...extra,
  };
}

const caddy = { proxy: 'caddy', acmeEmail: 'ops@example.com' };
const password = { N8N_SMTP_PASS: PASSWORD };

export const SETUPS: AcceptanceSetup[] = [
  {
    name: 'STARTTLS, password in .env',
    profile: (s) => ({ email: smtp(s, 'starttls'), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, secrets: 'env' } }),
    secrets: password,
    server: 'starttls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
  },
  {
    name: 'implicit TLS, password as a Docker secret',
    profile: (s) => ({ email: smtp(s, 'tls'), url: { public: 'https://n8n.example.com' }, deploy: { proxy: 'traefik', acmeEmail: 'ops@example.com', secrets: 'file' } }),
    secrets: password,
    server: 'tls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
  },
  {
    name: 'sub-path public URL behind an external proxy',
    profile: (s) => ({ email: smtp(s, 'starttls'), url: { public: 'https://example.com/tools/n8n/' }, deploy: { proxy: 'external' } }),
    secrets: password,
    server: 'starttls',
    instanceUrl: 'https://example.com/tools/n8n',
    publicRootsStandIn: true,
  },
  {
    name: 'custom invite and reset templates',
    profile: (s) => ({
      email: smtp(s, 'starttls', { templates: { invite: { file: 'templates/invite.html' }, 'password-reset-requested': { file: 'templates/reset.html' } } }),
      url: { public: 'https://n8n.example.com/' },
      deploy: caddy,
    }),
    secrets: password,
    server: 'starttls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
  },
  {
    name: 'private CA for the SMTP server (email.caFile)',
    profile: (s) => ({ email: smtp(s, 'starttls', { caFile: s.certificates.caFile }), url: { public: 'https://n8n.example.com/' }, deploy: { ...caddy, secrets: 'file' } }),
    secrets: password,
    server: 'starttls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: false,
  },
  {
    name: 'manual invite links (no email)',
    profile: () => ({ email: { mode: 'none' }, url: { public: 'https://n8n.example.com/' }, deploy: caddy }),
    secrets: {},
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
  },
];

export interface MistakeSetup extends AcceptanceSetup {
  /** The class our SMTP test must report. */
  smtpClass: string;
  /** What n8n's own error on the invitation must contain. */
  n8nError: string;
}

/** The mistakes admins make most, each with what our test must predict and what n8n then says. */
export const MISTAKES: MistakeSetup[] = [
  {
    name: 'TLS on a STARTTLS port',
    profile: (s) => ({ email: smtp(s, 'starttls', { security: 'tls' }), url: { public: 'https://n8n.example.com/' }, deploy: caddy }),
    secrets: password,
    server: 'starttls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
    smtpClass: 'SSL_ON_PLAIN_PORT',
    n8nError: 'wrong version number',
  },
  {
    name: 'wrong password',
    profile: (s) => ({ email: smtp(s, 'starttls'), url: { public: 'https://n8n.example.com/' }, deploy: caddy }),
    secrets: { N8N_SMTP_PASS: 'not-the-password' },
    server: 'starttls',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
    smtpClass: 'AUTH_FAILED',
    n8nError: '535',
  },
  {
    name: 'sender rejected by the server',
    profile: (s) => ({ email: smtp(s, 'rejectsSender'), url: { public: 'https://n8n.example.com/' }, deploy: caddy }),
    secrets: password,
    server: 'rejectsSender',
    instanceUrl: 'https://n8n.example.com',
    publicRootsStandIn: true,
    smtpClass: 'SENDER_REJECTED',
    n8nError: '553',
  },
];
