// Layers are enforced here: the folder tells the runtime (see docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

const noElectron = { name: 'electron', message: 'Only electron/main and electron/preload may import electron.' };

function restrict(paths, patterns = []) {
  return ['error', { paths, patterns }];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['scripts/**', 'bin/**', '*.config.*', 'e2e/**', 'test/**'],
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
