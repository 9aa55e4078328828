/**
 * Warnings around a test, never blocking it: the pre-flight lint (`LINT_*`, from the settings alone, before
 * connecting) and what a successful session reveals (`WARN_*`): nodemailer silently sends in plain text
 * when STARTTLS is switched off or not offered (the test itself requires it when expected, and fails with
 * STARTTLS_NOT_OFFERED there), and silently skips the login when AUTH is not advertised.
 */
import type { N8nMailer } from './n8n-mailer.js';
import { presetForHost } from './smtp-presets.js';
import type { SessionFacts } from './smtp-session.js';
import type { SmtpWarning } from './smtp-test-result.js';

const STARTTLS_PORTS = new Set([25, 587, 2525]);

export function lintMailer(mailer: N8nMailer): SmtpWarning[] {
  const warnings: SmtpWarning[] = mailer.readNotes.map((note) => ({
    code: note.kind === 'ignored' ? 'LINT_VALUE_IGNORED' : 'LINT_VALUE_ALTERED',
    message: `${note.variable}: ${note.message}`,
    variables: [note.variable],
  }));
  const { port, secure, host } = mailer.transport;
  const preset = presetForHost(host);
  const defaultsKept = !mailer.given.has('N8N_SMTP_PORT') && !mailer.given.has('N8N_SMTP_SSL');

  if (port === 465 && !secure) {
    warnings.push({
      code: 'LINT_465_WITHOUT_TLS',
      message: 'Port 465 expects TLS from the first byte, but N8N_SMTP_SSL is false: n8n will wait for a greeting that never comes. Set N8N_SMTP_SSL=true.',
      variables: ['N8N_SMTP_SSL'],
      patch: { email: { security: 'tls' } },
    });
  }
  if (secure && STARTTLS_PORTS.has(port)) {
    const ssl = mailer.given.has('N8N_SMTP_SSL') ? 'N8N_SMTP_SSL is true' : 'N8N_SMTP_SSL is unset and n8n defaults it to true';
    warnings.push({
      code: 'LINT_TLS_ON_STARTTLS_PORT',
      message: `Port ${port} uses STARTTLS, but ${ssl}: sending fails with "wrong version number". Set N8N_SMTP_SSL=false and N8N_SMTP_STARTTLS=true.`,
      variables: ['N8N_SMTP_SSL', 'N8N_SMTP_STARTTLS'],
      patch: { email: { security: 'starttls' } },
    });
  }
  if (defaultsKept && preset && !preset.ports.some((p) => p.port === 465 && p.security === 'tls')) {
    const recommended = preset.ports[0];
    warnings.push({
      code: 'LINT_N8N_DEFAULTS',
      message: `N8N_SMTP_PORT and N8N_SMTP_SSL are unset, so n8n uses its defaults (465 with TLS), which ${preset.name} does not offer: set N8N_SMTP_PORT=${recommended?.port ?? 587}, N8N_SMTP_SSL=false and N8N_SMTP_STARTTLS=true.`,
      variables: ['N8N_SMTP_PORT', 'N8N_SMTP_SSL', 'N8N_SMTP_STARTTLS'],
      patch: { email: { port: recommended?.port ?? 587, security: 'starttls' } },
    });
  }
  if (mailer.sender === '') {
    warnings.push({
      code: 'LINT_NO_SENDER',
      message: 'N8N_SMTP_SENDER is empty and N8N_SMTP_USER is not an email address, so n8n sends without a From address; most servers reject that. Set N8N_SMTP_SENDER, e.g. "n8n <n8n@example.com>".',
      variables: ['N8N_SMTP_SENDER'],
    });
  }
  if (mailer.login === 'none' && mailer.user !== '') {
    warnings.push({
      code: 'LINT_LOGIN_INCOMPLETE',
      message: 'N8N_SMTP_USER is set but n8n has no password (or OAuth2 key) for it, so n8n sends without logging in.',
      variables: ['N8N_SMTP_PASS'],
    });
  }
  if (preset && !preset.supported) {
    warnings.push({ code: 'LINT_PROVIDER_UNSUPPORTED', message: `${preset.name}: ${preset.notes[0] ?? 'not supported by n8n.'}`, variables: ['N8N_SMTP_HOST'] });
  }
  return warnings;
}

export function sessionWarnings(mailer: N8nMailer, facts: SessionFacts): SmtpWarning[] {
  const warnings: SmtpWarning[] = [];
  if (!facts.encrypted) {
    const why = mailer.transport.ignoreTLS ? 'N8N_SMTP_STARTTLS is false' : 'the server did not offer STARTTLS';
    warnings.push({
      code: 'WARN_PLAINTEXT',
      message: `The message${mailer.login !== 'none' ? ' and the login' : ''} went unencrypted because ${why}: anyone on the network path can read them. Use the provider's TLS port (465 with N8N_SMTP_SSL=true, or STARTTLS on 587).`,
      variables: ['N8N_SMTP_STARTTLS', 'N8N_SMTP_SSL', 'N8N_SMTP_PORT'],
      ...(mailer.transport.ignoreTLS && { patch: { email: { security: 'starttls' as const } } }),
    });
  }
  if (mailer.login !== 'none' && !facts.authenticated) {
    warnings.push({
      code: 'WARN_AUTH_SKIPPED',
      message: `The server did not offer a login (AUTH) on this connection, so n8n sent without logging in as ${mailer.user}: the server accepted the mail from this machine's address alone, which may not hold for other recipients or from other machines.`,
      variables: ['N8N_SMTP_PORT', 'N8N_SMTP_STARTTLS'],
    });
  }
  return warnings;
}
