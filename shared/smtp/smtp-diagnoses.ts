/**
 * Every way an SMTP test can fail, as a table: the class code (the names of the reference's list), what
 * kind of failure it is (the CLI's exit code), one plain sentence, the n8n variables to change and, where
 * the fix is certain, a profile patch the UI applies in one click. The classifier picks the class; this
 * table is the only place that words it.
 */
import type { VariableName } from '../n8n/n8n-variables.js';
import type { ProfilePatch } from './smtp-test-result.js';

/** connection: DNS, TCP, TLS, certificates (exit 3) · auth: login (exit 4) · rejected: the server said no (exit 5). */
export type FailureKind = 'connection' | 'auth' | 'rejected' | 'cancelled';

/** The exit code of a failed send by kind (`smtp-test`, and `check` for n8n's own verdict); 0 when sent. */
export const SMTP_EXIT: Record<FailureKind, number> = { connection: 3, auth: 4, rejected: 5, cancelled: 6 };

export interface DiagnosisContext {
  host: string;
  /** A number, or the variable's name when the value is not known (a verdict read from n8n without the profile). */
  port: number | string;
  sender: string;
  to: string;
}

interface Diagnosis {
  kind: FailureKind;
  variables: readonly VariableName[];
  patch?: ProfilePatch;
  explain: (c: DiagnosisContext) => string;
}

const STARTTLS_PATCH: ProfilePatch = { email: { security: 'starttls' } };
const LOGIN: readonly VariableName[] = ['N8N_SMTP_USER', 'N8N_SMTP_PASS'];
const CUSTOM_CA = 'mount its PEM file (the CA, or the self-signed certificate itself) into /opt/custom-certificates in the n8n container, or point NODE_EXTRA_CA_CERTS at it (giving the CA file does that: "CA file" on the wizard\'s Server step, "caFile" in a profile).';

export const SMTP_DIAGNOSES = {
  DNS_NOT_FOUND: { kind: 'connection', variables: ['N8N_SMTP_HOST'], explain: (c) => `The host name ${c.host} does not exist (DNS has no address for it): check N8N_SMTP_HOST for a typo.` },
  DNS_TIMEOUT: { kind: 'connection', variables: [], explain: (c) => `No DNS answer for ${c.host} within 5 s: the DNS server of this machine (or container) does not respond; fix its DNS settings.` },
  CONNECTION_REFUSED: { kind: 'connection', variables: ['N8N_SMTP_PORT', 'N8N_SMTP_HOST'], explain: (c) => `The server ${c.host} refused the connection on port ${c.port}: nothing listens there. Check N8N_SMTP_PORT (usually 587 or 465) and the host.` },
  NETWORK_UNREACHABLE: { kind: 'connection', variables: ['N8N_SMTP_HOST'], explain: (c) => `This machine has no network route to ${c.host}: check its network (an IPv6 address without IPv6 connectivity is a common cause).` },
  CONNECT_TIMEOUT: {
    kind: 'connection',
    variables: ['N8N_SMTP_PORT'],
    explain: (c) => `Nothing answered on ${c.host} port ${c.port} within 8 s: a firewall or the cloud provider most likely blocks this outgoing port. Try 587, 465 or 2525, or ask the provider to unblock it.`,
  },
  SSL_ON_PLAIN_PORT: {
    kind: 'connection',
    variables: ['N8N_SMTP_SSL', 'N8N_SMTP_STARTTLS'],
    patch: STARTTLS_PATCH,
    explain: (c) => `Port ${c.port} expects a plain connection upgraded with STARTTLS, but n8n starts TLS right away (N8N_SMTP_SSL=true) and fails with "wrong version number": set N8N_SMTP_SSL=false and N8N_SMTP_STARTTLS=true.`,
  },
  PLAIN_ON_SSL_PORT: {
    kind: 'connection',
    variables: ['N8N_SMTP_SSL'],
    patch: { email: { security: 'tls' } },
    explain: (c) => `Port ${c.port} speaks TLS from the first byte (implicit TLS), but n8n connects in plain text and waits for a greeting that never comes: set N8N_SMTP_SSL=true.`,
  },
  NO_GREETING: { kind: 'connection', variables: ['N8N_SMTP_PORT'], explain: (c) => `The server ${c.host} accepted the connection on port ${c.port} but sent no SMTP greeting within 10 s: this is probably not a mail submission port, or the server is overloaded.` },
  TLS_HANDSHAKE_TIMEOUT: { kind: 'connection', variables: ['N8N_SMTP_SSL', 'N8N_SMTP_PORT'], explain: (c) => `The TLS handshake with ${c.host} did not finish within 10 s: port ${c.port} may not speak TLS, or something between here and the server holds the connection.` },
  CERT_SELF_SIGNED: { kind: 'connection', variables: ['NODE_EXTRA_CA_CERTS'], explain: (c) => `The server ${c.host} presents a self-signed certificate, which n8n rejects: give the server a certificate from a public CA, or ${CUSTOM_CA}` },
  CERT_HOSTNAME_MISMATCH: { kind: 'connection', variables: ['N8N_SMTP_HOST'], explain: (c) => `The server's certificate is not valid for the name ${c.host}: set N8N_SMTP_HOST to a name the certificate lists (the provider's documented host name, not an IP address or alias).` },
  CERT_EXPIRED: { kind: 'connection', variables: [], explain: (c) => `The certificate of ${c.host} has expired (or is not valid yet): the mail server's administrator must renew it; also check this machine's clock.` },
  CERT_UNTRUSTED: { kind: 'connection', variables: ['NODE_EXTRA_CA_CERTS'], explain: (c) => `The certificate of ${c.host} is signed by a CA this machine does not trust (a private or internal CA): ${CUSTOM_CA}` },
  STARTTLS_NOT_OFFERED: {
    kind: 'connection',
    variables: ['N8N_SMTP_PORT', 'N8N_SMTP_SSL'],
    explain: (c) =>
      `The server ${c.host} does not offer STARTTLS on port ${c.port}, so n8n itself would send the login and every email unencrypted there (it upgrades only when the server lists STARTTLS); this test sent nothing in clear. Use the server's implicit-TLS port (usually 465 with N8N_SMTP_SSL=true); if the server does offer STARTTLS, something on the network path removes it.`,
  },
  TLS_FAILED: { kind: 'connection', variables: ['N8N_SMTP_SSL', 'N8N_SMTP_STARTTLS'], explain: (c) => `The TLS connection with ${c.host} failed: the server broke off the handshake or offers no TLS version or cipher that Node.js accepts.` },
  SERVER_REFUSED: { kind: 'rejected', variables: ['N8N_SMTP_HOST', 'N8N_SMTP_PORT'], explain: (c) => `The server ${c.host} refused the session in its greeting: it does not accept mail from this machine's address here (a blocklist, or a port meant for other mail servers).` },
  CONNECTION_CLOSED: { kind: 'connection', variables: ['N8N_SMTP_PORT', 'N8N_SMTP_SSL'], explain: (c) => `The server ${c.host} closed the connection unexpectedly: try again, and if it persists check the port and the TLS settings.` },
  CREDENTIALS_MISSING: { kind: 'auth', variables: LOGIN, explain: () => 'The server requires a login but n8n has no complete credentials: set both N8N_SMTP_USER and N8N_SMTP_PASS (n8n skips the login when either is empty).' },
  TLS_REQUIRED_FOR_AUTH: { kind: 'auth', variables: ['N8N_SMTP_STARTTLS', 'N8N_SMTP_SSL'], patch: STARTTLS_PATCH, explain: () => 'The server allows a login only over an encrypted connection: set N8N_SMTP_STARTTLS=true (or use implicit TLS, usually port 465 with N8N_SMTP_SSL=true).' },
  APP_PASSWORD_REQUIRED: { kind: 'auth', variables: ['N8N_SMTP_PASS'], explain: () => 'Google does not accept the account password here: create an app password (16 characters, needs 2-Step Verification) and put it in N8N_SMTP_PASS.' },
  SMTP_AUTH_DISABLED: {
    kind: 'auth',
    variables: LOGIN,
    explain: () => 'Microsoft 365 refused the login: SMTP AUTH is disabled for this mailbox or tenant (an admin must enable "Authenticated SMTP" for the mailbox), or the password is wrong.',
  },
  AUTH_TEMPORARY: { kind: 'auth', variables: [], explain: () => 'The server could not check the login just now (a temporary error): try again in a few minutes.' },
  AUTH_FAILED: { kind: 'auth', variables: LOGIN, explain: () => 'The server rejected the user name or password: check N8N_SMTP_USER and N8N_SMTP_PASS (many providers want an app password, SMTP key or API key, not the account password).' },
  OAUTH2_FAILED: {
    kind: 'auth',
    variables: ['N8N_SMTP_OAUTH_SERVICE_CLIENT', 'N8N_SMTP_OAUTH_PRIVATE_KEY', 'N8N_SMTP_USER'],
    explain: () => "Google's OAuth2 login failed: check the service account's client ID and private key, that it has domain-wide delegation for https://mail.google.com/, and that N8N_SMTP_USER is a real mailbox of the Workspace domain.",
  },
  TLS_REQUIRED: { kind: 'connection', variables: ['N8N_SMTP_STARTTLS'], patch: STARTTLS_PATCH, explain: () => 'The server accepts mail only over an encrypted connection, but n8n does not use STARTTLS: set N8N_SMTP_STARTTLS=true.' },
  AUTH_REQUIRED: { kind: 'auth', variables: LOGIN, explain: () => 'The server accepts mail only after a login: set N8N_SMTP_USER and N8N_SMTP_PASS.' },
  HELO_REJECTED: { kind: 'rejected', variables: [], explain: (c) => `The server ${c.host} rejected the client's greeting (EHLO/HELO): it does not accept connections from this machine's name or address.` },
  RELAY_DENIED: {
    kind: 'rejected',
    variables: [...LOGIN, 'N8N_SMTP_PORT'],
    explain: (c) => `The server refused to relay mail to ${c.to}: without a login it only delivers to its own domains. Log in (N8N_SMTP_USER and N8N_SMTP_PASS) on the submission port, usually 587.`,
  },
  SENDER_REJECTED: { kind: 'rejected', variables: ['N8N_SMTP_SENDER'], explain: (c) => `The server does not let this account send as ${c.sender || 'an empty sender'}: put an address (or verified sender) the account may use into N8N_SMTP_SENDER.` },
  TEMPORARY_REJECT: { kind: 'rejected', variables: [], explain: () => 'The server deferred the message with a temporary error (greylisting, a rate limit or a full queue): try again in a few minutes.' },
  RECIPIENT_REJECTED: { kind: 'rejected', variables: [], explain: (c) => `The server rejected the recipient ${c.to}: check the address. Sandbox accounts (Amazon SES, Mailgun) may only send to verified recipients.` },
  ADDRESS_INVALID: { kind: 'rejected', variables: ['N8N_SMTP_SENDER'], explain: () => 'The server calls an address malformed: check N8N_SMTP_SENDER (e.g. "n8n <n8n@example.com>") and the test recipient.' },
  MESSAGE_REJECTED: { kind: 'rejected', variables: [], explain: () => "The server accepted sender and recipient but refused the message itself (content, size or policy): its reply says why." },
  CANCELLED: { kind: 'cancelled', variables: [], explain: () => 'The test was cancelled before it finished.' },
} as const satisfies Record<string, Diagnosis>;

export type SmtpFailureClass = keyof typeof SMTP_DIAGNOSES;

export const SMTP_FAILURE_CLASSES = Object.keys(SMTP_DIAGNOSES) as SmtpFailureClass[];

export interface DiagnosisText {
  kind: FailureKind;
  message: string;
  variables: VariableName[];
  patch?: ProfilePatch;
}

export function diagnose(failure: SmtpFailureClass, context: DiagnosisContext): DiagnosisText {
  const entry: Diagnosis = SMTP_DIAGNOSES[failure];
  return { kind: entry.kind, message: entry.explain(context), variables: [...entry.variables], ...(entry.patch && { patch: entry.patch }) };
}
