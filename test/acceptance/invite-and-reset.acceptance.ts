/**
 * The promise, on a real n8n: started with exactly the files we export, it sends an invitation and a
 * password reset that arrive, from our sender, with links under the admin's public URL. Our `smtp-test`
 * (from the profile, and `--from-env` with n8n's exact environment) and `check` say the same as n8n.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SENDER } from '../smtp/smtp-test-setup.js';
import { CUSTOM_INVITE, CUSTOM_RESET, SETUPS } from './acceptance-setups.js';
import { useRunningSetup } from './launch-setup.js';
import { useMailServers, waitForMessage } from './mail-servers.js';
import { INVITEE, OWNER } from './n8n-rest.js';
import { readReceivedMail } from './received-mail.js';
import { runCli } from './run-cli.js';
import { startWarningsAbout } from './start-warnings.js';

const servers = useMailServers();
const allReceived = () => [servers().starttls, servers().tls, servers().rejectsSender].flatMap((server) => server.messages);

describe.each(SETUPS.map((setup) => [setup.name, setup] as const))('%s', (_name, setup) => {
  let since = 0;
  let receivedBefore = 0;
  beforeAll(() => {
    if (setup.server) since = servers()[setup.server].messages.length;
    receivedBefore = allReceived().length;
  });
  const run = useRunningSetup(setup, servers);
  beforeAll(() => run().rest.setupOwner());

  it('n8n starts without a deprecation or invalid-value warning about any variable we wrote', () => {
    const written = [...run().spec.written, ...run().spec.written.filter((n) => n.endsWith('_FILE')).map((n) => n.slice(0, -'_FILE'.length))];
    expect(startWarningsAbout(run().n8n.log(), written)).toEqual([]);
  });

  it('`n8n-setup check --profile` finds n8n as set up: links on the public URL, email as chosen, the right cookie', async () => {
    const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--json']);
    expect(JSON.parse(check.stdout || '{}'), check.stderr).toMatchObject({ ok: true, instance: { instanceUrl: setup.instanceUrl, smtpSetup: Boolean(setup.server), secureCookie: true } });
    expect(check.code).toBe(0);
  });

  if (setup.server) {
    const server = setup.server;

    it('sends the invitation: it arrives from our sender with a link to <public URL>/signup?token=', async () => {
      const invitation = await run().rest.invite();
      expect(invitation, 'n8n reports the email as sent').toMatchObject({ user: { email: INVITEE, emailSent: true } });
      expect(invitation.error ?? '').toBe('');

      const mail = readReceivedMail((await waitForMessage(servers()[server], INVITEE, since)).raw);
      expect(mail.headers.get('from')).toBe(SENDER);
      const link = mail.links.find((href) => href.includes('/signup?token='));
      expect(link, `links in the invitation: ${mail.links.join(', ')}`).toBeDefined();
      expect(link?.startsWith(`${setup.instanceUrl}/signup?token=`), link).toBe(true);
    });

    it('sends the password reset: it arrives with a link to <public URL>/change-password?token=', async () => {
      const answer = await run().rest.forgotPassword();
      expect(answer.status).toBe(200);

      const mail = readReceivedMail((await waitForMessage(servers()[server], OWNER.email, since)).raw);
      expect(mail.headers.get('from')).toBe(SENDER);
      const link = mail.links.find((href) => href.includes('/change-password?token='));
      expect(link, `links in the reset email: ${mail.links.join(', ')}`).toBeDefined();
      expect(link?.startsWith(`${setup.instanceUrl}/change-password?token=`), link).toBe(true);
    });

    it('`check --invite-test`: signed in as the owner, n8n’s own mailer sends the invitation; check says so and deletes it again', async () => {
      const to = 'invite-test@example.test';
      const before = servers()[server].messages.length;
      const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--login', OWNER.email, '--password-stdin', '--invite-test', to, '--yes', '--json'], { stdin: `${OWNER.password}\n` });
      const report = JSON.parse(check.stdout || '{}');
      expect(report.mail, check.stderr).toMatchObject({ kind: 'invite-test', to, ok: true, class: null, removed: true });
      expect(check.code).toBe(0);
      expect(check.stdout + check.stderr).not.toContain(OWNER.password);

      const mail = readReceivedMail((await waitForMessage(servers()[server], to, before)).raw);
      expect(mail.headers.get('from')).toBe(SENDER);
      expect(mail.links.some((href) => href.startsWith(`${setup.instanceUrl}/signup?token=`)), mail.links.join(', ')).toBe(true);
      expect(await run().rest.usersByEmail(to), 'the test invitation is gone').toEqual([]);
      expect(servers()[server].messages.slice(before).filter((m) => m.to.includes(to))).toHaveLength(1);
    });

    it('`check --send-reset` without a login: the reset mail arrives with its link under the public URL, and check says only the inbox can tell', async () => {
      const before = servers()[server].messages.length;
      const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, '--send-reset', OWNER.email, '--yes']);
      expect(check.stdout, check.stderr).toMatch(/only that inbox can confirm the mail/);
      expect(check.stdout).toMatch(/use --invite-test/);
      expect(check.code).toBe(0);

      const mail = readReceivedMail((await waitForMessage(servers()[server], OWNER.email, before)).raw);
      expect(mail.links.some((href) => href.startsWith(`${setup.instanceUrl}/change-password?token=`)), mail.links.join(', ')).toBe(true);
    });

    it('our smtp-test predicted it from the profile, before export: sent', async () => {
      const test = await run().smtpTestFromProfile('predicted@example.test', setup.secrets.N8N_SMTP_PASS ?? '');
      expect(test.report, `smtp-test printed: ${test.stdout}${test.stderr}`).toMatchObject({ ok: true, class: null });
      await waitForMessage(servers()[server], 'predicted@example.test', since);
    });

    it('our smtp-test --from-env, run with n8n’s environment and files, also delivers', async () => {
      const test = await run().smtpTestFromEnv('smtp-test@example.test');
      expect(test.report, `smtp-test printed: ${test.stdout}${test.stderr}`).toMatchObject({ ok: true, class: null });
      expect(test.code).toBe(0);
      await waitForMessage(servers()[server], 'smtp-test@example.test', since);
    });
  } else {
    it('sends nothing and returns the invite link under the public URL', async () => {
      const invitation = await run().rest.invite();
      expect(invitation.user.emailSent).toBe(false);
      expect(invitation.user.inviteAcceptUrl?.startsWith(`${setup.instanceUrl}/signup?token=`), invitation.user.inviteAcceptUrl).toBe(true);
      expect(allReceived().length, 'messages received since n8n started').toBe(receivedBefore);
    });

    it('refuses a password reset, since no email is set up', async () => {
      const answer = await run().rest.forgotPassword();
      expect(answer.status).toBe(500);
      expect(JSON.stringify(answer.body)).toContain('Email sending must be set up');
    });

    it('`check --send-reset` and `--invite-test` refuse, since n8n says email is not set up: exit 3, nothing sent', async () => {
      for (const mail of [['--send-reset', OWNER.email], ['--login', OWNER.email, '--password-stdin', '--invite-test', 'invite-test@example.test']]) {
        const check = await runCli(['check', '--url', run().n8n.url, '--profile', run().profileFile, ...mail, '--yes', '--json'], { stdin: OWNER.password });
        expect(JSON.parse(check.stdout || '{}'), check.stderr).toMatchObject({ ok: false, error: { code: 'N8N_EMAIL_NOT_SET_UP' } });
        expect(check.stderr).toMatch(/says email is not set up/);
        expect(check.code).toBe(3);
      }
      expect(await run().rest.usersByEmail('invite-test@example.test')).toEqual([]);
      expect(allReceived().length).toBe(receivedBefore);
    });

    it('our smtp-test --from-env agrees: there is no SMTP to test', async () => {
      const test = await run().smtpTestFromEnv('smtp-test@example.test');
      expect(test.report, `smtp-test printed: ${test.stdout}${test.stderr}`).toMatchObject({ ok: false, error: { code: 'INVALID_VALUE', field: 'N8N_SMTP_HOST' } });
      expect(test.code).toBe(2);
      expect(allReceived().length).toBe(receivedBefore);
    });
  }

  if (setup.name.startsWith('custom invite')) {
    it('sends our invite and reset templates, filled in, byte for byte', async () => {
      const invite = readReceivedMail((await waitForMessage(servers().starttls, INVITEE, since)).raw);
      const inviteLink = invite.links[0] ?? '';
      expect(invite.html.trimEnd()).toBe(fillTemplate(CUSTOM_INVITE, { email: INVITEE, inviteAcceptUrl: inviteLink }).trimEnd());

      const reset = readReceivedMail((await waitForMessage(servers().starttls, OWNER.email, since)).raw);
      const resetLink = reset.links[0] ?? '';
      expect(reset.html.trimEnd()).toBe(fillTemplate(CUSTOM_RESET, { firstName: OWNER.firstName, passwordResetUrl: resetLink }).trimEnd());
    });
  }
});

/** What Handlebars makes of `{{name}}`: the value, HTML-escaped as its escapeExpression does. */
function fillTemplate(template: string, values: Record<string, string>): string {
  const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => (values[name] ?? '').replace(/[&<>"'`=]/g, (c) => escapes[c] ?? c));
}
