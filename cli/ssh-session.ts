/**
 * What every command that works on a server over SSH does first: ssh's settings from --ssh-config (else the
 * user's ~/.ssh/config), the host key checked against known_hosts (a host not in it is shown with its
 * fingerprints and trusted only with --accept-host-key), and a key's passphrase asked on the terminal when
 * there is one — never stored; without a terminal, ssh runs in batch mode and asks nothing.
 */
import { resolve } from 'node:path';
import type { SshOptions, SshTarget } from '../services/remote/ssh-connection.js';
import { commandInFolder, parseLocation } from '../shared/remote/remote-location.js';
import type { CliIo } from './cli-io.js';

export interface SshFlags {
  'accept-host-key'?: string;
  'ssh-config'?: string;
}

export const SSH_FLAG_OPTIONS = { 'accept-host-key': { type: 'string' }, 'ssh-config': { type: 'string' } } as const;

export const SSH_FLAGS_HELP = `  --accept-host-key SHA256:…  a server not yet in known_hosts: the fingerprint you checked
                           (the first run shows the server's fingerprints)
  --ssh-config FILE        another ssh configuration than ~/.ssh/config`;

export async function withSsh<T>(io: CliIo, flags: SshFlags, target: SshTarget, signal: AbortSignal | undefined, run: (ssh: SshOptions) => Promise<T>): Promise<T> {
  const { ensureKnownHost } = await import('../services/remote/ssh-connection.js');
  const ssh: SshOptions = { timeoutMs: 15_000, ...(flags['ssh-config'] && { configFile: resolve(io.cwd, flags['ssh-config']) }), ...(io.sshPrograms && { programs: io.sshPrograms }), ...(signal && { signal }) };
  await ensureKnownHost(target, flags['accept-host-key'], ssh);
  const terminal = io.terminal ? io.terminal() : (await import('./terminal-prompt.js')).openTerminal();
  const askpass = terminal && ((prompt: string) => terminal.askHidden(`${prompt.replace(/:?\s*$/, '')}: `).catch(() => undefined));
  try {
    return await run({ ...ssh, ...(askpass && { askpass }) });
  } finally {
    terminal?.close();
  }
}

/** The command that applies an export where its folder is: here, or on the server over ssh. */
export function applyCommand(outDir: string): string {
  const location = parseLocation(outDir);
  return location.kind === 'local' ? 'docker compose up -d' : commandInFolder(location, 'docker compose up -d');
}
