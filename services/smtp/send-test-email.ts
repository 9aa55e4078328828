/**
 * The SMTP test: one real message through the transport n8n builds from the given variables, bounded in
 * time, cancellable, with a transcript and a diagnosis. A failed test is a normal result (`ok: false`);
 * only unusable input (no SMTP configured, an invalid recipient) throws a SetupError.
 *
 *   const result = await sendTestEmail({ variables, to: 'you@example.com' }, { signal, onStage });
 *
 * `variables` are the N8N_SMTP_* values as n8n reads them (`_FILE` contents already read): use
 * `smtpVariablesFromProfile` for a profile, `readSmtpVariables*` for existing files or the environment.
 */
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { SetupError } from '../../shared/errors.js';
import { classifySmtpError, type SmtpErrorFacts } from '../../shared/smtp/classify-smtp-error.js';
import { n8nMailerFromVariables, type N8nMailer, type SmtpVariables } from '../../shared/smtp/n8n-mailer.js';
import { diagnose } from '../../shared/smtp/smtp-diagnoses.js';
import { SMTP_LIMITS, type SmtpLimits } from '../../shared/smtp/smtp-limits.js';
import { lastStage, sessionFacts, SMTP_STAGES, type SmtpStage, type StageEvent } from '../../shared/smtp/smtp-session.js';
import type { SmtpTestResult, TestedSettings } from '../../shared/smtp/smtp-test-result.js';
import { lintMailer, sessionWarnings } from '../../shared/smtp/smtp-warnings.js';
import { buildTestMessage } from '../../shared/smtp/test-message.js';
import { probeImplicitTls, type ImplicitTlsProbe } from './implicit-tls-probe.js';
import type { LookupAddress } from 'node:dns';
import type { NetworkInterfaceInfo } from 'node:os';
import type { SmtpWarning } from '../../shared/smtp/smtp-test-result.js';
import { addressesOf, addressWarnings, connectLikeN8n, describeResolution, withWarnings } from './connect-like-n8n.js';
import { systemLookupAll } from './resolve-like-n8n.js';
import type { LookupHost } from './open-smtp-socket.js';
import { scrubValue, secretSpellings } from './redact-secrets.js';
import { createSessionRecorder, type SessionRecorder } from './session-recorder.js';
import { expectsStartTls, testTransportOptions } from './test-transport-options.js';

export interface SmtpTestRequest {
  variables: SmtpVariables;
  /** The test recipient. */
  to: string;
  /** PEM text of a CA to trust besides the system roots: the profile's caFile, or NODE_EXTRA_CA_CERTS of a compose setup. */
  extraCa?: string;
  /** Google's token endpoint unless set; n8n cannot change it, so this is for tests and the bench only. */
  oauthTokenUrl?: string;
}

export interface SmtpTestOptions {
  /** Abort → the result is `CANCELLED` within a second, and the connection is closed. */
  signal?: AbortSignal;
  /** Each stage as it is reached, for live progress. */
  onStage?: (event: StageEvent) => void;
  /** Replaces the whole resolution with one lookup (tests: "not found" and "DNS silent" without touching the network). */
  lookup?: LookupHost;
  /** DNS servers to ask instead of the system's; default N8N_SETUP_DNS_SERVERS, else the system's. */
  dnsServers?: readonly string[];
  /** This machine's interfaces, for the families n8n's mailer asks DNS for (default os.networkInterfaces). */
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** getaddrinfo with every address (default dns.lookup): what this machine's other tools would connect to. */
  lookupAll?: (host: string) => Promise<LookupAddress[]>;
  limits?: Partial<SmtpLimits>;
}

const RECIPIENT = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/;

export async function sendTestEmail(request: SmtpTestRequest, options: SmtpTestOptions = {}): Promise<SmtpTestResult> {
  const mailer = n8nMailerFromVariables(request.variables);
  checkRequest(mailer, request.to);
  const limits = { ...SMTP_LIMITS, ...options.limits };
  const recorder = createSessionRecorder(options.onStage);
  const verdict = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, verdict.signal]) : verdict.signal;
  const silence = { timer: undefined as NodeJS.Timeout | undefined, probe: undefined as ImplicitTlsProbe | undefined, tlsAnswered: false };

  let reach: Promise<SmtpWarning[]> = Promise.resolve([]);
  const getSocket: NonNullable<SMTPTransport.Options['getSocket']> = (_options, callback) => {
    const { host, port } = mailer.transport;
    recorder.stage('resolve', host);
    addressesOf(host, options, limits, signal)
      .then(async (resolution) => {
        recorder.note(describeResolution(host, resolution));
        const tried = await connectLikeN8n(resolution.addresses, port, { timeoutMs: limits.connectMs, signal }, recorder);
        const address = tried.address;
        reach = addressWarnings(host, port, resolution, tried, { timeoutMs: limits.connectMs, signal, ...(!options.lookup && { lookupAll: options.lookupAll ?? systemLookupAll }) });
        recorder.stage('connect', `${address}:${port}`);
        recorder.note(`connected to ${address}:${port}`);
        if (!mailer.transport.secure) watchForSilence(address);
        callback(null, { connection: tried.socket });
      })
      .catch((error: Error) => callback(error));
  };

  // Plain connect, no greeting yet: try TLS beside it, so "implicit-TLS port" is known in ~2 s, not at the timeout.
  const watchForSilence = (address: string) => {
    silence.timer = setTimeout(() => {
      if (recorder.serverSpoke) return;
      recorder.note(`no greeting after ${limits.plainProbeAfterMs / 1000} s; trying a TLS handshake on the same port`);
      const { host, port } = mailer.transport;
      silence.probe = probeImplicitTls({ address, port, ...(!isIP(host) && { servername: host }), timeoutMs: limits.greetingMs - limits.plainProbeAfterMs });
      void silence.probe.result.then((speaksTls) => {
        if (!speaksTls || recorder.serverSpoke) return;
        silence.tlsAnswered = true;
        recorder.note('the port completed a TLS handshake: it expects TLS from the first byte');
        verdict.abort();
      });
    }, limits.plainProbeAfterMs);
    recorder.onServerSpeaks(() => clearTimeout(silence.timer));
  };

  const { extraCa, oauthTokenUrl } = request;
  const transporter = nodemailer.createTransport(testTransportOptions(mailer, { getSocket, logger: recorder.logger, limits, ...(extraCa && { extraCa }), ...(oauthTokenUrl && { oauthTokenUrl }) }));
  const message = buildTestMessage(mailer, request.to, new Date());
  let result: SmtpTestResult;
  try {
    const info = await transporter.sendMail({ ...message, signal, disableFileAccess: true, disableUrlAccess: true });
    recorder.stage('done');
    result = success(mailer, recorder, info, request.to);
  } catch (error) {
    result = failure(mailer, recorder, error as SmtpErrorFacts, request.to, silence.tlsAnswered);
  } finally {
    result = withWarnings(result!, await reach.catch(() => []));
    clearTimeout(silence.timer);
    silence.probe?.cancel();
    transporter.close();
  }
  const auth = mailer.transport.auth;
  const spellings = [...secretSpellings(auth && 'pass' in auth ? auth.pass : undefined), ...secretSpellings(auth && 'privateKey' in auth ? auth.privateKey : undefined)];
  return scrubValue(result, spellings);
}

function checkRequest(mailer: N8nMailer, to: string): void {
  if (!mailer.enabled) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field: 'N8N_SMTP_HOST',
      message: 'n8n has no SMTP set up here: N8N_SMTP_HOST is empty or N8N_EMAIL_MODE is not "smtp", so there is nothing to test.',
      fix: 'Set N8N_SMTP_HOST (and N8N_EMAIL_MODE=smtp, or leave it unset).',
    });
  }
  if (!RECIPIENT.test(to)) {
    throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'to', message: `"${to}" is not an email address.`, fix: 'Give the test recipient as an address, e.g. --to you@example.com.' });
  }
}

function tested(mailer: N8nMailer): TestedSettings {
  const { host, port, secure, ignoreTLS } = mailer.transport;
  return { host, port, secure, startTLS: !ignoreTLS, user: mailer.user, sender: mailer.sender, login: mailer.login };
}

function success(mailer: N8nMailer, recorder: SessionRecorder, info: SMTPTransport.SentMessageInfo, to: string): SmtpTestResult {
  const facts = sessionFacts(recorder.transcript, recorder.stages);
  // requireTLS upgraded although the EHLO reply did not list STARTTLS; n8n would not have, and sent in clear.
  if (expectsStartTls(mailer) && !facts.startTlsOffered) return failure(mailer, recorder, { command: 'STARTTLS', message: 'the EHLO reply did not list STARTTLS: this test upgraded anyway, n8n would not' }, to, false);
  return {
    ok: true,
    class: null,
    ms: recorder.elapsed(),
    response: info.response,
    accepted: info.accepted.map(String),
    warnings: [...lintMailer(mailer), ...sessionWarnings(mailer, facts)],
    transcript: recorder.transcript,
    stages: recorder.stages,
    settings: tested(mailer),
  };
}

function failure(mailer: N8nMailer, recorder: SessionRecorder, error: SmtpErrorFacts, to: string, tlsProbeAnswered: boolean): SmtpTestResult {
  const facts = sessionFacts(recorder.transcript, recorder.stages);
  const { secure, ignoreTLS, port, host } = mailer.transport;
  const failed = classifySmtpError(error, {
    secure,
    ignoreTLS,
    port,
    login: mailer.login,
    userWithoutSecret: mailer.login === 'none' && mailer.user !== '',
    to,
    session: facts,
    tlsProbeAnswered,
  });
  const diagnosis = diagnose(failed, { host, port, sender: mailer.sender, to });
  const stage = stageOfCommand(error.command) ?? lastStage(recorder.stages);
  // What the session showed is worth saying only once the transaction began (e.g. a login skipped before a relay denial).
  const began = stage !== undefined && SMTP_STAGES.indexOf(stage) >= SMTP_STAGES.indexOf('mail-from');
  if (error.message && error.code !== 'EABORT') recorder.note(`error: ${error.message.trim()}`);
  return {
    ok: false,
    class: failed,
    ...diagnosis,
    ...(error.response && { serverReply: error.response }),
    ...(stage && { stage }),
    ms: recorder.elapsed(),
    warnings: [...lintMailer(mailer), ...(began ? sessionWarnings(mailer, facts) : [])],
    transcript: recorder.transcript,
    stages: recorder.stages,
    settings: tested(mailer),
  };
}

/** With PIPELINING, MAIL FROM, RCPT TO and DATA leave together: the failed command names the stage, not the last one sent. */
function stageOfCommand(command: string | undefined): SmtpStage | undefined {
  const stages: Array<[RegExp, SmtpStage]> = [[/^AUTH/, 'auth'], [/^MAIL FROM/, 'mail-from'], [/^RCPT TO/, 'rcpt-to'], [/^DATA/, 'data'], [/^(EHLO|HELO|LHLO)/, 'ehlo'], [/^STARTTLS/, 'starttls']];
  return stages.find(([pattern]) => pattern.test(command ?? ''))?.[1];
}
