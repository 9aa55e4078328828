/**
 * The name of every channel and event of the app's API, without their schemas. The preload bundles only
 * this file (the sandboxed page's bridge stays a few hundred bytes); contract.ts gives each name its input
 * and output schema, and the type system plus contract-drift.test.ts keep the two lists identical.
 * A channel is `n8n-setup:<name>` over IPC and `POST /api/<name>` over HTTP.
 */
export const CHANNEL_NAMES = [
  'listProfiles',
  'loadProfile',
  'saveProfile',
  'deleteProfile',
  'renameProfile',
  'loadDraft',
  'saveDraft',
  'clearDraft',
  'secretStatus',
  'setSecret',
  'deleteSecret',
  'sessionSecrets',
  'forgetSessionSecrets',
  'forgetAllSecrets',
  'testSmtp',
  'cancelSmtp',
  'detectSmtp',
  'smtpCertificates',
  'trustSmtpCertificate',
  'previewExport',
  'writeExport',
  'listBackups',
  'restoreBackup',
  'restoreExport',
  'importSetup',
  'uploadTemplate',
  'browseFolder',
  'makeFolder',
  'chooseFolder',
  'chooseFile',
  'sshHostKey',
  'trustSshHostKey',
  'sshLogin',
  'sshKeyPassphrase',
  'keepSshKeyPassphrase',
  'recentServers',
  'applySetup',
  'checkInstance',
  'checkSenderDomain',
  'sendThroughN8n',
  'openDocs',
  'appInfo',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Pushed from the services to the page: SMTP test progress, one event per stage reached. */
export const EVENT_NAMES = ['smtpStage', 'applyOutput', 'exportStep'] as const;

export type EventName = (typeof EVENT_NAMES)[number];

const CHANNELS: ReadonlySet<string> = new Set(CHANNEL_NAMES);

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && CHANNELS.has(value);
}

export function ipcChannel(name: ChannelName): string {
  return `n8n-setup:${name}`;
}

export function ipcEventChannel(name: EventName): string {
  return `n8n-setup:event:${name}`;
}
