/**
 * n8n's own mailer, for real, through the URL given — the two ways n8n 2.41 sends mail on request:
 *
 * - `inviteTest`: signed in as the owner, invite one address (`POST /rest/invitations`) and read n8n's
 *   verdict from its answer: `data[0].user.emailSent`, and `data[0].error`, the mailer's own error text,
 *   classified as the SMTP test classifies (mailer-error-text.ts). The pending user the invitation made is
 *   deleted again (`DELETE /rest/users/:id`) whatever happened. An address n8n already knows is refused
 *   before anything is sent: re-inviting a pending user would send its real invitation, and deleting it
 *   afterwards would take away one the admin made.
 * - `requestPasswordReset`: no login (`POST /rest/forgot-password`). n8n answers 200 whatever happened —
 *   it swallows mailer errors and unknown addresses so that nobody can probe for accounts — so the result
 *   says that only the inbox can tell.
 *
 * Each sends at most one mail. Both refuse when n8n says email is not set up (the caller passes what
 * `/rest/settings` said), since n8n would then send nothing (invite) or refuse (reset).
 */
import type { InviteTestResult, ResetRequestResult } from '../../shared/check/n8n-mail-verdict.js';
import { SetupError } from '../../shared/errors.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { classifySmtpError, type ClassifyContext } from '../../shared/smtp/classify-smtp-error.js';
import { factsFromMailerText } from '../../shared/smtp/mailer-error-text.js';
import { n8nMailerFromVariables, smtpVariablesFromProfile } from '../../shared/smtp/n8n-mailer.js';
import { diagnose, type DiagnosisContext } from '../../shared/smtp/smtp-diagnoses.js';
import type { BoundedGetOptions } from './bounded-get.js';
import { N8nSession, type OwnerLogin, type RestAnswer } from './n8n-session.js';

/** n8n waits for the SMTP server before it answers an invitation: nodemailer's own limits in n8n add up to well under this. */
export const MAILER_WAIT_MS = 60_000;

export interface MailThroughN8n {
  /** n8n's base URL, as `check` read it (no trailing slash). */
  base: string;
  /** `userManagement.smtpSetup` from n8n's public settings. */
  smtpSetup: boolean | undefined;
  /** Makes the verdict's words exact (host, port, TLS mode); without it they name the variables. */
  profile?: ResolvedProfile;
}

interface InvitedUser {
  user?: { id?: string; email?: string; emailSent?: boolean };
  error?: string;
}

interface UserList {
  data?: { items?: Array<{ id?: string; email?: string; isPending?: boolean }> };
}

/** `login`, or a `session` signed in already (check --login made one for the editor's connection). */
export async function inviteTest(request: MailThroughN8n & ({ login: OwnerLogin } | { session: N8nSession }) & { to: string }, options: BoundedGetOptions): Promise<InviteTestResult> {
  refuseWithoutEmail(request, '--invite-test');
  const session = 'session' in request ? request.session : await N8nSession.signIn(request.base, request.login, options);
  await refuseKnownAddress(session, request.to);

  const answer = await session.call<{ data?: InvitedUser[]; message?: string }>('POST', '/rest/invitations', [{ email: request.to, role: 'global:member' }]);
  const invited = answer.body?.data?.[0];
  const id = invited?.user?.id;
  // Whatever n8n said, a user it created is removed before the verdict is given.
  const removal = id ? await removePendingUser(session, id, request.to) : { removed: false };
  if (answer.status !== 200 || !invited) {
    throw new SetupError({
      code: 'N8N_INVITE_FAILED',
      field: 'invite-test',
      message: `n8n did not invite ${request.to}: HTTP ${answer.status}${answer.body?.message ? ` "${answer.body.message}"` : ''}.`,
      fix: answer.status === 403 ? 'Sign in as the owner (or an admin) of this n8n.' : 'Invite a user in n8n (Settings → Users) to see what it says.',
    });
  }
  return verdict(request, invited, removal);
}

export async function requestPasswordReset(request: MailThroughN8n & { email: string }, options: BoundedGetOptions): Promise<ResetRequestResult> {
  refuseWithoutEmail(request, '--send-reset');
  const answer = await N8nSession.anonymous(request.base, options).call<{ message?: string }>('POST', '/rest/forgot-password', { email: request.email });
  if (answer.status === 429) {
    throw new SetupError({ code: 'N8N_RATE_LIMITED', field: 'send-reset', message: `n8n refuses more password reset requests for now (HTTP 429): it allows 3 per address and 20 per client in 5 minutes.`, fix: 'Wait five minutes, or use --invite-test, which also gives n8n’s verdict.' });
  }
  if (answer.status !== 200) {
    throw new SetupError({ code: 'N8N_RESET_FAILED', field: 'send-reset', message: `n8n answered the password reset request with HTTP ${answer.status}${answer.body?.message ? ` "${answer.body.message}"` : ''}.`, fix: "Check n8n's log for the request to /rest/forgot-password." });
  }
  return {
    kind: 'send-reset',
    to: request.email,
    accepted: true,
    message:
      `n8n accepted the password reset request for ${request.email}. n8n 2.41 answers this way whatever happens — ` +
      "it hides mailer errors and unknown addresses, so that nobody can probe for accounts — so only that inbox can confirm the mail: look for \"n8n password reset\" (and in spam). For n8n's own verdict, use --invite-test.",
  };
}

/** Refuses (N8N_EMAIL_NOT_SET_UP) when n8n's public settings say it has no email set up. */
export function refuseWithoutEmail(request: MailThroughN8n, flag: string): void {
  if (request.smtpSetup !== false) return;
  throw new SetupError({
    code: 'N8N_EMAIL_NOT_SET_UP',
    field: flag.slice(2),
    message: `n8n at ${request.base} says email is not set up (its settings: userManagement.smtpSetup is false), so ${flag} would send nothing.`,
    fix: 'Give n8n N8N_EMAIL_MODE=smtp and N8N_SMTP_HOST (export them with this tool), recreate the container (docker compose up -d), and check again.',
  });
}

async function refuseKnownAddress(session: N8nSession, to: string): Promise<void> {
  const filter = encodeURIComponent(JSON.stringify({ email: to }));
  const answer = await session.call<UserList>('GET', `/rest/users?filter=${filter}&take=50`);
  const known = answer.body?.data?.items?.find((user) => user.email?.toLowerCase() === to.toLowerCase());
  if (!known) return;
  const what = known.isPending ? 'has a pending invitation already: the test would send that real invitation again and could not remove it afterwards' : 'is already a user of this n8n: n8n would not invite it';
  throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'invite-test', message: `${to} ${what}.`, fix: 'Use an address n8n does not know and whose inbox you read, e.g. a plus-address such as you+n8n-test@example.com.' });
}

async function removePendingUser(session: N8nSession, id: string, to: string): Promise<{ removed: boolean; leftOver?: string }> {
  const leftOver = `The invitation of ${to} is still pending in n8n: delete it in Settings → Users.`;
  try {
    const answer: RestAnswer = await session.call('DELETE', `/rest/users/${encodeURIComponent(id)}`);
    return answer.status === 200 ? { removed: true } : { removed: false, leftOver: `${leftOver} (n8n answered the deletion with HTTP ${answer.status}.)` };
  } catch (error) {
    return { removed: false, leftOver: `${leftOver} (${error instanceof Error ? error.message : String(error)})` };
  }
}

function verdict(request: MailThroughN8n & { to: string }, invited: InvitedUser, removal: { removed: boolean; leftOver?: string }): InviteTestResult {
  const base = { kind: 'invite-test' as const, to: request.to, ...removal };
  if (invited.user?.emailSent) {
    return { ...base, ok: true, class: null, variables: [], message: `n8n's own mailer handed the invitation to ${request.to} to the SMTP server: look for "You have been invited to n8n" in that inbox (and in spam).` };
  }
  const n8nError = invited.error?.trim() ?? '';
  if (!n8nError) {
    return { ...base, ok: false, class: null, variables: ['N8N_EMAIL_MODE', 'N8N_SMTP_HOST'], message: 'n8n created the invitation but sent no email and reported no error: it has no SMTP server to send with (N8N_EMAIL_MODE or N8N_SMTP_HOST do not reach it).' };
  }
  const facts = factsFromMailerText(n8nError);
  const { classify, words } = contextFor(request.profile, request.to);
  const failed = classifySmtpError(facts, { ...classify, session: { ...classify.session, greeted: sessionBegan(facts.command) } });
  const diagnosis = diagnose(failed, words);
  return {
    ...base,
    ok: false,
    class: failed,
    failureKind: diagnosis.kind,
    message: `n8n could not send the invitation. ${diagnosis.message}`,
    n8nError,
    ...(facts.response && { serverReply: facts.response }),
    variables: diagnosis.variables,
  };
}

/** The failed command says the SMTP session was under way (the greeting came). */
function sessionBegan(command: string | undefined): boolean {
  return /^(AUTH|MAIL FROM|RCPT TO|DATA|STARTTLS|EHLO)/.test(command ?? '');
}

/** The classifier's and the fix texts' view of n8n's mailer: from the profile, else named by its variables. */
function contextFor(profile: ResolvedProfile | undefined, to: string): { classify: ClassifyContext; words: DiagnosisContext } {
  const session = { greeted: false, startTlsOffered: false, encrypted: false, authMechanisms: [], authenticated: false };
  if (profile?.email.mode === 'smtp') {
    // The secrets' values do not matter here, only that n8n has them (it logs in as the profile says).
    const mailer = n8nMailerFromVariables(smtpVariablesFromProfile(profile, { N8N_SMTP_PASS: 'set', N8N_SMTP_OAUTH_PRIVATE_KEY: 'set' }));
    const { host, port, secure, ignoreTLS } = mailer.transport;
    return {
      classify: { secure, ignoreTLS, port, login: mailer.login, userWithoutSecret: false, to, session },
      words: { host, port, sender: mailer.sender, to },
    };
  }
  return {
    classify: { secure: false, ignoreTLS: false, port: 0, login: 'password', userWithoutSecret: false, to, session },
    words: { host: '(N8N_SMTP_HOST)', port: '(N8N_SMTP_PORT)', sender: '(N8N_SMTP_SENDER)', to },
  };
}
