import { SetupError } from '../../../shared/errors.js';
import { smtpVariablesFromProfile } from '../../../shared/smtp/n8n-mailer.js';
import { loadProfile } from '../../profile/read-profile-file.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import { secretsForRun } from '../run-secrets.js';
import { readProfileCa } from '../../smtp/read-profile-ca.js';
import { DETECT_PORTS } from '../../smtp/detect-smtp-ports.js';

type Channels = 'testSmtp' | 'cancelSmtp' | 'detectSmtp' | 'smtpCertificates' | 'trustSmtpCertificate' | 'sshHostKey' | 'trustSshHostKey' | 'sshLogin' | 'sshKeyPassphrase' | 'keepSshKeyPassphrase' | 'recentServers' | 'applySetup';

export function smtpHandlers(services: AppServices): HandlerGroup<Channels> {
  return {
    testSmtp: async (input, context) => {
      const loaded = loadProfile(input.profile, input.outDir ?? services.homeFolder);
      const email = loaded.resolved.email;
      if (email.mode !== 'smtp') {
        throw new SetupError({ code: 'INVALID_PROFILE', field: 'email.mode', message: 'email.mode is "none": there is no SMTP server to test.', fix: 'Choose SMTP and enter the server first.' });
      }
      const { secrets, keychainProblem, bindToServer } = await secretsForRun(await services.secretStore(), loaded.resolved, input.secrets, { secretForNewServer: input.secretForNewServer }, services.sessionSecrets);
      // Testing without the password would only report a login failure that is not the real problem.
      if (keychainProblem && email.auth.type !== 'none') throw keychainProblem;
      const extraCa = await readProfileCa(loaded);

      const signal = services.smtpRuns.start(input.runId);
      try {
        if (input.onServer) {
          // The same test on the server, this app's CLI copied there for the run; its stages come back live.
          const [{ remoteSmtpTestEvents }, target] = await Promise.all([import('../../remote/remote-smtp-test.js'), sshTarget(input.onServer)]);
          const bundle = await readCliBundle(services);
          const report = await remoteSmtpTestEvents(
            { target, bundle, variables: smtpVariablesFromProfile(loaded.resolved, secrets), ...(extraCa && { extraCa }), to: input.to, ...(input.inProject && { container: input.inProject }) },
            { ...sshOptions(services), signal },
            (event) => context.emit('smtpStage', { runId: input.runId, ...event }),
          );
          return report;
        }
        const { sendTestEmail } = await services.smtp();
        const result = await sendTestEmail(
          { variables: smtpVariablesFromProfile(loaded.resolved, secrets), to: input.to, ...(extraCa && { extraCa }) },
          { signal, dnsServers: services.dnsServers, onStage: (event) => context.emit('smtpStage', { runId: input.runId, ...event }) },
        );
        const notBound = result.ok ? await bindToServer?.() : undefined;
        return notBound ? { ...result, warnings: [...result.warnings, { ...notBound, variables: [] }] } : result;
      } finally {
        services.smtpRuns.finish(input.runId);
      }
    },
    cancelSmtp: async ({ runId }) => ({ cancelled: services.smtpRuns.cancel(runId) }),
    detectSmtp: async ({ host, runId, port, security }) => {
      const { detectSmtp } = await services.smtp();
      // A port the admin typed is probed too, as the security chosen for it says (plain or STARTTLS alike start in clear).
      const ports = port === undefined || DETECT_PORTS.some((p) => p.port === port) ? DETECT_PORTS : [...DETECT_PORTS, { port, mode: security === 'tls' ? ('tls' as const) : ('starttls' as const) }];
      if (runId === undefined) return detectSmtp(host, { ports });
      const signal = services.smtpRuns.start(runId);
      try {
        return await detectSmtp(host, { signal, ports });
      } finally {
        services.smtpRuns.finish(runId);
      }
    },
    smtpCertificates: async ({ host, port, security, runId }) => {
      const { fetchCertificateChain } = await import('../../smtp/fetch-certificate-chain.js');
      if (runId === undefined) return fetchCertificateChain({ host, port, security });
      const signal = services.smtpRuns.start(runId);
      try {
        return await fetchCertificateChain({ host, port, security }, { signal });
      } finally {
        services.smtpRuns.finish(runId);
      }
    },
    trustSmtpCertificate: async (input) => (await import('../../smtp/trust-server-certificate.js')).trustServerCertificate(services.dataFolder, input),
      sshHostKey: async ({ server }) => {
      const { resolveTarget, isKnownHost, scanHostKeys, knownHostsName } = await import('../../remote/ssh-connection.js');
      const options = sshOptions(services);
      const target = await sshTarget(server);
      const resolved = await resolveTarget(target, options);
      if (await isKnownHost(resolved, options)) {
        await services.recentServers.remember(server);
        return { known: true, name: knownHostsName(resolved), keys: [] };
      }
      const keys = await scanHostKeys(resolved, options, target);
      if (keys.length === 0) {
        throw new SetupError({ code: 'SSH_UNREACHABLE', field: 'server', message: `No SSH server answered at ${resolved.hostname} port ${resolved.port}.`, fix: 'Check the server name, the port (Port in ~/.ssh/config) and that sshd runs there.' });
      }
      return { known: false, name: knownHostsName(resolved), keys: keys.map(({ type, fingerprint }) => ({ type, fingerprint })) };
    },
    trustSshHostKey: async ({ server, fingerprint }) => {
      const { ensureKnownHost } = await import('../../remote/ssh-connection.js');
      await ensureKnownHost(await sshTarget(server), fingerprint, sshOptions(services));
      await services.recentServers.remember(server);
      return { trusted: true as const };
    },
    sshLogin: async ({ server }) => {
      const { runRemoteScript, KeyPassphraseError } = await import('../../remote/ssh-connection.js');
      let out = '';
      const run = await runRemoteScript(await sshTarget(server), 'id -un\n', sshOptions(services), (stream, text) => {
        if (stream === 'stdout') out = (out + text).slice(0, 256);
      }).catch((error: unknown) => {
        if (error instanceof KeyPassphraseError) return { passphrase: { key: error.key, wrong: error.wrong, message: error.message } };
        throw error;
      });
      if ('passphrase' in run) return { passphraseFor: run.passphrase };
      if (run.code !== 0) throw new SetupError({ code: 'SSH_FAILED', field: 'server', message: `Logged in to ${server}, but its shell could not run id (exit ${run.code}).`, fix: 'Check that the login has a POSIX shell (sh) on the server.' });
      return { user: out.trim() };
    },
    sshKeyPassphrase: async ({ key, passphrase }) => {
      services.sessionSecrets.rememberKeyPassphrase(key, passphrase);
      return { held: true as const };
    },
    keepSshKeyPassphrase: async ({ key }) => {
      const passphrase = services.sessionSecrets.keyPassphrase(key);
      if (passphrase === undefined) throw new SetupError({ code: 'MISSING_SECRET', field: 'sshPassphrase', message: `No passphrase is held for ${key} in this session.`, fix: 'Type it first (sshKeyPassphrase), then keep it once it has opened the key.' });
      const { sshKeyAccount } = await import('../../secrets/secret-accounts.js');
      const store = await services.secretStore();
      try {
        await store.set(sshKeyAccount(key), passphrase);
        return { kept: true, where: store.backend };
      } catch (error) {
        // Held for the session all the same; the page says why it was not kept.
        return { kept: false, keychainProblem: error instanceof SetupError ? `${error.message}${error.fix ? ` ${error.fix}` : ''}` : String(error) };
      }
    },
    recentServers: async () => ({ servers: await services.recentServers.list() }),
    applySetup: async ({ runId, outDir, server }, context) => {
      const [{ applySetup }, { formatLocation, formatServer }] = await Promise.all([import('../../remote/apply-setup.js'), import('../../../shared/remote/remote-location.js')]);
      const target = server ? await sshTarget(server) : undefined;
      const signal = services.smtpRuns.start(runId);
      try {
        return await applySetup(
          {
            folder: outDir,
            shown: target ? formatLocation({ kind: 'remote', ...target, path: outDir }) : outDir,
            machine: target ? formatServer(target) : 'this computer',
            ...(target && { server: { target, ssh: sshOptions(services) } }),
            signal,
          },
          (line) => context.emit('applyOutput', { runId, line: line.slice(0, 16_384) }),
        );
      } finally {
        services.smtpRuns.finish(runId);
      }
    },
  };
}

export async function sshTarget(server: string) {
  const { parseSshTarget } = await import('../../../shared/remote/remote-location.js');
  return parseSshTarget(server, 'server');
}

/** ssh with the user's configuration, or the one N8N_SETUP_SSH_CONFIG names (tests, a separate setup). */
export function sshOptions(services: AppServices) {
  return {
    timeoutMs: 15_000,
    ...(services.sshConfig && { configFile: services.sshConfig }),
    // A key's passphrase typed in this session (sshKeyPassphrase), or kept in the keychain when the admin chose
    // to, opens that key; ssh-agent's keys need none.
    keyPassphrase: async (key: string) => services.sessionSecrets.keyPassphrase(key) ?? (await keptKeyPassphrase(services, key)),
  };
}

async function keptKeyPassphrase(services: AppServices, key: string): Promise<string | undefined> {
  const { sshKeyAccount } = await import('../../secrets/secret-accounts.js');
  // A keychain that cannot answer now: the passphrase is asked instead.
  return (await services.secretStore()).get(sshKeyAccount(key)).catch(() => undefined);
}

async function readCliBundle(services: AppServices): Promise<Uint8Array> {
  if (!services.cliBundle) {
    throw new SetupError({ code: 'NO_CLI_BUNDLE', field: 'server', message: 'This build has no single-file tool to copy to the server.', fix: 'Use the installed app, or run serve from a build (npm run build).' });
  }
  const { readFile } = await import('node:fs/promises');
  return readFile(services.cliBundle);
}
