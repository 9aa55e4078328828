import type { AppServices } from '../app-services.js';
import type { HandlerGroup } from '../channel-handlers.js';
import { loadProfile } from '../../profile/read-profile-file.js';

export function checkHandlers(services: AppServices): HandlerGroup<'checkInstance' | 'checkSenderDomain'> {
  return {
    checkInstance: async ({ url, profile }) => {
      // Loaded on first use: most sessions never check, and the app starts without it.
      const { checkInstance } = await import('../../check/check-instance.js');
      return checkInstance({ url, ...(profile && { profile: loadProfile(profile, services.homeFolder).resolved }) });
    },
    checkSenderDomain: async ({ sender, smtpHost }) => {
      const { checkSenderDomain } = await import('../../check/check-sender-domain.js');
      return checkSenderDomain({ sender, ...(smtpHost && { smtpHost }), ...(services.dnsServers.length > 0 && { dnsServers: services.dnsServers }) });
    },
  };
}
