import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './shared/ipc/security-headers.js';

/**
 * index.html's <meta> CSP, written from the one policy the app:// protocol and `serve` send as a header:
 * strict in builds, Vite's dev-server relaxation (inline scripts, ws:) only under `electron-vite dev`.
 */
function cspMeta(): Plugin {
  let dev = false;
  return {
    name: 'n8n-setup-csp-meta',
    configResolved: (config) => void (dev = config.command === 'serve'),
    transformIndexHtml: (html) =>
      html.replace(/(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/, (_match, start: string, end: string) => `${start}${metaContentSecurityPolicy({ dev })}${end}`),
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies stay in node_modules (externalizeDeps): nodemailer and the native keychain module are
      // imported on first use, so they must not be pulled into the startup bundle.
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads cannot be ESM: one self-contained CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), cspMeta()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
