import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'services/**/*.test.ts', 'cli/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
  define: {
    __APP_VERSION__: JSON.stringify('test'),
  },
});
