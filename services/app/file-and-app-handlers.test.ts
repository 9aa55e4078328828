import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DRAFT_MAX_BYTES } from '../../shared/ipc/draft-channels.js';
import { createAppUnderTest, type AppUnderTest } from './test-support/app-under-test.js';

describe('draft, file and app channels', () => {
  let app: AppUnderTest;
  beforeEach(async () => void (app = await createAppUnderTest()));
  afterEach(() => app.remove());

  describe('drafts', () => {
    it('keeps the wizard state in the data folder and gives it back', async () => {
      expect(await app.table.loadDraft({}, app.context)).toEqual({ ok: true, data: { draft: null, savedAt: null } });
      const draft = { profile: { email: { mode: 'smtp', host: 'smtp.exa' } }, step: 'email', outDir: '/opt/n8n' };
      const saved = await app.table.saveDraft({ draft }, app.context);
      expect(saved).toMatchObject({ ok: true, data: { savedAt: expect.stringMatching(/^\d{4}-/) } });
      expect(await app.table.loadDraft({}, app.context)).toEqual({ ok: true, data: { draft, savedAt: saved.ok && saved.data.savedAt } });
      expect(await app.table.clearDraft({}, app.context)).toEqual({ ok: true, data: { cleared: true } });
      expect(await app.table.loadDraft({}, app.context)).toEqual({ ok: true, data: { draft: null, savedAt: null } });
    });

    it('refuses a draft above the size limit, keeping the previous one', async () => {
      await app.table.saveDraft({ draft: { profile: { a: 1 } } }, app.context);
      const result = await app.table.saveDraft({ draft: { profile: { big: 'x'.repeat(DRAFT_MAX_BYTES) } } }, app.context);
      expect(result).toMatchObject({ ok: false, error: { code: 'DRAFT_TOO_LARGE' } });
      expect(await app.table.loadDraft({}, app.context)).toMatchObject({ ok: true, data: { draft: { profile: { a: 1 } } } });
    });

    it('treats a damaged draft file as no draft', async () => {
      await mkdir(app.services.dataFolder, { recursive: true });
      await writeFile(join(app.services.dataFolder, 'draft.json'), '{"savedAt": 1, "draft": [');
      expect(await app.table.loadDraft({}, app.context)).toEqual({ ok: true, data: { draft: null, savedAt: null } });
    });
  });

  describe('uploadTemplate', () => {
    it("stores the HTML under the profile's name and says which placeholders it lacks, and which n8n does not fill", async () => {
      const result = await app.table.uploadTemplate({ profileName: 'prod', kind: 'invite', html: '<p>Hello {{name}}</p>' }, app.context);
      const file = join(app.services.dataFolder, 'templates', 'prod', 'invite.html');
      expect(result).toEqual({ ok: true, data: { file, missingPlaceholders: ['inviteAcceptUrl'], unknownPlaceholders: ['name'] } });
      expect(await readFile(file, 'utf8')).toBe('<p>Hello {{name}}</p>');
    });

    it('refuses an unknown kind and a profile name that is a path', async () => {
      expect(await app.table.uploadTemplate({ profileName: 'prod', kind: 'welcome', html: 'x' }, app.context)).toMatchObject({ ok: false, error: { field: 'kind' } });
      expect(await app.table.uploadTemplate({ profileName: '../../etc', kind: 'invite', html: 'x' }, app.context)).toMatchObject({ ok: false, error: { field: 'profileName' } });
    });
  });

  describe('browseFolder', () => {
    it('starts at the home folder, folders first, dotfiles included', async () => {
      await mkdir(join(app.folder, 'n8n'));
      await writeFile(join(app.folder, '.env'), 'A=1\n');
      const result = await app.table.browseFolder({}, app.context);
      if (!result.ok) throw new Error(result.error.message);
      expect(result.data).toMatchObject({ path: app.folder, parent: null, roots: [app.folder] });
      expect(result.data.entries).toEqual([
        { name: 'n8n', path: join(app.folder, 'n8n'), kind: 'folder' },
        { name: '.env', path: join(app.folder, '.env'), kind: 'file' },
      ]);
    });

    it('refuses folders outside home and the export folder, also through a link', async () => {
      expect(await app.table.browseFolder({ path: '/etc' }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS', field: 'path' } });
      await symlink('/etc', join(app.folder, 'etc-link'));
      expect(await app.table.browseFolder({ path: join(app.folder, 'etc-link') }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
      expect(await app.table.browseFolder({ path: join(app.folder, '..') }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
    });

    it("adds the draft's export folder outside home as a second root once it holds an n8n project (a compose file or .env)", async () => {
      const outDir = await mkdtemp(join(tmpdir(), 'n8n-setup-outdir-'));
      try {
        await app.table.saveDraft({ draft: { profile: {}, outDir } }, app.context);
        expect(await app.table.browseFolder({ path: outDir }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
        for (const file of ['compose.yaml', '.env']) {
          await writeFile(join(outDir, file), '');
          const result = await app.table.browseFolder({ path: outDir }, app.context);
          expect(result).toMatchObject({ ok: true, data: { path: outDir, parent: null, roots: [app.folder, outDir] } });
          await rm(join(outDir, file));
        }
      } finally {
        await rm(outDir, { recursive: true });
      }
    });

    it("does not let a draft's export folder of / or a system folder make /etc browsable", async () => {
      for (const outDir of ['/', '/etc', '/usr', '/proc', '/sys', '/dev', '/root', '/usr/local']) {
        await app.table.saveDraft({ draft: { profile: {}, outDir } }, app.context);
        expect(await app.table.browseFolder({ path: '/etc' }, app.context), outDir).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
        expect(await app.table.browseFolder({}, app.context), outDir).toMatchObject({ ok: true, data: { roots: [app.folder] } });
      }
    });

  });

  describe('makeFolder', () => {
    it('makes one new folder where the browser may go (home, a server folder such as /opt) and lists it', async () => {
      const made = await app.table.makeFolder({ parent: app.folder, name: 'n8n prod' }, app.context);
      expect(made).toMatchObject({ ok: true, data: { path: join(app.folder, 'n8n prod'), parent: app.folder, entries: [] } });
      const servers = await createAppUnderTest({ serverFolders: [join(app.folder, 'opt')] });
      try {
        await mkdir(join(app.folder, 'opt'));
        const opt = join(app.folder, 'opt');
        const listed = await servers.table.browseFolder({ path: opt }, servers.context);
        expect(listed).toMatchObject({ ok: true, data: { path: opt, roots: [servers.folder, opt] } });
        expect(await servers.table.makeFolder({ parent: opt, name: 'n8n' }, servers.context)).toMatchObject({ ok: true, data: { path: join(opt, 'n8n'), parent: opt } });
      } finally {
        await servers.remove();
      }
    });

    it('refuses an existing name, a name that is a path, and a parent outside the allowed folders', async () => {
      await mkdir(join(app.folder, 'taken'));
      expect(await app.table.makeFolder({ parent: app.folder, name: 'taken' }, app.context)).toMatchObject({ ok: false, error: { code: 'FOLDER_EXISTS', field: 'name' } });
      for (const name of ['a/b', '..', '.', ' padded', 'nul\0']) {
        expect(await app.table.makeFolder({ parent: app.folder, name }, app.context), name).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'name' } });
      }
      expect(await app.table.makeFolder({ parent: '/etc', name: 'x' }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
      await symlink('/etc', join(app.folder, 'etc-link'));
      expect(await app.table.makeFolder({ parent: join(app.folder, 'etc-link'), name: 'x' }, app.context)).toMatchObject({ ok: false, error: { code: 'OUTSIDE_ALLOWED_FOLDERS' } });
    });
  });

  describe('chooseFolder and chooseFile', () => {
    it('say over HTTP that there is no native dialog, and what to use instead', async () => {
      expect(await app.table.chooseFolder({}, app.context)).toMatchObject({ ok: false, error: { code: 'NO_NATIVE_DIALOG', fix: expect.stringContaining('browseFolder') } });
    });

    it("use the app's dialogs when the context has them", async () => {
      const asked: unknown[] = [];
      const context = {
        ...app.context,
        transport: 'electron' as const,
        dialogs: { chooseFolder: async (o: unknown) => (asked.push(o), '/opt/n8n'), chooseFile: async (o: unknown) => (asked.push(o), null) },
      };
      expect(await app.table.chooseFolder({ title: 'Export to' }, context)).toEqual({ ok: true, data: { path: '/opt/n8n' } });
      expect(await app.table.chooseFile({ kind: 'env' }, context)).toEqual({ ok: true, data: { path: null } });
      expect(asked).toEqual([{ title: 'Export to' }, { kind: 'env' }]);
    });
  });

  describe('openDocs', () => {
    it('lets the browser open an allowed page over HTTP, and the app open it itself', async () => {
      const url = 'https://docs.n8n.io/hosting/';
      expect(await app.table.openDocs({ url }, app.context)).toEqual({ ok: true, data: { url, opened: false } });
      const opened: string[] = [];
      expect(await app.table.openDocs({ url }, { ...app.context, openExternal: async (u) => void opened.push(u) })).toEqual({ ok: true, data: { url, opened: true } });
      expect(opened).toEqual([url]);
    });

    it('refuses anything off the allow-list without opening it', async () => {
      const opened: string[] = [];
      const context = { ...app.context, openExternal: async (u: string) => void opened.push(u) };
      for (const url of ['file:///etc/passwd', 'https://evil.example/', 'http://docs.n8n.io/']) {
        expect(await app.table.openDocs({ url }, context)).toMatchObject({ ok: false, error: { code: 'URL_NOT_ALLOWED' } });
      }
      expect(opened).toEqual([]);
    });
  });
});
