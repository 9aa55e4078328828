/** Checks for single fields, each returning what is wrong and how to fix it. */
import { n8nChangeReason } from '../n8n/n8n-reading.js';

export interface Problem {
  message: string;
  fix: string;
}

/** Text that no file or variable can carry as given: a NUL ends a variable, a lone surrogate is not Unicode. */
export function checkPlainText(value: string): Problem | undefined {
  if (value.includes('\0')) return { message: 'contains a NUL character, which no environment variable or secret file can carry to n8n intact.', fix: 'Remove the NUL character.' };
  if (/\p{Surrogate}/u.test(value)) return { message: 'contains a lone UTF-16 surrogate, which is not valid Unicode and cannot be written as UTF-8.', fix: 'Remove the broken character (it usually comes from text cut in the middle of an emoji).' };
  return undefined;
}

/**
 * A value n8n's config loader would trim or unquote cannot reach n8n as given. `consequence` says what
 * that changes for this field ("n8n would log in as someone else").
 */
export function checkReadAsWrittenByN8n(value: string, consequence: string): Problem | undefined {
  const reason = n8nChangeReason(value);
  if (!reason) return undefined;
  return { message: `${reason}, so ${consequence}.`, fix: 'Remove the surrounding spaces or quotes: n8n would not use them.' };
}

export function checkHostName(host: string): Problem | undefined {
  if (host === '') return { message: 'is empty.', fix: 'Enter the SMTP server name, e.g. smtp.example.com.' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    return { message: 'contains a scheme ("…://"); n8n wants the bare host name.', fix: `Use "${host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/:].*$/, '')}" and set the port separately.` };
  }
  if (/\s/.test(host)) return { message: 'contains spaces.', fix: 'Remove the spaces: a host name is one word like smtp.example.com.' };
  if (host.includes('/')) return { message: 'contains a "/"; n8n wants the bare host name.', fix: 'Remove everything from the "/" on.' };
  const isIpv6 = /^\[?[0-9a-f:.]+\]?$/i.test(host) && host.split(':').length > 2;
  if (!isIpv6 && host.includes(':')) {
    return { message: 'contains a port; n8n reads the port from N8N_SMTP_PORT.', fix: `Use "${host.split(':')[0]}" as the host and put the port in the port field.` };
  }
  if (!isIpv6 && !/^[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/.test(host)) {
    return { message: 'is not a valid host name.', fix: 'Use letters, digits, "-" and dots only, e.g. smtp.example.com.' };
  }
  return undefined;
}

const ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/;

export function checkSender(sender: string): Problem | undefined {
  if (/[\r\n]/.test(sender)) return { message: 'contains a line break, which would break the email header.', fix: 'Write the sender on one line.' };
  if (sender.trim() === '') return { message: 'is empty.', fix: 'Enter the From address, e.g. "n8n <n8n@example.com>".' };
  const altered = checkReadAsWrittenByN8n(sender, 'n8n would send from a different address');
  if (altered) return altered;
  const named = /^(.*?)\s*<([^<>]*)>$/.exec(sender);
  const address = named ? named[2] ?? '' : sender;
  if (!ADDRESS.test(address)) {
    return { message: `"${address}" is not an email address.`, fix: 'Use "addr@example.com" or "Name <addr@example.com>".' };
  }
  return undefined;
}

/** The public URL's one check lives with n8n's reading of it (shared/n8n/public-url.ts). */
export { checkPublicUrl } from '../n8n/public-url.js';

export function checkTimezone(zone: string): Problem | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) ? undefined : { message: `"${zone}" is not an IANA zone name.`, fix: 'Use a name like Europe/Berlin or UTC.' };
  } catch {
    return { message: `"${zone}" is not a known time zone.`, fix: 'Use an IANA name like Europe/Berlin, America/New_York or UTC.' };
  }
}

// registry/path:tag or @sha256:digest, per the Docker reference grammar (simplified, lowercase repository).
const IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** `${VAR}`, `${VAR:-default}`, `$VAR` and a platform's `$$cap_VAR`: parts Compose (or the platform) fills in. */
const REFERENCE = /\$\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

export function checkImageReference(image: string): Problem | undefined {
  // A reference stands for a name or a tag: checked as if it were one.
  if (!IMAGE.test(image.replace(REFERENCE, 'x'))) {
    return { message: `"${image}" is not an image reference.`, fix: 'Use a full reference such as docker.n8n.io/n8nio/n8n:2.41.1.' };
  }
  return undefined;
}
