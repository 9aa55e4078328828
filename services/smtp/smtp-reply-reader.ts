/**
 * Reads SMTP replies (multi-line ones whole) for auto-detect's probes, from whichever socket the session
 * currently runs on. What a peer may make it hold is bounded: a reply line is at most 512 bytes (RFC 5321)
 * and an EHLO reply a few dozen lines, so a peer that sends an endless line, or endless continuation lines,
 * is not speaking SMTP, nor is one whose line does not start with a reply code. The reader then stops and
 * fails the way nodemailer does on the same peer (EPROTOCOL), so one classifier reads both.
 */
import type { Socket } from 'node:net';
import { smtpSocketError, type SmtpSocketError } from './open-smtp-socket.js';

/** Text without a complete reply that the reader holds at most. */
export const MAX_REPLY_BYTES = 64 * 1024;
const MAX_REPLY_LINES = 1_000;
/** Every line of a reply starts with its three-digit code, then a space, a hyphen or nothing. */
const REPLY_LINE = /^\d{3}(?:[ -]|$)/;

export class SmtpReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private failure: SmtpSocketError | undefined;
  private waiting: (() => void) | undefined;
  private socket: Socket | undefined;
  private readonly onData = (chunk: Buffer) => {
    const text = chunk.toString('latin1');
    // Only the new text is split: splitting the whole buffer on every chunk is quadratic in an endless line.
    const parts = text.split(/\r?\n/);
    const rest = parts.pop() ?? '';
    if (parts.length > 0) {
      parts[0] = this.buffer + parts[0];
      this.lines.push(...parts);
      this.buffer = rest;
    } else this.buffer += rest;
    if (this.buffer.length > MAX_REPLY_BYTES || this.lines.length > MAX_REPLY_LINES) this.overflow();
    this.waiting?.();
  };

  attach(socket: Socket): void {
    this.socket?.removeListener('data', this.onData);
    this.socket = socket;
    socket.on('data', this.onData);
  }

  detach(): void {
    this.socket?.removeListener('data', this.onData);
    this.buffer = '';
    this.lines = [];
  }

  /** The next complete reply; rejects when `closed` does, or when the peer sends what no SMTP reply can be. */
  async reply(closed: Promise<never>): Promise<string[]> {
    for (;;) {
      if (this.failure) throw this.failure;
      const end = this.lines.findIndex((line) => /^\d{3}(?!-)/.test(line));
      const alien = this.lines.findIndex((line) => !REPLY_LINE.test(line));
      if (alien >= 0 && (end < 0 || alien <= end)) {
        const line = this.lines[alien] ?? '';
        throw smtpSocketError(`Invalid reply, not SMTP: ${JSON.stringify(line.slice(0, 80))}`, { code: 'EPROTOCOL', response: line.slice(0, 512) });
      }
      if (end >= 0) return this.lines.splice(0, end + 1);
      await Promise.race([new Promise<void>((resolve) => (this.waiting = resolve)), closed]);
    }
  }

  private overflow(): void {
    this.detach();
    this.failure = smtpSocketError(`Server response exceeds maximum allowed size (${MAX_REPLY_BYTES} bytes without a complete reply)`, { code: 'EPROTOCOL' });
  }
}
