/**
 * Prediction matches reality: for the mistakes admins make most, what our `smtp-test` says before n8n runs
 * (from the profile) and inside n8n's container (`--from-env`) is what n8n itself then reports when it
 * tries to send an invitation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MISTAKES } from './acceptance-setups.js';
import { useRunningSetup } from './launch-setup.js';
import { useMailServers } from './mail-servers.js';
import { SMTP_DIAGNOSES, SMTP_EXIT, type SmtpFailureClass } from '../../shared/smtp/smtp-diagnoses.js';
import { INVITEE, OWNER } from './n8n-rest.js';
import { runCli } from './run-cli.js';

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

  it(`\`check --invite-test\` reads n8n's own verdict and classifies it as our smtp-test does: ${setup.smtpClass}; the invitation is deleted`, async () => {
    const to = 'invite-test@example.test';
    const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--login', OWNER.email, '--password-stdin', '--invite-test', to, '--yes', '--json'], { stdin: OWNER.password });
    const report = JSON.parse(check.stdout || '{}');
    expect(report.mail, check.stderr).toMatchObject({ kind: 'invite-test', ok: false, class: setup.smtpClass, removed: true });
    expect(report.mail.n8nError).toContain(setup.n8nError);
    expect(check.code).toBe(SMTP_EXIT[SMTP_DIAGNOSES[setup.smtpClass as SmtpFailureClass].kind]);
    expect(await run().rest.usersByEmail(to)).toEqual([]);

    const human = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--login', OWNER.email, '--password-stdin', '--invite-test', to, '--yes'], { stdin: OWNER.password });
    expect(human.stdout).toMatch(/FAILED +n8n could not send the invitation\./);
    expect(human.stdout).toContain(`n8n said: `);
    expect(human.stdout).toMatch(/ok +the test invitation was deleted again/);
  });

  it('`check --invite-test` refuses an address n8n already has a pending invitation for, and leaves it alone', async () => {
    const [pending] = await run().rest.usersByEmail(INVITEE);
    expect(pending?.isPending).toBe(true);
    const check = await runCli(['check', '--url', run().n8n.url, '--login', OWNER.email, '--password-stdin', '--invite-test', INVITEE, '--yes'], { stdin: OWNER.password });
    expect(check.stderr).toMatch(/has a pending invitation already/);
    expect(check.code).toBe(2);
    expect(await run().rest.usersByEmail(INVITEE)).toEqual([pending]);
  });

  it('`check --invite-test` with a wrong owner password: a clear refusal naming --login, nothing invited', async () => {
    const check = await runCli(['check', '--url', run().n8n.url, '--login', OWNER.email, '--password-stdin', '--invite-test', 'other@example.test', '--yes'], { stdin: 'not-the-owner-password' });
    expect(check.stderr).toMatch(/error: login: n8n at .* refused the login of owner@example\.test: "Wrong username or password/);
    expect(check.code).toBe(1);
    expect(await run().rest.usersByEmail('other@example.test')).toEqual([]);
  });
});
