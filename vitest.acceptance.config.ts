// The acceptance tier (npm run test:acceptance): a real n8n, installed by scripts/prepare-n8n.sh, started
// with our exported files. Files run one after another: each n8n takes ~430 MB and a core while it starts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/acceptance/**/*.acceptance.ts'],
    globalSetup: ['test/acceptance/acceptance-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
  },
  define: {
    __APP_VERSION__: JSON.stringify('acceptance'),
  },
});
