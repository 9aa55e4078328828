import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecentServers, MAX_RECENT_SERVERS } from './recent-servers.js';

let folder: string;
afterEach(() => rmSync(folder, { recursive: true, force: true }));

describe('recent servers', () => {
  it('keeps the newest first, each once, at most eight, in a file only the user reads', async () => {
    folder = mkdtempSync(join(tmpdir(), 'n8n-setup-recent-'));
    const recent = createRecentServers(join(folder, 'data'));
    expect(await recent.list()).toEqual([]);
    for (let i = 1; i <= MAX_RECENT_SERVERS + 2; i++) await recent.remember(`root@vps${i}`);
    await recent.remember('root@vps5');
    const list = await recent.list();
    expect(list[0]).toBe('root@vps5');
    expect(list).toHaveLength(MAX_RECENT_SERVERS);
    expect(new Set(list).size).toBe(list.length);
    expect(list).not.toContain('root@vps1');
    expect(statSync(join(folder, 'data', 'recent-servers.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(folder, 'data', 'recent-servers.json'), 'utf8'))).toEqual(list);
  });

  it('a file that is not a list (hand-edited, cut short, not UTF-8) counts as none, and is replaced on the next remember', async () => {
    folder = mkdtempSync(join(tmpdir(), 'n8n-setup-recent-'));
    const recent = createRecentServers(folder);
    for (const bytes of [Buffer.from('{"not":"a list"}'), Buffer.from('["root@a", '), Buffer.from([0xff, 0xfe]), Buffer.from('["ok", 7, "with space", null]')]) {
      writeFileSync(join(folder, 'recent-servers.json'), bytes);
      const list = await recent.list();
      expect(list.every((s) => typeof s === 'string' && !/\s/.test(s))).toBe(true);
    }
    expect(await recent.list()).toEqual(['ok']);
    await recent.remember('root@b');
    expect(await recent.list()).toEqual(['root@b', 'ok']);
  });
});
