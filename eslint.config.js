// Layers are enforced here: the folder tells the runtime (see docs/architecture.md).
import js from '@eslint/js';
import sdl from '@microsoft/eslint-plugin-sdl';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

// Raw IPC only in the two entry files, which hand it straight to the one wrapper on each side
// (electron/main/ipc-bridge.ts, electron/preload/create-api.ts); everything else uses the typed contract.
const IPC_ENTRY_FILES = ['electron/main/index.ts', 'electron/preload/index.ts'];
const noRawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Raw IPC is for electron/main/index.ts and electron/preload/index.ts only: use the contract in shared/ipc.',
};

function restrict(paths, patterns = []) {
  return ['error', { paths, patterns }];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Microsoft's Security Development Lifecycle rules: eval and friends, innerHTML, insecure URLs,
  // nodeIntegration, postMessage to "*", target=_blank without noopener, iframes without sandbox.
  ...sdl.configs.required,
  {
    // Loopback addresses are the point of `serve` and its tests; every other plain-http URL is still an error.
    rules: { '@microsoft/sdl/no-insecure-url': ['error', { exceptions: ['^http://(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/].*)?$'] }] },
  },
  {
    // The rule guards URLs the app itself loads. Generated proxy configuration names plain-http sites and
    // in-network upstreams on purpose, and tests use http URLs as data.
    files: ['shared/proxy/**', '**/*.test.ts', 'test/**'],
    rules: { '@microsoft/sdl/no-insecure-url': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scripts/**', 'bin/**', '*.config.*', 'e2e/**', 'test/**', '**/test-support/**'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests build hostile and malformed inputs on purpose.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Set before the layer rules below, which replace it for their folders (they ban electron outright).
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: IPC_ENTRY_FILES,
    rules: { 'no-restricted-imports': restrict([noRawIpc]) },
  },
  {
    // One window factory: every window gets the hardened options from electron/main/window-factory.ts.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/window-factory.ts', 'electron/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='BrowserWindow']", message: 'Create windows with createMainWindow (electron/main/window-factory.ts).' }],
    },
  },
  {
    // Pure TypeScript: the setup model, n8n mapping, encoders. No Node, DOM or Electron.
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is runtime-free: no Node modules.' }))],
        [{ group: ['react', 'react-dom', '**/services/**', '**/cli/**', '**/electron/**', '**/renderer/**'], message: 'shared/ imports only shared/ and pure libraries.' }],
      ),
      'no-restricted-globals': ['error', 'process', 'window', 'document', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    // Node services and the CLI run without Electron (tests, serve mode, inside the n8n container).
    files: ['services/**/*.ts', 'cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([noElectron], [{ group: ['**/renderer/**', '**/electron/**'], message: 'services/ and cli/ never depend on the shell or the UI.' }]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict(
        [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a sandboxed page: no Node modules.' }))],
        [{ group: ['**/services/**', '**/cli/**', '**/electron/**'], message: 'The renderer reaches services only through the typed API.' }],
      ),
    },
  },
);
