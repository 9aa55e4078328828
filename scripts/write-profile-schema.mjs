// Regenerates docs/profile.schema.json from the zod schemas (a test fails when the two drift apart).
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const result = await build({
  stdin: { contents: "export { profileJsonSchemaText } from './shared/profile/profile-json-schema.ts';", resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const module = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
writeFileSync('docs/profile.schema.json', module.profileJsonSchemaText());
console.log('wrote docs/profile.schema.json');
