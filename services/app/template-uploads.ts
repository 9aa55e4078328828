/**
 * Email templates handed over as HTML (a browser talking to `serve` cannot give a path on the server):
 * stored as `<data folder>/templates/<profile>/<n8n file name>`, the path then goes into the profile.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { missingPlaceholders, TEMPLATE_KINDS, unknownPlaceholders, type TemplateKindName } from '../../shared/n8n/email-templates.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';

export async function storeUploadedTemplate(dataFolder: string, profileName: string, kindName: TemplateKindName, html: string): Promise<{ file: string; missingPlaceholders: string[]; unknownPlaceholders: string[] }> {
  const kind = TEMPLATE_KINDS.find((t) => t.kind === kindName);
  if (!kind) throw new Error(`unreachable: the contract admits only known template kinds, not ${kindName}`);
  const folder = join(dataFolder, 'templates', profileName);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const file = join(folder, kind.fileName);
  await writeFileAtomic(file, html, { mode: 0o600 });
  return { file, missingPlaceholders: missingPlaceholders(kind, html), unknownPlaceholders: unknownPlaceholders(kind, html) };
}
