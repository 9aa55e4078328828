import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import { loadProfile } from '../../profile/read-profile-file.js';
import type { OwnerLogin } from '../../check/n8n-session.js';

function ownerLogin(login: { email: string; password: string; mfaCode?: string | undefined }): OwnerLogin {
  return { email: login.email, password: login.password, ...(login.mfaCode && { mfaCode: login.mfaCode }) };
}

export function checkHandlers(services: AppServices): HandlerGroup<'checkInstance' | 'checkSenderDomain' | 'sendThroughN8n'> {
  return {
    checkInstance: async ({ url, profile, login }) => {
      // Loaded on first use: most sessions never check, and the app starts without it.
      const { checkInstance } = await import('../../check/check-instance.js');
      return checkInstance({ url, ...(profile && { profile: loadProfile(profile, services.homeFolder).resolved }), ...(login && { login: ownerLogin(login) }) });
    },
    sendThroughN8n: async ({ url, profile, mail }) => {
      const [{ readInstance }, { inviteTest, requestPasswordReset, MAILER_WAIT_MS }, { CHECK_TIMEOUT_MS }] = await Promise.all([
        import('../../check/read-instance.js'),
        import('../../check/mail-through-n8n.js'),
        import('../../check/check-instance.js'),
      ]);
      // Where n8n answers and whether it has email set up, as `check` reads them; then the one email.
      const reading = await readInstance(url, { timeoutMs: CHECK_TIMEOUT_MS });
      const target = { base: reading.url, smtpSetup: reading.settings.smtpSetup, ...(profile && { profile: loadProfile(profile, services.homeFolder).resolved }) };
      const options = { timeoutMs: MAILER_WAIT_MS };
      if (mail.kind === 'send-reset') return requestPasswordReset({ ...target, email: mail.to }, options);
      return inviteTest({ ...target, to: mail.to, login: ownerLogin(mail.login) }, options);
    },
    checkSenderDomain: async ({ sender, smtpHost }) => {
      const { checkSenderDomain } = await import('../../check/check-sender-domain.js');
      return checkSenderDomain({ sender, ...(smtpHost && { smtpHost }), ...(services.dnsServers.length > 0 && { dnsServers: services.dnsServers }) });
    },
  };
}
