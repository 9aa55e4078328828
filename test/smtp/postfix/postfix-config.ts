/**
 * The configuration of a throwaway Postfix that never delivers anything: main.cf, master.cf and Cyrus
 * SASL's smtpd.conf as text, for one instance folder (postfix-instance.ts writes and starts it).
 *
 * Three listeners on loopback, each the kind of server an n8n admin meets:
 * - submission: STARTTLS required, SASL login required, the sender must belong to the login (587-style);
 * - wrapper: TLS from the first byte, same login rules (465-style);
 * - mx: no AUTH at all, relays only for its relay domain (25-style, what a host's MX port does).
 */

export interface PostfixPorts {
  submission: number;
  wrapper: number;
  mx: number;
}

/** Absolute paths inside the instance folder. */
export interface PostfixPaths {
  configDir: string;
  queueDir: string;
  dataDir: string;
  maillog: string;
  /** The prefix maillog_file must start with (Postfix refuses other paths). */
  maillogPrefix: string;
  certFile: string;
  keyFile: string;
  saslConfigDir: string;
  sasldb: string;
}

export interface PostfixSettings {
  hostname: string;
  /** Always a loopback address. */
  address: string;
  ports: PostfixPorts;
  /** The only domain the MX port accepts mail for. */
  relayDomain: string;
  /** Envelope sender → the SASL login allowed to use it (reject_sender_login_mismatch). */
  senderLogins: Record<string, string>;
}

function inlineTable(entries: Record<string, string>): string {
  return `inline:{ ${Object.entries(entries)
    .map(([key, value]) => `{ ${key} = ${value} }`)
    .join(', ')} }`;
}

export function renderMainCf(settings: PostfixSettings, paths: PostfixPaths): string {
  const lines = [
    'compatibility_level = 3.6',
    `queue_directory = ${paths.queueDir}`,
    `data_directory = ${paths.dataDir}`,
    `myhostname = ${settings.hostname}`,
    'inet_interfaces = loopback-only',
    'inet_protocols = ipv4',
    // Nothing is local and nothing is delivered: every transport discards (and logs what it discarded).
    'mydestination =',
    'local_recipient_maps =',
    'alias_maps =',
    'alias_database =',
    `relay_domains = ${settings.relayDomain}`,
    'default_transport = discard:',
    'local_transport = discard:',
    'relay_transport = discard:',
    'virtual_transport = discard:',
    'smtpd_peername_lookup = no',
    `smtpd_tls_cert_file = ${paths.certFile}`,
    `smtpd_tls_key_file = ${paths.keyFile}`,
    'smtpd_tls_security_level = may',
    'smtpd_tls_auth_only = yes',
    'smtpd_sasl_type = cyrus',
    `cyrus_sasl_config_path = ${paths.saslConfigDir}`,
    `smtpd_sender_login_maps = ${inlineTable(settings.senderLogins)}`,
    // No permit_mynetworks: loopback clients get no relay rights without a login.
    'smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination',
    // No syslog in containers and CI: postlogd writes this file.
    `maillog_file = ${paths.maillog}`,
    `maillog_file_prefixes = ${paths.maillogPrefix}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function renderMasterCf(settings: PostfixSettings): string {
  const listener = (port: number, options: string[]) => [`${settings.address}:${port} inet n - n - - smtpd`, ...options.map((o) => `  -o ${o}`)];
  const loginRequired = ['smtpd_sasl_auth_enable=yes', 'smtpd_sender_restrictions=reject_sender_login_mismatch'];
  // No smtp, lmtp, local, virtual or pipe service: a message could not leave even if a transport named one.
  const internal = [
    'cleanup   unix  n  -  n  -  0  cleanup',
    'qmgr      unix  n  -  n  300  1  qmgr',
    'tlsmgr    unix  -  -  n  1000?  1  tlsmgr',
    'rewrite   unix  -  -  n  -  -  trivial-rewrite',
    'bounce    unix  -  -  n  -  0  bounce',
    'defer     unix  -  -  n  -  0  bounce',
    'trace     unix  -  -  n  -  0  bounce',
    'verify    unix  -  -  n  -  1  verify',
    'flush     unix  n  -  n  1000?  0  flush',
    'proxymap  unix  -  -  n  -  -  proxymap',
    'error     unix  -  -  n  -  -  error',
    'retry     unix  -  -  n  -  -  error',
    'discard   unix  -  -  n  -  -  discard',
    'anvil     unix  -  -  n  -  1  anvil',
    'scache    unix  -  -  n  -  1  scache',
    'postlog   unix-dgram  n  -  n  -  1  postlogd',
  ];
  const lines = [
    ...listener(settings.ports.submission, ['smtpd_tls_security_level=encrypt', ...loginRequired]),
    ...listener(settings.ports.wrapper, ['smtpd_tls_wrappermode=yes', ...loginRequired]),
    ...listener(settings.ports.mx, ['smtpd_sasl_auth_enable=no']),
    ...internal,
  ];
  return `${lines.join('\n')}\n`;
}

/** Cyrus SASL's configuration for Postfix's smtpd: logins from a sasldb file, plain-text mechanisms (over TLS only). */
export function renderCyrusSmtpdConf(paths: PostfixPaths): string {
  return ['pwcheck_method: auxprop', 'auxprop_plugin: sasldb', 'mech_list: PLAIN LOGIN', `sasldb_path: ${paths.sasldb}`, ''].join('\n');
}
