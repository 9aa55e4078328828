import { spawn } from 'node:child_process';

/**
 * Opens the link in the desktop's browser, when there is a desktop: on a server over SSH there is none,
 * and the admin opens the printed link (through a tunnel) instead. Returns whether it tried.
 *
 * The token rides on the browser's command line, where other local users can read it (`ps`) for as long as
 * the launcher runs: no launcher on every platform takes a URL any other way. That is acceptable because
 * the token works once: the browser's first request spends it, so the window to use a copy closes as soon
 * as the page loads, and whoever wins the race leaves the admin with a "used already" page, not a silent
 * second session.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const command = platform === 'darwin' ? ['open', url] : platform === 'win32' ? ['rundll32', 'url.dll,FileProtocolHandler', url] : ['xdg-open', url];
  if (platform !== 'darwin' && platform !== 'win32' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  const [program, ...args] = command as [string, ...string[]];
  try {
    const child = spawn(program, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // no browser: the printed link still works
    child.unref();
    return true;
  } catch {
    return false;
  }
}
