/**
 * The compose keys an export changes, with what each said before and says after, read from the two
 * versions of the file as Compose reads them (anchors merged): `add` with `after`, `remove` with `before`,
 * `change` with both, secrets masked. A key is a path such as `services.n8n.environment.N8N_HOST`,
 * `services.n8n.volumes./home/node/.n8n/templates/invite.html` (a mount by its target) or
 * `secrets.n8n_smtp_pass`; a list entry is found by its key, target or name.
 */
import { parseComposeDocument, resolveComposeDocument } from '../compose/compose-document.js';
import { isSecretKey, MASK, type KeyChange } from './key-changes.js';

/** Longer values are cut here (a whole service, say): the file itself is in the review's file list. */
const MAX_SHOWN = 160;

export function describeComposeChanges(file: string, before: string | undefined, after: string, keys: readonly string[]): KeyChange[] {
  const was = readResolved(before, file);
  const is = readResolved(after, file);
  return [...new Set(keys)].map((key) => {
    const old = valueAt(was, key);
    const now = valueAt(is, key);
    const secret = isSecretKey(key.split('.').at(-1) ?? key);
    const shown = (value: unknown) => (secret ? MASK : spelled(value));
    const action = old === undefined ? 'add' : now === undefined ? 'remove' : 'change';
    return { file, key, action, ...(old !== undefined && { before: shown(old) }), ...(now !== undefined && { after: shown(now) }), secret };
  });
}

function readResolved(text: string | undefined, file: string): unknown {
  if (text === undefined) return undefined;
  try {
    const doc = parseComposeDocument(text);
    return doc.errors.length > 0 ? undefined : resolveComposeDocument(doc, file);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path whose parts may themselves hold dots (a mount target, an image tag). */
export function valueAt(node: unknown, path: string): unknown {
  return walk(node, path.split('.'), 0);
}

function walk(node: unknown, parts: readonly string[], at: number): unknown {
  if (at === parts.length) return node;
  if (Array.isArray(node)) return entryOf(node, parts.slice(at).join('.'));
  if (!node || typeof node !== 'object') return undefined;
  const map = node as Record<string, unknown>;
  // The shortest key that matches first: `services.n8n` before `services.n8n.x` (a key with dots is rare).
  for (let end = at + 1; end <= parts.length; end++) {
    const key = parts.slice(at, end).join('.');
    if (Object.hasOwn(map, key)) {
      const found = walk(map[key], parts, end);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** A list entry by its id: `KEY=value` (its value), a mount by target, a port or secret as written, or by name. */
function entryOf(list: readonly unknown[], id: string): unknown {
  for (const item of list) {
    if (typeof item === 'string') {
      const eq = item.indexOf('=');
      if (eq > 0 && item.slice(0, eq) === id) return item.slice(eq + 1);
      if (item === id) return item;
      const [, target] = item.split(':');
      if (target === id) return item;
    } else if (item && typeof item === 'object') {
      const fields = item as Record<string, unknown>;
      if ([fields.target, fields.source, fields.name].includes(id)) return item;
    }
  }
  return undefined;
}

function spelled(value: unknown): string {
  const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
