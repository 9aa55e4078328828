/**
 * Finds a secret in files and text in every spelling a leak could take: the text spellings of
 * test/smtp/secret-leaks.ts (literal, JSON-escaped, URL- and form-encoded, base64 at each offset, AUTH
 * PLAIN/LOGIN) plus JSON with \u escapes and the UTF-16 bytes (LE and BE) a Windows tool would write.
 * Files are searched as bytes, so a spelling is found whatever the file's encoding.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { leakedSpellings } from '../smtp/secret-leaks.js';

export interface LeakForm {
  form: string;
  bytes: Buffer;
}

export function leakForms(secret: string, user?: string): LeakForm[] {
  const forms = leakedSpellings(secret, user).map(([form, text]) => ({ form, bytes: Buffer.from(text, 'utf8') }));
  const asciiJson = JSON.stringify(secret).slice(1, -1).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const utf16le = Buffer.from(secret, 'utf16le');
  return [...forms, { form: 'JSON with \\u escapes', bytes: Buffer.from(asciiJson, 'utf8') }, { form: 'UTF-16LE', bytes: utf16le }, { form: 'UTF-16BE', bytes: Buffer.from(utf16le).swap16() }];
}

export interface Leak {
  where: string;
  form: string;
}

export function leaksIn(where: string, content: Buffer | string, forms: LeakForm[]): Leak[] {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return forms.filter((f) => bytes.includes(f.bytes)).map((f) => ({ where, form: f.form }));
}

/** Every file under `folder` (following no links) and the spellings found in them; paths relative to `base`. */
export async function leaksUnder(folder: string, forms: LeakForm[], base = folder): Promise<{ files: string[]; leaks: Leak[] }> {
  const files: string[] = [];
  const leaks: Leak[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = await leaksUnder(path, forms, base);
      files.push(...inner.files);
      leaks.push(...inner.leaks);
    } else if (entry.isFile()) {
      files.push(relative(base, path));
      leaks.push(...leaksIn(relative(base, path), await readFile(path), forms));
    }
  }
  return { files, leaks };
}
