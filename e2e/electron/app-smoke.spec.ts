import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import { CHANNEL_NAMES } from '../../shared/ipc/channel-names.js';
import { contentSecurityPolicy } from '../../shared/ipc/security-headers.js';
import { findElectronBinary } from './electron-binary.js';

const REPO = join(import.meta.dirname, '..', '..');
const binary = findElectronBinary();

test.describe('the desktop app (Electron smoke test)', () => {
  test.beforeAll(() => {
    if (!binary.path) {
      // The one skip this suite allows: nothing to launch. Say so where the run prints, not only in a report.
      console.log(`Electron smoke test skipped: ${binary.reason}.`);
      return;
    }
    execFileSync(process.execPath, [join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO, stdio: 'inherit' });
  });

  test('opens its window on app:// with the CSP header, no Node in the page and only the typed API', async () => {
    test.skip(!binary.path, binary.reason);
    const app = await _electron.launch({
      executablePath: binary.path,
      // Chromium refuses to run as root with its sandbox on (CI containers run as root).
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), REPO],
      cwd: REPO,
      env: { ...process.env, ELECTRON_RENDERER_URL: '' },
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle('n8n Setup');
      await expect(window.locator('h1').first()).toBeVisible();
      expect(window.url()).toBe('app://renderer/index.html');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((globalThis as unknown as { n8nSetup: object }).n8nSetup).sort())).toEqual([...CHANNEL_NAMES, 'onSmtpStage'].sort());

      const csp = await app.evaluate(async ({ net }) => (await net.fetch('app://renderer/index.html')).headers.get('content-security-policy'));
      expect(csp).toBe(contentSecurityPolicy({ dev: false }));
      // A call through the preload and the IPC wrapper, as the wizard will make it.
      await expect(window.getByText(/^Version .* \(desktop app\)$/)).toBeVisible();
    } finally {
      await app.close();
    }
  });
});
