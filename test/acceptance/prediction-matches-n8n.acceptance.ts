/**
 * Prediction matches reality: for the mistakes admins make most, what our `smtp-test` says before n8n runs
 * (from the profile) and inside n8n's container (`--from-env`) is what n8n itself then reports when it
 * tries to send an invitation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MISTAKES } from './acceptance-setups.js';
import { useRunningSetup } from './launch-setup.js';
import { useMailServers } from './mail-servers.js';
import { INVITEE } from './n8n-rest.js';

const servers = useMailServers();

describe.each(MISTAKES.map((setup) => [setup.name, setup] as const))('%s', (_name, setup) => {
  const run = useRunningSetup(setup, servers);
  beforeAll(() => run().rest.setupOwner());

  it(`n8n cannot send the invitation, and says "${setup.n8nError}"`, async () => {
    const invitation = await run().rest.invite();
    expect(invitation.user.emailSent).toBe(false);
    expect(invitation.error).toContain(setup.n8nError);
  });

  it(`our smtp-test predicts it from the profile, before export: ${setup.smtpClass}`, async () => {
    const test = await run().smtpTestFromProfile(INVITEE, setup.secrets.N8N_SMTP_PASS ?? '');
    expect(test.report, `smtp-test printed: ${test.stdout}${test.stderr}`).toMatchObject({ ok: false, class: setup.smtpClass });
  });

  it(`our smtp-test --from-env in n8n's container says the same: ${setup.smtpClass}`, async () => {
    const test = await run().smtpTestFromEnv(INVITEE);
    expect(test.report, `smtp-test printed: ${test.stdout}${test.stderr}`).toMatchObject({ ok: false, class: setup.smtpClass });
  });
});
