/**
 * Everything the handlers work with, built once per app or `serve` process. Nothing here loads nodemailer
 * or the keychain module: both are imported on the first call that needs them, so the app starts without.
 */
import { homedir } from 'node:os';
import type { SecretStore } from '../secrets/secret-store.js';
import { SessionSecrets } from '../secrets/session-secrets.js';
import type { detectSmtp } from '../smtp/detect-smtp.js';
import type { sendTestEmail } from '../smtp/send-test-email.js';
import { SERVER_FOLDERS } from './browse-roots.js';
import { createDraftStore, type DraftStore } from './draft-store.js';
import { createProfileStore, type ProfileStore } from './profile-store.js';
import { createRecentServers, type RecentServers } from './recent-servers.js';
import { createSmtpRuns, type SmtpRuns } from './smtp-runs.js';
import { dnsServersFromEnvironment } from '../smtp/resolve-like-n8n.js';

export interface SmtpService {
  sendTestEmail: typeof sendTestEmail;
  detectSmtp: typeof detectSmtp;
}

export interface AppServices {
  version: string;
  platform: string;
  homeFolder: string;
  dataFolder: string;
  /** This installation's single-file CLI, written into every export as tools/n8n-setup.cjs. */
  cliBundle?: string;
  /** Folders besides home that serve's folder browser shows (/opt and /srv where they exist). */
  serverFolders: readonly string[];
  /** DNS servers the sender-domain check and the SMTP test ask (N8N_SETUP_DNS_SERVERS); empty: this machine's. */
  dnsServers: readonly string[];
  /** The ssh configuration for servers over SSH (N8N_SETUP_SSH_CONFIG); undefined: the user's ~/.ssh/config. */
  sshConfig?: string;
  profiles: ProfileStore;
  drafts: DraftStore;
  /** Servers reached over SSH lately, for picking one again. */
  recentServers: RecentServers;
  smtpRuns: SmtpRuns;
  /** Secrets typed in this session, bound to their server; memory only. */
  sessionSecrets: SessionSecrets;
  secretStore(): Promise<SecretStore>;
  smtp(): Promise<SmtpService>;
}

export interface AppServicesOptions {
  dataFolder: string;
  version: string;
  homeFolder?: string;
  platform?: string;
  cliBundle?: string;
  /** Default SERVER_FOLDERS; tests pass their own. */
  serverFolders?: readonly string[];
  dnsServers?: readonly string[];
  /** Tests pass a memory store; the default is the OS keychain, loaded on first use. */
  secretStore?: () => Promise<SecretStore>;
  smtp?: () => Promise<SmtpService>;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  return {
    version: options.version,
    platform: options.platform ?? process.platform,
    homeFolder: options.homeFolder ?? homedir(),
    dataFolder: options.dataFolder,
    ...(options.cliBundle && { cliBundle: options.cliBundle }),
    serverFolders: options.serverFolders ?? SERVER_FOLDERS,
    dnsServers: options.dnsServers ?? dnsServersFromEnvironment(),
    ...(process.env.N8N_SETUP_SSH_CONFIG && { sshConfig: process.env.N8N_SETUP_SSH_CONFIG }),
    profiles: createProfileStore(options.dataFolder),
    drafts: createDraftStore(options.dataFolder),
    recentServers: createRecentServers(options.dataFolder),
    smtpRuns: createSmtpRuns(),
    sessionSecrets: new SessionSecrets(),
    secretStore: options.secretStore ?? (async () => (await import('../secrets/keytar-secret-store.js')).systemSecretStore()),
    smtp: options.smtp ?? loadSmtpService,
  };
}

async function loadSmtpService(): Promise<SmtpService> {
  const [{ sendTestEmail }, { detectSmtp }] = await Promise.all([import('../smtp/send-test-email.js'), import('../smtp/detect-smtp.js')]);
  return { sendTestEmail, detectSmtp };
}
