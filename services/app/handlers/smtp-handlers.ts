import { SetupError } from '../../../shared/errors.js';
import { smtpVariablesFromProfile } from '../../../shared/smtp/n8n-mailer.js';
import { loadProfile } from '../../profile/read-profile-file.js';
import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import { secretsForRun } from '../run-secrets.js';
import { readProfileCa } from '../../smtp/read-profile-ca.js';
import { DETECT_PORTS } from '../../smtp/detect-smtp-ports.js';

type Channels = 'testSmtp' | 'cancelSmtp' | 'detectSmtp' | 'smtpCertificates' | 'trustSmtpCertificate';

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
  };
}
