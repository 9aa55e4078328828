/**
 * The lint rules that keep the shell thin and safe, run through ESLint itself on small sources placed at
 * the paths they guard: raw IPC only in the two entry files, one window factory, the SDL rules.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint rules for the shell', () => {
  it.each(['electron/main/start-app.ts', 'electron/main/some-new-file.ts', 'electron/preload/create-api.ts', 'e2e/electron/helper.ts'])('bans importing ipcMain or ipcRenderer in %s', async (path) => {
    expect(await ruleIds(path, "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n")).toContain('no-restricted-imports');
    expect(await ruleIds(path, "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).toContain('no-restricted-imports');
  });

  it('allows it in the two entry files that hand it to the wrappers', async () => {
    expect(await ruleIds('electron/main/index.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n")).toEqual([]);
    expect(await ruleIds('electron/preload/index.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n")).toEqual([]);
  });

  it.each(['services/app/x.ts', 'shared/ipc/x.ts', 'renderer/api/x.ts', 'cli/commands/x.ts'])('keeps electron out of %s entirely', async (path) => {
    expect(await ruleIds(path, "import { app } from 'electron';\nexport const x = app;\n")).toContain('no-restricted-imports');
  });

  it('allows new BrowserWindow only in the window factory', async () => {
    const code = "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({});\n";
    expect(await ruleIds('electron/main/start-app.ts', code)).toContain('no-restricted-syntax');
    expect(await ruleIds('electron/main/window-factory.ts', code)).toEqual([]);
  });

  it('runs the SDL rules: nodeIntegration, innerHTML, eval, target=_blank without noopener, iframes without sandbox', async () => {
    const window = "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true } });\n";
    expect(await ruleIds('electron/main/window-factory.ts', window)).toContain('@microsoft/sdl/no-electron-node-integration');
    expect(await ruleIds('renderer/x.ts', 'export function f(e: HTMLElement, s: string) { e.innerHTML = s; }\n')).toContain('@microsoft/sdl/no-inner-html');
    expect(await ruleIds('services/app/x.ts', 'export const f = (s: string) => eval(s);\n')).toContain('no-eval');
    expect(await ruleIds('renderer/x.tsx', 'export const a = <a href={url} target="_blank">docs</a>;\ndeclare const url: string;\n')).toContain('react/jsx-no-target-blank');
    expect(await ruleIds('renderer/x.tsx', 'export const a = <iframe srcDoc="<p>x</p>" />;\n')).toContain('react/iframe-missing-sandbox');
    expect(await ruleIds('services/app/x.ts', "export const u = 'http://example.com/';\n")).toContain('@microsoft/sdl/no-insecure-url');
  });
});
