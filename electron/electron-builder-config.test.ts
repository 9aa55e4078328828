/**
 * electron-builder.yml checked offline by electron-builder's own validator (app-builder-lib's
 * validateConfiguration against its scheme.json, whose top level allows no unknown key), plus the values
 * the release depends on: targets, native-module handling and the fuses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, any>;
const validate = (candidate: unknown) => validateConfiguration(candidate, { isEnabled: false, add: () => undefined });

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it.each([
    ['a misspelled top-level key', { ...config, asarUnpak: ['**/*.node'] }, /unknown property 'asarUnpak'/],
    ['a misspelled fuse', { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }, /electronFuses/],
    ['a fuse with the wrong type', { ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } }, /electronFuses/],
    ['a misspelled option of a target', { ...config, nsis: { ...config.nsis, oneClik: false } }, /nsis/],
  ])('fails on %s', async (_why, broken, message) => {
    await expect(validate(broken)).rejects.toThrow(message);
  });

  it('turns off running as Node, NODE_OPTIONS and inspect arguments, and locks the app to its checked asar', () => {
    expect(config.electronFuses).toStrictEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the single-file CLI beside the app, where the main process looks for it, and builds it before packaging', () => {
    expect(config.extraResources).toContainEqual({ from: 'dist/n8n-setup.cjs', to: 'n8n-setup.cjs' });
    expect(readFileSync('electron/main/index.ts', 'utf8')).toContain("join(process.resourcesPath, 'n8n-setup.cjs')");
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toMatch(/^npm run build && electron-builder/);
    expect(scripts.build).toContain('build:cli');
  });

  it('builds AppImage and deb, an NSIS installer and a dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.nsis.oneClick).toBe(false);
  });

  it('packs the build output into an asar, native modules beside it, without rebuilding them', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toEqual(['out/**', 'package.json', '!**/*.map']);
    expect(config.publish).toBeNull();
    // Default deb dependencies (libsecret-1-0 among them) are what the keychain needs: not overridden.
    expect(config.deb?.depends).toBeUndefined();
  });

  it('finds its icon in build/', () => {
    expect(config.directories.buildResources).toBe('build');
    expect(existsSync('build/icon.png')).toBe(true);
  });

  it('points at the main bundle that npm run build:app writes', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).main).toBe('out/main/index.js');
  });
});
