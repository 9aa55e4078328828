import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileAt } from './read-file-at.js';
import { withTargetFolder } from './target-folder.js';
import { expectSetupError, useScratchFolder } from './test-support/scratch-folders.js';

let dir: string;
useScratchFolder('target', (created) => (dir = created));

const fileIn = (rel: string) => withTargetFolder(dir, async (folder) => folder.file(rel, { createFolders: () => 0o755 }));

describe('openTargetFolder', () => {
  it('finds files in the folder and its subfolders, making missing subfolders only when asked', async () => {
    expect(await withTargetFolder(dir, (folder) => folder.findFile('secrets/token'))).toBeUndefined();
    const at = await fileIn('secrets/token');
    expect(at).toMatchObject({ name: 'token', rel: 'secrets/token', shown: join(dir, 'secrets', 'token') });
  });

  it('follows a link that stays inside the folder, to where it points', async () => {
    await mkdir(join(dir, 'config'));
    await writeFile(join(dir, 'config', 'n8n.env'), 'A=1\n');
    await symlink('config/n8n.env', join(dir, '.env'));
    await symlink('config', join(dir, 'settings'));
    const at = await withTargetFolder(dir, async (folder) => {
      const env = await folder.file('.env');
      return { env, bytes: (await readFileAt(env))?.bytes.toString(), viaFolder: (await folder.file('settings/n8n.env')).rel };
    });
    expect(at).toMatchObject({ env: { rel: 'config/n8n.env' }, bytes: 'A=1\n', viaFolder: 'config/n8n.env' });
  });

  it.each([
    ['a file link out of the folder', '.env', () => '/etc/hostname'],
    ['a dangling link out of the folder', '.env', () => '/nonexistent/n8n.env'],
    ['a folder link out of the folder', 'secrets/token', () => '/tmp'],
    ['a link loop', '.env', () => '.env'],
  ])('refuses %s with LINK_REFUSED naming it and the fix', async (_case, rel, target) => {
    await symlink(target(), join(dir, rel.split('/')[0]!));
    const error = await expectSetupError(fileIn(rel));
    expect(error.code).toBe('LINK_REFUSED');
    expect(error.message).toMatch(new RegExp(`^Refusing to go through ${join(dir, rel.split('/')[0]!)}: it is a link to `));
    expect(error.fix).toMatch(/^Replace the link with a real file or folder/);
  });

  it('refuses paths that leave the folder', async () => {
    for (const rel of ['../x', '/etc/passwd', 'a/../../x', '.', '']) expect((await expectSetupError(fileIn(rel))).code).toBe('WRITE_OUTSIDE_FOLDER');
  });

  it('says plainly when the folder is missing or is a file', async () => {
    expect((await expectSetupError(withTargetFolder(join(dir, 'missing'), async () => undefined))).code).toBe('WRITE_FOLDER_MISSING');
    await writeFile(join(dir, 'file'), 'x');
    expect((await expectSetupError(withTargetFolder(join(dir, 'file'), async () => undefined))).message).toMatch(/is a file, not a folder/);
    expect(await readFile(join(dir, 'file'), 'utf8')).toBe('x');
  });
});
