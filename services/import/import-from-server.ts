/**
 * Import of a setup on a server, over SSH: the same reading as a local import (read-container-environment.ts),
 * each file fetched from the server as Compose there would read it (links followed, regular files only, the
 * same size limit and strict UTF-8). The reader asks for files as it finds them (the .env, env_file entries,
 * included and extended compose files); each round fetches what the last one asked for, in one connection.
 */
import { posix } from 'node:path';
import { SetupError } from '../../shared/errors.js';
import { formatLocation, formatServer } from '../../shared/remote/remote-location.js';
import { decodeTextFile, MAX_TEXT_FILE_BYTES, textFileTooLarge } from '../input/read-text-input.js';
import { RemoteFolder } from '../remote/remote-folder.js';
import type { SshOptions, SshTarget } from '../remote/ssh-connection.js';
import { importSetup, type ImportReport } from './import-setup.js';
import type { ProjectFiles } from './read-container-environment.js';

export interface ServerImportRequest {
  target: SshTarget;
  /** Paths on the server. */
  envFile?: string;
  composeFile?: string;

}

const MAX_ROUNDS = 12;

export async function importFromServer(request: ServerImportRequest, ssh: SshOptions): Promise<ImportReport> {
  const first = request.composeFile ?? request.envFile ?? '';
  const folder = new RemoteFolder({ target: request.target, path: posix.dirname(first), shown: formatLocation({ kind: 'remote', ...request.target, path: posix.dirname(first) }) }, ssh);
  // The home folder, for paths written as ~/…; and the first files, before the reader asks.
  const home = await serverHome(folder);
  const absolute = (path: string) => (path === '~' ? home : path.startsWith('~/') ? posix.join(home, path.slice(2)) : posix.resolve(home, path));
  const start = [request.composeFile, request.envFile].filter((path): path is string => path !== undefined).map(absolute);
  const project = posix.dirname(start[0]!);
  await folder.openOutside([...start, posix.join(project, '.env')]);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const wanted = new Set<string>();
    const files: ProjectFiles = {
      text: (path, source) => {
        const file = folder.readOutsideState(path);
        if (file === undefined) return void wanted.add(path);
        if (file === null) return undefined;
        if (file.bytes.length > MAX_TEXT_FILE_BYTES) throw textFileTooLarge(source, file.bytes.length);
        return decodeTextFile(file.bytes, source);
      },
      isFile: (path) => {
        const file = folder.readOutsideState(path);
        if (file === undefined) wanted.add(path);
        return file ? true : undefined;
      },
      path: { resolve: (...parts: string[]) => posix.resolve(home, ...parts), dirname: posix.dirname },
      home: () => home,
    };
    const shown = (path: string | undefined) => path && absolute(path);
    let report: ImportReport | undefined;
    let failure: unknown;
    try {
      report = await importSetup({ ...(request.envFile && { envFile: shown(request.envFile)! }), ...(request.composeFile && { composeFile: shown(request.composeFile)! }), files });
    } catch (error) {
      failure = error;
    }
    // A file not fetched yet reads as missing: fetch what was asked for and read again.
    if (wanted.size === 0) {
      if (report) return report;
      throw failure;
    }
    await folder.openOutside([...wanted]);
  }
  throw new SetupError({ code: 'INVALID_ARGUMENT', field: 'compose', message: `The compose project on ${formatServer(request.target)} names files in more than ${MAX_ROUNDS} rounds of includes.`, fix: 'Check the include: and extends: chains of the compose files.' });
}

/** The login's home on the server (for relative paths and ~/…), read with the folder's facts. */
async function serverHome(folder: RemoteFolder): Promise<string> {
  const facts = await folder.open([]);
  return facts.home;
}
