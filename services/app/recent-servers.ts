/**
 * The servers this computer reached over SSH lately, newest first: `<data folder>/recent-servers.json`. Only
 * what the admin typed (user@host, a Host alias, ssh://user@host:port) — never a key, a passphrase or a path.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { readTextFile } from '../input/read-text-input.js';

export const MAX_RECENT_SERVERS = 8;

export interface RecentServers {
  list(): Promise<string[]>;
  remember(server: string): Promise<void>;
}

export function createRecentServers(dataFolder: string): RecentServers {
  const file = join(dataFolder, 'recent-servers.json');
  const list = async (): Promise<string[]> => {
    try {
      const text = readTextFile(file, { name: 'The list of recent servers', field: '(recent servers)', holds: 'server names', refuseNul: true });
      const value: unknown = text === undefined ? [] : JSON.parse(text);
      return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && /^[^\s]{1,300}$/.test(item)).slice(0, MAX_RECENT_SERVERS) : [];
    } catch (error) {
      // A list that is not one (hand-edited, truncated) is no list: start over, as with a broken draft.
      if (error instanceof SetupError && !['FILE_TOO_LARGE', 'FILE_NOT_UTF8', 'INPUT_HAS_NUL'].includes(error.code)) throw error;
      return [];
    }
  };
  return {
    list,
    async remember(server) {
      const servers = [server, ...(await list()).filter((s) => s !== server)].slice(0, MAX_RECENT_SERVERS);
      await mkdir(dataFolder, { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, `${JSON.stringify(servers)}\n`, { mode: 0o600 });
    },
  };
}
