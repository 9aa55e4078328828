import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../profile/read-profile-file.js';
import { listExports, restoreExport } from './export-backups.js';
import { isManifestId, newManifestId } from './export-manifest.js';
import { exportSetup } from './export-setup.js';

const scratch = await mkdtemp(join(tmpdir(), 'n8n-manifest-test-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const NOON = new Date('2026-03-04T12:05:06.007Z');

describe('record ids: newest first by name is the order the runs wrote in', () => {
  it('a record written in the same millisecond as the newest one sorts after it, whatever the random part', () => {
    const existing = ['20260304T120506007Z-ffffffff', '20260304T120506006Z-00000000'];
    const id = newManifestId(NOON, existing);
    expect(isManifestId(id)).toBe(true);
    expect(id.slice(0, 19)).toBe('20260304T120506008Z');
    expect([...existing, id].sort().at(-1)).toBe(id);
  });

  it('a clock set back a little still sorts after the newest record; one stamped more than a day ahead is not followed', () => {
    expect(newManifestId(NOON, ['20260304T130000000Z-00000000']).slice(0, 19)).toBe('20260304T130000001Z');
    expect(newManifestId(NOON, ['20260310T000000000Z-00000000']).slice(0, 19)).toBe('20260304T120506007Z');
    expect(newManifestId(NOON, ['20260304T120000000Z-00000000', 'notes.json']).slice(0, 19)).toBe('20260304T120506007Z');
  });

  it('two exports with the same clock: the second is listed first, and undoing the newest undoes the second', async () => {
    const out = await mkdtemp(join(scratch, 'out-'));
    const profile = (url: string) =>
      loadProfile(
        {
          version: 1,
          email: { mode: 'smtp', host: 'smtp.example.com', port: 587, security: 'starttls', auth: { type: 'password', user: 'apikey' }, sender: 'n8n <n8n@example.com>' },
          url: { public: url },
          deploy: { proxy: 'none', timezone: 'Europe/Berlin' },
        },
        scratch,
      );
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const report = await exportSetup({ loaded: profile(`https://n8n-${i}.example.com/`), outDir: out, secrets: { N8N_SMTP_PASS: 'pw-1' }, now: NOON });
      ids.push(report.exportId!);
    }
    expect((await listExports(out)).map((record) => record.id)).toEqual([...ids].reverse());
    const undone = await restoreExport(out, (await listExports(out))[0]!.id, { now: NOON });
    expect(undone.restoreId! > ids.at(-1)!).toBe(true);
    expect((await listExports(out))[0]!.id).toBe(undone.restoreId);
  });
});
