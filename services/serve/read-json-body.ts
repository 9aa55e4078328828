import type { IncomingMessage } from 'node:http';
import type { SetupErrorData } from '../../shared/errors.js';

/** The largest request: an uploaded template (512 KiB of text, up to 4 bytes each in UTF-8) with room to spare. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: SetupErrorData };

/** A JSON request body, or the HTTP status and typed error that say what is wrong with it. */
export async function readJsonBody(request: IncomingMessage): Promise<BodyResult> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // Also what keeps a plain HTML form (which cannot send JSON) from ever reaching a handler.
  if (type !== 'application/json') return refused(415, 'The request body must be JSON (Content-Type: application/json).');
  const tooLarge = () => refused(413, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB.`);
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge();

  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return tooLarge();
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return refused(400, 'The request body is not valid JSON.');
  }
}

function refused(status: 400 | 413 | 415, message: string): BodyResult {
  return { ok: false, status, error: { code: 'INVALID_ARGUMENT', field: '(request)', message, fix: 'Reload the page; if it keeps happening, report it.' } };
}
