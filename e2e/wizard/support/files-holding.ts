/** Every file under a folder whose bytes contain a text: where a secret was written, and where it must not be. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function filesHolding(root: string, text: string): Promise<string[]> {
  const needle = Buffer.from(text);
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    if ((await readFile(path)).includes(needle)) found.push(path);
  }
  return found.sort();
}
