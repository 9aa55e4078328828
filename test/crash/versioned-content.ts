import { createHash, randomBytes } from 'node:crypto';

/**
 * Self-verifying file contents for crash tests: a one-line header naming the version, the body's length and
 * its SHA-256, then the body. A torn, truncated or mixed file fails to parse, so "complete" is checkable.
 */
const HEADER = /^N8N-SETUP-CRASH v=(\d+) len=(\d+) sha256=([0-9a-f]{64})\n/;

export function makeVersion(version: number, bodyBytes: number): Buffer {
  const body = randomBytes(bodyBytes);
  const hash = createHash('sha256').update(body).digest('hex');
  return Buffer.concat([Buffer.from(`N8N-SETUP-CRASH v=${version} len=${bodyBytes} sha256=${hash}\n`), body]);
}

export type ParsedVersion = { complete: true; version: number } | { complete: false; why: string };

export function parseVersion(bytes: Buffer): ParsedVersion {
  const head = HEADER.exec(bytes.subarray(0, 200).toString('latin1'));
  if (!head) return { complete: false, why: `no header (${bytes.length} bytes)` };
  const [line, version, length, hash] = head;
  const body = bytes.subarray(line.length);
  if (body.length !== Number(length)) return { complete: false, why: `v${version}: body is ${body.length} bytes, header says ${length}` };
  if (createHash('sha256').update(body).digest('hex') !== hash) return { complete: false, why: `v${version}: body hash does not match` };
  return { complete: true, version: Number(version) };
}
