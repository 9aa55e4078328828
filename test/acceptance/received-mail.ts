/**
 * Reads a message an SMTP fixture received, as a mail client would: headers unfolded, MIME parts decoded
 * (quoted-printable, base64), and the links a reader can click. Enough of RFC 2045/2046 for what nodemailer
 * sends; not a general parser.
 */
export interface ReceivedMail {
  headers: Map<string, string>;
  html: string;
  /** Every href in the HTML part, entities decoded, in order. */
  links: string[];
}

export function readReceivedMail(raw: string): ReceivedMail {
  const parts = leafParts(raw);
  const html = parts.find((p) => contentType(p.headers).startsWith('text/html'));
  const htmlBody = html ? decodeBody(html) : '';
  return {
    headers: splitMessage(raw).headers,
    html: htmlBody,
    links: [...htmlBody.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((m) => decodeEntities(m[1] ?? '')),
  };
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitMessage(raw: string): Part {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const headers = new Map<string, string>();
  // Folded header lines continue with white space (RFC 5322 2.2.3).
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: end === -1 ? '' : normalized.slice(end + 2) };
}

function leafParts(raw: string): Part[] {
  const part = splitMessage(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '')?.[1];
  if (!contentType(part.headers).startsWith('multipart/') || !boundary) return [part];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .flatMap((chunk) => leafParts(chunk.replace(/^\n/, '')));
}

function contentType(headers: Map<string, string>): string {
  return (headers.get('content-type') ?? 'text/plain').toLowerCase();
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  return part.body;
}

/** "=XX" is one byte, "=" at a line end joins lines; the bytes are UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const escape = text[i] === '=' ? /^[0-9A-F]{2}/i.exec(text.slice(i + 1, i + 3))?.[0] : undefined;
    if (escape) {
      bytes.push(parseInt(escape, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&#x3D;|&#61;/gi, '=').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
