import { defineConfig } from '@playwright/test';

// The Electron smoke test: `npx playwright test -c e2e/electron`. It runs the unpackaged app (a packaged
// build has the inspect fuse off, so Playwright cannot drive it), and skips, saying why, without a binary.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
});
