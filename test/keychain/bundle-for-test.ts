/**
 * Bundles a TypeScript entry into one CommonJS file (name it .cjs) for a child process (node cannot run our .ts imports directly; see
 * test/crash/sigkill.test.ts). @github/keytar stays external, as in scripts/build-cli.mjs, but is imported
 * from this checkout by URL so the bundle can live in a throwaway folder; `keytar: 'absent'` leaves the bare
 * name, as the single-file CLI has it, so a bundle copied away from node_modules finds no keychain module.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const keytarFromThisCheckout: Plugin = {
  name: 'keytar-from-this-checkout',
  setup(builder) {
    const keytar = pathToFileURL(createRequire(import.meta.url).resolve('@github/keytar')).href;
    builder.onResolve({ filter: /^@github\/keytar$/ }, () => ({ path: keytar, external: true }));
  },
};

export async function bundleForTest(entry: URL, outfile: string, options: { keytar?: 'this-checkout' | 'absent' } = {}): Promise<string> {
  const absent = options.keytar === 'absent';
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    define: { __APP_VERSION__: JSON.stringify('test') },
    ...(absent ? { external: ['@github/keytar'] } : { plugins: [keytarFromThisCheckout] }),
    logLevel: 'silent',
  });
  return outfile;
}
