// Bundles the CLI into one file with no native modules, so it also runs under the Node inside the
// n8n image; every export writes it into the folder as tools/n8n-setup.cjs for the Done step's commands. The keychain module is loaded lazily
// and stays outside the bundle: where it is missing, the CLI says the keychain is unavailable.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['cli/index.ts'],
  outfile: 'dist/n8n-setup.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
  // ws's optional native add-ons: it runs without them (and must, under the image's Node).
  external: ['@github/keytar', 'bufferutil', 'utf-8-validate'],
  define: { __APP_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
