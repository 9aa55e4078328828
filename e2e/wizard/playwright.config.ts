import { defineConfig } from '@playwright/test';
import { testProgram } from '../../scripts/test-programs.mjs';

// The wizard end to end: `npm run test:e2e` after `npm run build`. Each test starts the real
// `n8n-setup serve` (built renderer, real handler table) with a throwaway HOME and drives it in Debian Chromium.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 90_000,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 900, height: 640 },
    launchOptions: {
      executablePath: testProgram('chromium'),
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
